import CLinearAlgebra
import Foundation

/// Solves `A·X = B` for a small symmetric positive semi-definite `A` (a regularized Gram
/// matrix), through LAPACKE, every call checked and named in the error.
///
/// Cholesky (`dposv`) first: it is the fast path and exact for any ridge penalty > 0. When
/// `A` is not positive definite, or so badly conditioned that Cholesky's answer would be
/// noise (collinear features with no penalty), the minimum-norm least-squares solution
/// through the SVD (`dgelsd`) is returned instead, with the numerical rank it found.
enum SymmetricSystem {
    struct Solution {
        /// `size × rightHandSides`, row-major.
        var x: [Double]
        /// The numerical rank of `A` (`size` when Cholesky succeeded).
        var rank: Int
        /// The LAPACK routine whose answer this is.
        var routine: String
    }

    /// Reciprocal condition number below which a Cholesky answer is not trusted. Double
    /// carries ~16 digits; past 1e-12 fewer than four of them survive in the solution.
    static let minimumReciprocalCondition = 1e-12

    /// - Parameters:
    ///   - a: `size × size`, row-major, symmetric (only the upper triangle is read by Cholesky).
    ///   - b: `size × rightHandSides`, row-major.
    static func solve(_ a: [Double], size: Int, _ b: [Double], rightHandSides: Int) throws(AnalyticsError) -> Solution {
        precondition(a.count == size * size && b.count == size * rightHandSides)
        var factor = a
        var x = b
        let n = Int32(size), nrhs = Int32(rightHandSides)
        let info = LAPACKE_dposv(LAPACK_ROW_MAJOR, upper, n, nrhs, &factor, n, &x, nrhs)
        if info < 0 {
            throw .linearAlgebra(routine: "LAPACKE_dposv", info: Int(info), problem: "argument \(-info) was invalid (a bug in Strata)")
        }
        if info == 0 {
            var rcond = 0.0
            let conditionInfo = LAPACKE_dpocon(LAPACK_ROW_MAJOR, upper, n, &factor, n, oneNorm(a, size: size), &rcond)
            if conditionInfo == 0, rcond >= minimumReciprocalCondition {
                return Solution(x: x, rank: size, routine: "dposv")
            }
        }
        return try minimumNorm(a, size: size, b, rightHandSides: rightHandSides)
    }

    /// The minimum-norm solution of `A·X = B` through the SVD (`dgelsd`).
    static func minimumNorm(_ a: [Double], size: Int, _ b: [Double], rightHandSides: Int) throws(AnalyticsError) -> Solution {
        var matrix = a
        var x = b
        var singularValues = [Double](repeating: 0, count: size)
        var rank: Int32 = 0
        let n = Int32(size), nrhs = Int32(rightHandSides)
        // Singular values under 1e-12 of the largest count as zero: exact collinearity,
        // blurred by round-off, must not come back as a huge, meaningless coefficient.
        let info = LAPACKE_dgelsd(LAPACK_ROW_MAJOR, n, n, nrhs, &matrix, n, &x, nrhs, &singularValues, 1e-12, &rank)
        guard info == 0 else {
            throw .linearAlgebra(
                routine: "LAPACKE_dgelsd", info: Int(info),
                problem: info < 0 ? "argument \(-info) was invalid (a bug in Strata)" : "the SVD did not converge; check the features for huge or degenerate values")
        }
        return Solution(x: x, rank: Int(rank), routine: "dgelsd")
    }

    private static let upper = CChar(UInt8(ascii: "U"))

    private static func oneNorm(_ a: [Double], size: Int) -> Double {
        var best = 0.0
        for column in 0..<size {
            var sum = 0.0
            for row in 0..<size { sum += abs(a[row * size + column]) }
            best = max(best, sum)
        }
        return best
    }
}
