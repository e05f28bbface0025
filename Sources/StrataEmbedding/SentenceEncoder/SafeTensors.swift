import Foundation

/// A `.safetensors` file mapped into memory, its tensors found by name.
///
/// ```
/// ┌──────────────┬───────────────────────────┬──────────────────────────────┐
/// │ u64 LE: n    │ n bytes of JSON header    │ data: tensors at their       │
/// │ (8 bytes)    │ {"name": {"dtype", "shape",│ [begin, end) byte offsets,   │
/// │              │  "data_offsets"}, ...}     │ counted from the data start  │
/// └──────────────┴───────────────────────────┴──────────────────────────────┘
/// ```
///
/// Every tensor's dtype, shape and offsets are checked against the file size when it is
/// opened, so reading a tensor afterwards cannot run past the mapping.
///
/// - Important: The mapping lives as long as this value (and its copies); pointers handed to
///   `withTensor` are valid only inside the closure.
struct SafeTensors: @unchecked Sendable {
    /// Element type of a tensor.
    enum DType: String, Sendable {
        case float32 = "F32", float16 = "F16", bfloat16 = "BF16"
        case float64 = "F64", int64 = "I64", int32 = "I32", int16 = "I16", int8 = "I8", uint8 = "U8", bool = "BOOL"

        var byteWidth: Int {
            switch self {
            case .float64, .int64: 8
            case .float32, .int32: 4
            case .float16, .bfloat16, .int16: 2
            case .int8, .uint8, .bool: 1
            }
        }

        /// Whether `floats(_:shape:)` can read it.
        var isFloatingPoint: Bool { self == .float32 || self == .float16 || self == .bfloat16 }
    }

    /// Where one tensor lies and what it holds.
    struct Entry: Sendable {
        var dtype: DType
        var shape: [Int]
        /// Byte offset from the start of the file.
        var offset: Int
        var byteCount: Int
        var elementCount: Int { shape.reduce(1, *) }
    }

    /// The file name used in errors.
    let fileName: String
    let entries: [String: Entry]
    private let mapping: FileMapping

    /// Maps `path` and validates its header.
    ///
    /// - Throws: `EmbeddingError.modelMissing` when the file cannot be opened,
    ///   `EmbeddingError.modelInvalid` for a truncated file, a header that is not the
    ///   safetensors JSON, an unsupported dtype, or a tensor whose bytes do not fit its shape or
    ///   the file.
    init(path: String) throws(EmbeddingError) {
        let name = (path as NSString).lastPathComponent
        mapping = try FileMapping(path: path)
        fileName = name
        let size = mapping.size
        guard size >= 8 else { throw .modelInvalid(file: name, problem: "is \(size) bytes, shorter than the 8-byte header length") }
        let headerLength = Int(mapping.bytes.loadUnaligned(as: UInt64.self).littleEndian)
        guard headerLength <= size - 8 else {
            throw .modelInvalid(file: name, problem: "ends at byte \(size), its header promises \(headerLength + 8) bytes before the data")
        }
        let headerData = Data(bytes: mapping.bytes + 8, count: headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
            throw .modelInvalid(file: name, problem: "has a header that is not a JSON object")
        }
        entries = try Self.parseEntries(header, dataStart: 8 + headerLength, fileSize: size, file: name)
    }

    private static func parseEntries(_ header: [String: Any], dataStart: Int, fileSize: Int, file: String) throws(EmbeddingError) -> [String: Entry] {
        var entries: [String: Entry] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any], let dtypeName = info["dtype"] as? String,
                  let shape = (info["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  let offsets = (info["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offsets.count == 2, shape.allSatisfy({ $0 >= 0 })
            else { throw .modelInvalid(file: file, problem: "tensor \(name) has no valid dtype, shape and data_offsets") }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw .modelInvalid(file: file, problem: "tensor \(name) has the unknown dtype \(dtypeName)")
            }
            let entry = Entry(dtype: dtype, shape: shape, offset: dataStart + offsets[0], byteCount: offsets[1] - offsets[0])
            guard offsets[0] >= 0, entry.byteCount == entry.elementCount * dtype.byteWidth else {
                throw .modelInvalid(file: file, problem: "tensor \(name) of shape \(shape) needs \(entry.elementCount * dtype.byteWidth) bytes but its offsets span \(entry.byteCount)")
            }
            guard entry.offset + entry.byteCount <= fileSize else {
                throw .modelInvalid(file: file, problem: "tensor \(name) ends at byte \(entry.offset + entry.byteCount) but the file ends at \(fileSize) (truncated)")
            }
            entries[name] = entry
        }
        return entries
    }

    /// Calls `body` with the whole file's bytes (valid only inside the closure).
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        body(UnsafeRawBufferPointer(start: mapping.bytes, count: mapping.size))
    }

    /// The tensor `name` as float32 values, checked to have `shape`.
    ///
    /// - Throws: `EmbeddingError.modelInvalid` naming the tensor when it is missing or has
    ///   another shape.
    func floats(_ name: String, shape: [Int]) throws(EmbeddingError) -> [Float] {
        guard let entry = entries[name] else {
            throw .modelInvalid(file: fileName, problem: "has no tensor \(name) (shape \(shape)); is it a BERT model?")
        }
        guard entry.shape == shape else {
            throw .modelInvalid(file: fileName, problem: "tensor \(name) has shape \(entry.shape) but config.json implies \(shape)")
        }
        guard entry.dtype.isFloatingPoint else {
            throw .modelInvalid(file: fileName, problem: "tensor \(name) is \(entry.dtype.rawValue); weights must be F32, F16 or BF16")
        }
        let count = entry.elementCount
        let source = mapping.bytes + entry.offset
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            // The header check above keeps [offset, offset + byteCount) inside the mapping.
            switch entry.dtype {
            case .float32:
                for i in 0..<count { buffer[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            case .bfloat16:
                for i in 0..<count { buffer[i] = Float(bitPattern: UInt32(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16) }
            case .float16:
                #if arch(x86_64) || arch(arm64)
                for i in 0..<count { buffer[i] = Float(Float16(bitPattern: UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))) }
                #endif
            default:
                break
            }
            initialized = count
        }
    }
}

/// A read-only private mapping of a whole file; unmapped when the last copy goes.
final class FileMapping: @unchecked Sendable {
    /// First byte of the file; valid for `size` bytes while this object lives.
    let bytes: UnsafeRawPointer
    let size: Int

    init(path: String) throws(EmbeddingError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw .modelMissing(path: path, remedy: SentenceEncoder.modelRemedy)
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw .modelInvalid(file: path, problem: "cannot be read (fstat errno \(errno))")
        }
        size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeRawPointer(bitPattern: 1)!
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw .modelInvalid(file: path, problem: "cannot be mapped (mmap errno \(errno))")
        }
        bytes = UnsafeRawPointer(address)
    }

    deinit {
        if size > 0 { munmap(UnsafeMutableRawPointer(mutating: bytes), size) }
    }
}
