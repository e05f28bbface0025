import CStrataShims

/// A little-endian record with a magic, a version and a trailing CRC-32C: the layout of the
/// static embedder's files and catalog state.
struct BinaryRecordWriter {
    private(set) var bytes: [UInt8]

    init(magic: String, version: UInt32) {
        bytes = Array(magic.utf8)
        put(version)
    }

    mutating func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }

    mutating func put(_ values: [Float]) {
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for value in values { put(value.bitPattern) }
    }

    mutating func put(_ text: String) {
        put(UInt32(text.utf8.count))
        bytes += Array(text.utf8)
    }

    /// The record with its checksum appended.
    func finished() -> [UInt8] {
        let checksum = bytes.withUnsafeBytes { strata_crc32c(0, $0.baseAddress, $0.count) }
        var out = bytes
        withUnsafeBytes(of: checksum.littleEndian) { out += $0 }
        return out
    }
}

/// Reads a ``BinaryRecordWriter`` record back, every read bounds-checked: a short or damaged
/// record is an error naming `source`, never a crash.
struct BinaryRecordReader {
    private let bytes: [UInt8]
    private var offset: Int
    let source: String

    /// Checks the magic, the version and the checksum.
    init(_ bytes: [UInt8], magic: String, version: UInt32, source: String) throws(EmbeddingError) {
        self.source = source
        let magicBytes = Array(magic.utf8)
        guard bytes.count >= magicBytes.count + 8, Array(bytes.prefix(magicBytes.count)) == magicBytes else {
            throw .modelInvalid(file: source, problem: "not a Strata \(magic) record")
        }
        let body = bytes.prefix(bytes.count - 4)
        let stored = bytes.suffix(4).enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
        let computed = body.withUnsafeBytes { strata_crc32c(0, $0.baseAddress, $0.count) }
        guard stored == computed else { throw .modelInvalid(file: source, problem: "its checksum does not match: the record is truncated or corrupted") }
        self.bytes = Array(body)
        offset = magicBytes.count
        let found: UInt32 = try read()
        guard found == version else { throw .modelInvalid(file: source, problem: "format \(found); this build reads format \(version)") }
    }

    mutating func read<T: FixedWidthInteger>() throws(EmbeddingError) -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.count else { throw .modelInvalid(file: source, problem: "ends early at byte \(offset)") }
        var value: T = 0
        for index in 0..<size { value |= T(bytes[offset + index]) << (8 * index) }
        offset += size
        return value
    }

    mutating func floats(_ count: Int) throws(EmbeddingError) -> [Float] {
        guard count >= 0, offset + count * 4 <= bytes.count else { throw .modelInvalid(file: source, problem: "ends early: \(count) numbers promised at byte \(offset)") }
        var out = [Float](repeating: 0, count: count)
        for index in 0..<count {
            let base = offset + index * 4
            out[index] = Float(bitPattern: UInt32(bytes[base]) | UInt32(bytes[base + 1]) << 8 | UInt32(bytes[base + 2]) << 16 | UInt32(bytes[base + 3]) << 24)
        }
        offset += count * 4
        return out
    }

    mutating func string() throws(EmbeddingError) -> String {
        let length = Int(try read() as UInt32)
        guard offset + length <= bytes.count else { throw .modelInvalid(file: source, problem: "ends early in a string at byte \(offset)") }
        defer { offset += length }
        return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
    }

    /// Fails unless every byte was read.
    func finish() throws(EmbeddingError) {
        guard offset == bytes.count else { throw .modelInvalid(file: source, problem: "\(bytes.count - offset) bytes more than its counts promise") }
    }
}
