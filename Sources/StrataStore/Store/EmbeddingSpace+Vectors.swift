import StrataKernels

extension EmbeddingSpace {
    /// Checks a caller's vector against the space and normalizes it for cosine.
    func prepared(_ vector: [Float]) throws(StoreError) -> [Float] {
        guard vector.count == dimension else { throw .dimensionMismatch(space: description, got: vector.count) }
        if let position = vector.withUnsafeBufferPointer({ Kernels.firstNonFinite($0) }) {
            throw .nonFiniteVector(space: description, position: position)
        }
        guard metric.normalizesVectors else { return vector }
        var normalized = vector
        let norm = normalized.withUnsafeMutableBufferPointer { Kernels.normalize($0.baseAddress!, count: $0.count) }
        guard norm > 0 else {
            throw .invalidArgument(name: "vector", value: "all zeros", expected: "a vector with a direction (the store compares by cosine)")
        }
        return normalized
    }
}
