import Foundation

/// Vectors of one dimension held row-major in one array: what the readers return and
/// the index builders take.
public struct VectorSet: Sendable, Equatable {
    /// Floats per vector.
    public var dimension: Int
    /// `count * dimension` floats.
    public var values: [Float]

    public init(dimension: Int, values: [Float]) {
        precondition(dimension > 0 && values.count % dimension == 0, "values must hold whole vectors")
        self.dimension = dimension
        self.values = values
    }

    /// Number of vectors.
    public var count: Int { values.count / dimension }

    /// Vector `i` as an array.
    public subscript(i: Int) -> [Float] {
        Array(values[i * dimension ..< (i + 1) * dimension])
    }

    /// The first `n` vectors.
    public func prefix(_ n: Int) -> VectorSet {
        VectorSet(dimension: dimension, values: Array(values.prefix(n * dimension)))
    }

    /// Reads `.fvecs` or `.npy`, by extension.
    ///
    /// - Throws: ``IndexError/file(path:problem:)`` naming what is wrong with the file.
    public static func read(contentsOf path: String) throws(IndexError) -> VectorSet {
        switch (path as NSString).pathExtension.lowercased() {
        case "fvecs": return try TexmexFile.readFloats(path)
        case "npy": return try NumpyFile.readFloats(path)
        default:
            throw .file(path: path, problem: "unknown vector file type; expected .fvecs (TEXMEX) or .npy (NumPy, float32 or float64, 2-D)")
        }
    }

    /// Rejects NaN and infinities, naming the first vector and component holding one.
    func checkFinite(path: String) throws(IndexError) {
        for (i, v) in values.enumerated() where !v.isFinite {
            throw .file(path: path, problem: "vector \(i / dimension), component \(i % dimension) is \(v); vectors must hold finite numbers")
        }
    }
}

/// Reads a whole file, with an error naming it.
func readFile(_ path: String) throws(IndexError) -> Data {
    // An empty file is answered here: Foundation cannot map it, and its fallback read leaks
    // a 4 KiB buffer (LeakSanitizer, in the fuzz tests' truncated files).
    if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size == 0 { return Data() }
    do { return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) }
    catch { throw .file(path: path, problem: "cannot read: \(error.localizedDescription)") }
}
