import CLinearAlgebra

/// Many dot products at once, through BLAS.
///
/// Row-major throughout: a matrix of `rows` vectors of `dimension` floats is `rows * dimension`
/// contiguous floats.
public enum BatchScores {
    /// `scores[q * baseCount + b] = queries[q] · base[b]` for every pair, one `cblas_sgemm`.
    ///
    /// - Parameters:
    ///   - queries: `queryCount * dimension` floats.
    ///   - base: `baseCount * dimension` floats.
    ///   - scores: room for `queryCount * baseCount` floats, overwritten.
    /// - Complexity: O(queryCount × baseCount × dimension), at BLAS level-3 speed.
    public static func dotProducts(
        queries: UnsafePointer<Float>, queryCount: Int,
        base: UnsafePointer<Float>, baseCount: Int,
        dimension: Int, into scores: UnsafeMutablePointer<Float>
    ) {
        guard queryCount > 0, baseCount > 0 else { return }
        BLAS.ensureConfigured()
        let d = Int32(dimension)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                    Int32(queryCount), Int32(baseCount), d,
                    1, queries, d, base, d, 0, scores, Int32(baseCount))
    }

    /// `scores[b] = base[b] · query` for every row of `base`, one `cblas_sgemv`.
    ///
    /// - Parameters:
    ///   - query: `dimension` floats.
    ///   - base: `baseCount * dimension` floats.
    ///   - scores: room for `baseCount` floats, overwritten.
    /// - Complexity: O(baseCount × dimension).
    public static func dotProducts(
        query: UnsafePointer<Float>,
        base: UnsafePointer<Float>, baseCount: Int,
        dimension: Int, into scores: UnsafeMutablePointer<Float>
    ) {
        guard baseCount > 0 else { return }
        BLAS.ensureConfigured()
        let d = Int32(dimension)
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(baseCount), d,
                    1, base, d, query, 1, 0, scores, 1)
    }

    /// The squared length of each row: `norms[r] = rows[r] · rows[r]`.
    public static func squaredNorms(
        _ rows: UnsafePointer<Float>, count: Int, dimension: Int,
        into norms: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<count {
            let row = rows + r * dimension
            norms[r] = Kernels.dot(row, row, count: dimension)
        }
    }
}
