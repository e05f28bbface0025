import Foundation

/// NumPy `.npy` files (format 1.0–3.0) holding a 2-D C-ordered array of little-endian
/// `float32` or `float64`.
public enum NumpyFile {
    /// Reads a 2-D float array; float64 values are narrowed to float32.
    public static func readFloats(_ path: String) throws(IndexError) -> VectorSet {
        let data = try readFile(path)
        let layout = try Layout(data, path: path)
        let values: [Float] = data.withUnsafeBytes { raw in
            (0..<(layout.rows * layout.columns)).map { i in
                let offset = layout.bodyStart + i * layout.width
                return layout.width == 4
                    ? Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                    : Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
            }
        }
        let set = VectorSet(dimension: layout.columns, values: values)
        try set.checkFinite(path: path)
        return set
    }

    /// Reads a 2-D float array at full precision: float64 values as they are, float32
    /// widened. For data where float32 would lose digits (regression targets, benchmarks
    /// compared against float64 libraries).
    ///
    /// - Returns: the row and column counts and the values, row-major. Not checked for NaN.
    public static func readDoubles(_ path: String) throws(IndexError) -> (rows: Int, columns: Int, values: [Double]) {
        let data = try readFile(path)
        let layout = try Layout(data, path: path)
        let values: [Double] = data.withUnsafeBytes { raw in
            (0..<(layout.rows * layout.columns)).map { i in
                let offset = layout.bodyStart + i * layout.width
                return layout.width == 4
                    ? Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
                    : Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            }
        }
        return (layout.rows, layout.columns, values)
    }

    /// Where a .npy file's values are and how they are stored, from its header.
    private struct Layout {
        var rows: Int
        var columns: Int
        /// Bytes per value: 4 or 8.
        var width: Int
        var bodyStart: Int

        init(_ data: Data, path: String) throws(IndexError) {
            let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] // \x93NUMPY
            guard data.count >= 10, Array(data.prefix(6)) == magic else {
                throw .file(path: path, problem: "not a NumPy .npy file (missing the \\x93NUMPY magic)")
            }
            let major = data[data.startIndex + 6]
            let headerLength: Int
            let headerStart: Int
            switch major {
            case 1:
                headerLength = Int(data[data.startIndex + 8]) | Int(data[data.startIndex + 9]) << 8
                headerStart = 10
            case 2, 3:
                guard data.count >= 12 else { throw .file(path: path, problem: "file ends inside the .npy header") }
                headerLength = (0..<4).reduce(0) { $0 | Int(data[data.startIndex + 8 + $1]) << (8 * $1) }
                headerStart = 12
            default:
                throw .file(path: path, problem: ".npy format version \(major) is not supported; expected 1, 2 or 3")
            }
            guard data.count >= headerStart + headerLength else {
                throw .file(path: path, problem: "file ends inside the .npy header (\(headerLength) bytes declared)")
            }
            let header = String(decoding: data[(data.startIndex + headerStart)..<(data.startIndex + headerStart + headerLength)], as: UTF8.self)
            let descr = try NumpyFile.field("descr", in: header, path: path)
            let fortran = try NumpyFile.field("fortran_order", in: header, path: path)
            let shapeText = try NumpyFile.field("shape", in: header, path: path)
            guard fortran == "False" else {
                throw .file(path: path, problem: "array is Fortran-ordered; save it C-ordered (numpy.ascontiguousarray)")
            }
            switch descr {
            case "'<f4'", "'float32'": width = 4
            case "'<f8'", "'float64'": width = 8
            default:
                throw .file(path: path, problem: "dtype \(descr) is not supported; expected little-endian float32 ('<f4') or float64 ('<f8')")
            }
            let shape = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() ")).split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard shape.count == 2, let rows = Int(shape[0]), let columns = Int(shape[1]), rows >= 0, columns > 0 else {
                throw .file(path: path, problem: "shape \(shapeText) is not a 2-D (vectors, dimension) shape")
            }
            self.rows = rows
            self.columns = columns
            bodyStart = headerStart + headerLength
            let expected = rows * columns * width
            guard data.count - bodyStart >= expected else {
                throw .file(path: path, problem: "file holds \(data.count - bodyStart) bytes of data but shape \(shapeText) needs \(expected): truncated")
            }
        }
    }

    /// Writes a 2-D float32 array (format 1.0).
    public static func write(_ set: VectorSet, to path: String) throws(IndexError) {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(set.count), \(set.dimension)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        set.values.withUnsafeBytes { data.append(contentsOf: $0) }
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) }
        catch { throw .file(path: path, problem: "cannot write: \(error.localizedDescription)") }
    }

    /// The text of `'key': value` in a header dictionary.
    private static func field(_ key: String, in header: String, path: String) throws(IndexError) -> String {
        guard let keyRange = header.range(of: "'\(key)':") else {
            throw .file(path: path, problem: ".npy header lacks '\(key)'")
        }
        var rest = header[keyRange.upperBound...].drop { $0 == " " }
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else { throw .file(path: path, problem: ".npy header has an unclosed shape") }
            return String(rest[...close])
        }
        rest = rest.prefix { $0 != "," && $0 != "}" }
        return rest.trimmingCharacters(in: .whitespaces)
    }
}
