import Foundation

/// The TEXMEX formats of the ANN benchmarks: `.fvecs` (float32) and `.ivecs` (int32).
///
/// Each record is a little-endian `Int32` dimension `d` followed by `d` values; every record
/// of a file has the same `d`.
public enum TexmexFile {
    /// Reads an `.fvecs` file.
    public static func readFloats(_ path: String) throws(IndexError) -> VectorSet {
        let (dimension, words) = try readRecords(path, valueName: "float")
        let values = words.map { Float(bitPattern: $0) }
        let set = VectorSet(dimension: dimension, values: values)
        try set.checkFinite(path: path)
        return set
    }

    /// Reads an `.ivecs` file (ground-truth neighbour lists), one array per record.
    public static func readIntegers(_ path: String) throws(IndexError) -> [[Int32]] {
        let (dimension, words) = try readRecords(path, valueName: "int")
        return stride(from: 0, to: words.count, by: dimension).map { start in
            words[start ..< start + dimension].map { Int32(bitPattern: $0) }
        }
    }

    /// Writes an `.fvecs` file.
    public static func write(_ set: VectorSet, to path: String) throws(IndexError) {
        var data = Data(capacity: set.count * (set.dimension + 1) * 4)
        for i in 0..<set.count {
            appendWord(UInt32(set.dimension), to: &data)
            for v in set.values[i * set.dimension ..< (i + 1) * set.dimension] { appendWord(v.bitPattern, to: &data) }
        }
        try writeData(data, to: path)
    }

    /// Writes an `.ivecs` file.
    public static func write(_ rows: [[Int32]], to path: String) throws(IndexError) {
        var data = Data()
        for row in rows {
            appendWord(UInt32(row.count), to: &data)
            for v in row { appendWord(UInt32(bitPattern: v), to: &data) }
        }
        try writeData(data, to: path)
    }

    private static func appendWord(_ word: UInt32, to data: inout Data) {
        withUnsafeBytes(of: word.littleEndian) { data.append(contentsOf: $0) }
    }

    private static func writeData(_ data: Data, to path: String) throws(IndexError) {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) }
        catch { throw .file(path: path, problem: "cannot write: \(error.localizedDescription)") }
    }

    /// The common dimension and every value word, after checking the record structure.
    private static func readRecords(_ path: String, valueName: String) throws(IndexError) -> (Int, [UInt32]) {
        let data = try readFile(path)
        guard data.count >= 4 else {
            throw .file(path: path, problem: "file is \(data.count) bytes, shorter than one record header (4 bytes)")
        }
        return try data.withUnsafeBytes { raw in
            Result { () throws(IndexError) -> (Int, [UInt32]) in try parseRecords(raw, path: path, valueName: valueName) }
        }.get()
    }

    private static func parseRecords(_ raw: UnsafeRawBufferPointer, path: String, valueName: String) throws(IndexError) -> (Int, [UInt32]) {
        let first = Int32(littleEndian: raw.loadUnaligned(as: Int32.self))
        guard first > 0, first <= 1 << 20 else {
            throw .file(path: path, problem: "first record declares dimension \(first); expected 1...1048576 (is this a TEXMEX .\(valueName == "float" ? "f" : "i")vecs file?)")
        }
        let dimension = Int(first)
        let recordBytes = 4 * (dimension + 1)
        guard raw.count % recordBytes == 0 else {
            throw .file(path: path, problem: "file is \(raw.count) bytes, not a whole number of \(recordBytes)-byte records of dimension \(dimension): truncated or mixed dimensions")
        }
        let count = raw.count / recordBytes
        var words = [UInt32]()
        words.reserveCapacity(count * dimension)
        for r in 0..<count {
            let offset = r * recordBytes
            let d = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self))
            guard Int(d) == dimension else {
                throw .file(path: path, problem: "record \(r) declares dimension \(d) but record 0 declares \(dimension); every record must have the same dimension")
            }
            for j in 0..<dimension {
                words.append(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 + 4 * j, as: UInt32.self)))
            }
        }
        return (dimension, words)
    }
}
