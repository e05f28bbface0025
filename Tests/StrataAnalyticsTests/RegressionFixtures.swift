import CLinearAlgebra
import Foundation
import StrataAnalytics
import StrataKernels

/// Seeded linear data: `y = X·weights + intercept + noise`, with features that share a
/// common factor when `correlation` > 0.
struct LinearProblem {
    var features: DesignMatrix
    var targets: [Double]

    init(rows: Int, weights: [Double], intercept: Double, noise: Double, correlation: Double = 0, seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var values: [Double] = []
        var targets: [Double] = []
        for _ in 0..<rows {
            let common = Double(random.gaussian())
            let row = weights.indices.map { j in correlation * common + (1 - correlation) * Double(random.gaussian()) + Double(j) }
            values += row
            targets.append(zip(row, weights).reduce(intercept) { $0 + $1.0 * $1.1 } + noise * Double(random.gaussian()))
        }
        features = try DesignMatrix(columns: weights.count, values: values, names: weights.indices.map { "x\($0)" })
        self.targets = targets
    }
}

/// Least squares by Householder QR (`LAPACKE_dgels`) on `[X | 1]`: an answer that shares no
/// code with the ridge solver. Returns (slopes, intercept).
func leastSquaresByQR(_ x: DesignMatrix, _ y: [Double]) -> (slopes: [Double], intercept: Double) {
    let n = x.rows, p = x.columns
    var design = [Double](repeating: 1, count: n * (p + 1))
    for r in 0..<n {
        for j in 0..<p { design[r * (p + 1) + j] = x.values[r * p + j] }
    }
    var rightSide = y
    let info = LAPACKE_dgels(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), Int32(n), Int32(p + 1), 1, &design, Int32(p + 1), &rightSide, 1)
    precondition(info == 0, "dgels failed: \(info)")
    return (Array(rightSide[0..<p]), rightSide[p])
}

/// Ridge by QR on the augmented system `[Z; √λ·I] β = [y − ȳ; 0]`, with `Z` the centred,
/// standardized features: the textbook definition, solved without normal equations.
func ridgeByAugmentedQR(_ x: DesignMatrix, _ y: [Double], lambda: Double) -> (slopes: [Double], intercept: Double) {
    let n = x.rows, p = x.columns
    let means = (0..<p).map { j -> Double in (0..<n).reduce(0.0) { $0 + x.values[$1 * p + j] } / Double(n) }
    let scales = (0..<p).map { j -> Double in
        var sum = 0.0
        for r in 0..<n { sum += (x.values[r * p + j] - means[j]) * (x.values[r * p + j] - means[j]) }
        return (sum / Double(n)).squareRoot()
    }
    let yMean = y.reduce(0, +) / Double(n)
    var design = [Double](repeating: 0, count: (n + p) * p)
    var rightSide = [Double](repeating: 0, count: n + p)
    for r in 0..<n {
        for j in 0..<p { design[r * p + j] = (x.values[r * p + j] - means[j]) / scales[j] }
        rightSide[r] = y[r] - yMean
    }
    for j in 0..<p { design[(n + j) * p + j] = lambda.squareRoot() }
    let info = LAPACKE_dgels(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), Int32(n + p), Int32(p), 1, &design, Int32(p), &rightSide, 1)
    precondition(info == 0, "dgels failed: \(info)")
    let slopes = (0..<p).map { rightSide[$0] / scales[$0] }
    return (slopes, yMean - zip(slopes, means).reduce(0) { $0 + $1.0 * $1.1 })
}

func maximumDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
