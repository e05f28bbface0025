import StrataIndex
import StrataKernels

extension PrincipalComponents {
    /// Fits `components` principal components to `vectors`.
    ///
    /// - Throws: ``AnalyticsError/insufficientData(what:needed:got:)`` with fewer than two
    ///   vectors; ``AnalyticsError/invalidArgument(name:value:expected:)`` for a component count
    ///   outside 1…dimension; ``AnalyticsError/linearAlgebra(routine:info:problem:)`` if LAPACK fails.
    public static func fit(_ vectors: VectorSet, components: Int = 2) throws(AnalyticsError) -> PrincipalComponents {
        do {
            return try fit(rows: vectors.values, dimension: vectors.dimension, components: components)
        } catch {
            switch error {
            case let .tooFewVectors(count):
                throw .insufficientData(what: "vectors for PCA", needed: 2, got: count)
            case let .componentsOutOfRange(components, dimension):
                throw .invalidArgument(name: "components", value: "\(components)", expected: "1…\(dimension) (the dimension)")
            case let .decompositionFailed(info, found):
                throw .linearAlgebra(routine: "LAPACKE_dsyevr", info: info, problem: "the covariance eigen-decomposition did not converge (\(found) of \(components) eigenpairs)")
            }
        }
    }

    /// The coordinates of each vector on the components: `count × components` floats, row-major.
    public func project(_ vectors: VectorSet) throws(AnalyticsError) -> [Float] {
        guard vectors.dimension == dimension else {
            throw .invalidArgument(name: "vector dimension", value: "\(vectors.dimension)", expected: "\(dimension), the dimension the components were fitted on")
        }
        return project(rows: vectors.values)
    }
}
