import StrataKernels

/// Everything that can go wrong in `StrataIndex`, each case saying what to fix.
public enum IndexError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A vector whose length is not the index's dimension.
    case dimensionMismatch(expected: Int, got: Int)
    /// A vector holding NaN or an infinity at `position`.
    case nonFiniteComponent(position: Int)
    /// A cosine-metric vector of length zero, which has no direction.
    case zeroVector
    /// A configuration value out of range.
    case invalidConfiguration(parameter: String, value: String, expected: String)
    /// No live vector has this id.
    case unknownID(UInt64)
    /// An argument out of range (k, ef, thread count).
    case invalidArgument(name: String, value: String, expected: String)
    /// A file that could not be read, written or understood.
    case file(path: String, problem: String)
    /// More slots than 32-bit slot numbers address.
    case capacityExceeded(limit: Int)

    public var description: String {
        switch self {
        case let .dimensionMismatch(expected, got):
            "vector has \(got) dimensions but the index holds \(expected)-dimensional vectors; embed it in the index's space or open an index of dimension \(got)"
        case let .nonFiniteComponent(position):
            "vector component \(position) is NaN or infinite; every component must be a finite number"
        case .zeroVector:
            "the zero vector has no direction and cannot be compared by cosine; drop it or use the l2 metric"
        case let .invalidConfiguration(parameter, value, expected):
            "\(parameter) = \(value) is not valid: expected \(expected)"
        case let .unknownID(id):
            "no vector with id \(id) is in the index"
        case let .invalidArgument(name, value, expected):
            "\(name) = \(value) is not valid: expected \(expected)"
        case let .file(path, problem):
            "\(path): \(problem)"
        case let .capacityExceeded(limit):
            "the index is full at \(limit) vectors; split the data over several segments"
        }
    }
}

extension IndexError {
    /// Checks that `vector` fits an index of `dimension` and holds only finite values.
    static func validate(_ vector: UnsafeBufferPointer<Float>, dimension: Int) throws(IndexError) {
        guard vector.count == dimension else { throw .dimensionMismatch(expected: dimension, got: vector.count) }
        if let position = Kernels.firstNonFinite(vector) { throw .nonFiniteComponent(position: position) }
    }

    /// Checks row-major `rows` of `dimension` floats: finite values only and, with
    /// `rejectZero` (cosine storage), no zero vector. Positions are reported within a vector.
    static func validate(rows: UnsafeBufferPointer<Float>, dimension: Int, rejectZero: Bool) throws(IndexError) {
        guard rows.count % dimension == 0 else {
            throw .invalidArgument(name: "vectors", value: "\(rows.count) floats", expected: "a multiple of the dimension \(dimension)")
        }
        if let position = Kernels.firstNonFinite(rows) { throw .nonFiniteComponent(position: position % dimension) }
        guard rejectZero else { return }
        for start in stride(from: 0, to: rows.count, by: dimension) {
            let row = rows.baseAddress! + start
            if Kernels.dot(row, row, count: dimension) == 0 { throw .zeroVector }
        }
    }
}
