import CLinearAlgebra

/// Principal component analysis: the directions along which vectors vary most, for drawing a
/// high-dimensional set on a 2-D map (the cluster report) or keeping the most telling
/// dimensions of a distilled embedding table (the static embedder).
///
/// The covariance is accumulated block by block with `ssyrk` on centred rows (in float, each
/// block's contribution folded into a double matrix) and decomposed with LAPACKE `dsyevr`,
/// which returns only the requested top eigenpairs.
public struct PrincipalComponents: Sendable, Equatable {
    /// The mean vector subtracted before projecting.
    public var mean: [Float]
    /// `components × dimension`, row `i` the unit direction of component `i`, by decreasing
    /// variance.
    public var axes: [Float]
    /// Variance along each component.
    public var variances: [Double]
    /// Total variance of the vectors (trace of the covariance).
    public var totalVariance: Double
    public var dimension: Int

    public init(mean: [Float], axes: [Float], variances: [Double], totalVariance: Double, dimension: Int) {
        self.mean = mean
        self.axes = axes
        self.variances = variances
        self.totalVariance = totalVariance
        self.dimension = dimension
    }

    /// Components kept.
    public var count: Int { variances.count }

    /// The share of the total variance each component explains.
    public var explainedRatios: [Double] {
        variances.map { totalVariance > 0 ? $0 / totalVariance : 0 }
    }

    /// Why a fit failed.
    public enum Failure: Error, Equatable, Sendable {
        /// Fewer than two vectors.
        case tooFewVectors(Int)
        /// A component count outside 1…dimension.
        case componentsOutOfRange(components: Int, dimension: Int)
        /// LAPACK's eigen-decomposition failed (`info`), having found `found` eigenpairs.
        case decompositionFailed(info: Int, found: Int)
    }

    /// Fits `components` principal components to `rows`, row-major vectors of `dimension`
    /// floats.
    ///
    /// - Throws: ``Failure`` with fewer than two vectors, a component count outside
    ///   1…dimension, or when LAPACK fails.
    public static func fit(rows: [Float], dimension: Int, components: Int = 2) throws(Failure) -> PrincipalComponents {
        let d = dimension
        let n = d > 0 ? rows.count / d : 0
        guard n >= 2 else { throw .tooFewVectors(n) }
        guard (1...d).contains(components) else { throw .componentsOutOfRange(components: components, dimension: d) }
        var mean = [Double](repeating: 0, count: d)
        rows.withUnsafeBufferPointer { values in
            for row in 0..<n {
                let vector = values.baseAddress! + row * d
                for i in 0..<d { mean[i] += Double(vector[i]) }
            }
        }
        for i in 0..<d { mean[i] /= Double(n) }
        let meanFloat = mean.map(Float.init)

        // Upper triangle of Σ (x − μ)(x − μ)ᵀ, row-major d × d.
        var covariance = [Double](repeating: 0, count: d * d)
        let blockRows = 2_048
        var centred = [Float](repeating: 0, count: blockRows * d)
        var blockProduct = [Float](repeating: 0, count: d * d)
        BLAS.ensureConfigured()
        rows.withUnsafeBufferPointer { values in
            var start = 0
            while start < n {
                let rows = min(blockRows, n - start)
                for r in 0..<rows {
                    let source = values.baseAddress! + (start + r) * d
                    for i in 0..<d { centred[r * d + i] = source[i] - meanFloat[i] }
                }
                cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(d), Int32(rows), 1, centred, Int32(d), 0, &blockProduct, Int32(d))
                for i in 0..<d {
                    for j in i..<d { covariance[i * d + j] += Double(blockProduct[i * d + j]) }
                }
                start += rows
            }
        }
        let scale = 1 / Double(n - 1)
        var trace = 0.0
        for i in 0..<d {
            for j in i..<d { covariance[i * d + j] *= scale }
            trace += covariance[i * d + i]
        }

        var found: Int32 = 0
        var values = [Double](repeating: 0, count: d)
        var vectorsOut = [Double](repeating: 0, count: d * components)
        var support = [Int32](repeating: 0, count: 2 * components)
        // The largest `components` eigenvalues are indices d − components + 1 … d (ascending order).
        let info = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, 86 /* V */, 73 /* I */, 85 /* U */, Int32(d), &covariance, Int32(d),
                                  0, 0, Int32(d - components + 1), Int32(d), 0, &found, &values, &vectorsOut, Int32(components), &support)
        guard info == 0, Int(found) == components else { throw .decompositionFailed(info: Int(info), found: Int(found)) }
        // Descending variance; each axis's sign fixed so its largest component is positive,
        // so the same data always draws the same way round.
        var axes = [Float](repeating: 0, count: components * d)
        var variances = [Double](repeating: 0, count: components)
        for c in 0..<components {
            let column = components - 1 - c
            var largest = 0.0
            for i in 0..<d where abs(vectorsOut[i * components + column]) > abs(largest) { largest = vectorsOut[i * components + column] }
            let sign: Double = largest < 0 ? -1 : 1
            for i in 0..<d { axes[c * d + i] = Float(sign * vectorsOut[i * components + column]) }
            variances[c] = max(0, values[column])
        }
        return PrincipalComponents(mean: meanFloat, axes: axes, variances: variances, totalVariance: trace, dimension: d)
    }

    /// The coordinates of each of `rows` (row-major vectors of the fitted dimension) on the
    /// components: `count × components` floats, row-major.
    public func project(rows: [Float]) -> [Float] {
        precondition(rows.count % dimension == 0, "\(rows.count) floats are not rows of the fitted dimension \(dimension)")
        let n = rows.count / dimension
        var out = [Float](repeating: 0, count: n * count)
        guard n > 0 else { return out }
        // x·a − μ·a for each axis a: one sgemm, no centred copy.
        var offsets = [Float](repeating: 0, count: count)
        for c in 0..<count {
            // Portable: the components are persisted (the static embedder's table), byte for byte.
            offsets[c] = axes.withUnsafeBufferPointer { Kernels.portableDot($0.baseAddress! + c * dimension, mean, count: dimension) }
        }
        rows.withUnsafeBufferPointer { values in
            axes.withUnsafeBufferPointer { axes in
                BatchScores.dotProducts(queries: values.baseAddress!, queryCount: n, base: axes.baseAddress!, baseCount: count, dimension: dimension, into: &out)
            }
        }
        for row in 0..<n {
            for c in 0..<count { out[row * count + c] -= offsets[c] }
        }
        return out
    }
}
