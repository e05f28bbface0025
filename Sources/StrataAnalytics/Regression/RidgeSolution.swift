/// A ridge fit in the shifted coordinates of a ``CrossProducts``: slopes in the features'
/// own units, and what a prediction interval needs.
struct RidgeSolution {
    var slopes: [Double]
    var intercept: Double
    /// Training means of the (shifted) features and their scales (standard deviations, or
    /// 1 when not standardizing or for a constant feature).
    var means: [Double]
    var scales: [Double]
    /// `(G + λI)⁻¹` on standardized features, when asked for.
    var inverse: [Double]?
    /// `trace(G (G + λI)⁻¹)`: the effective number of fitted slopes, when asked for.
    var effectiveParameters: Double?
    var rank: Int
    var routine: String

    /// Solves the ridge problem whose data `sums` summarizes, with penalty `lambda` on the
    /// standardized slopes and none on the intercept (centring takes it out of the system).
    init(_ sums: CrossProducts, lambda: Double, standardize: Bool, shift: [Double], wantInverse: Bool) throws(AnalyticsError) {
        let p = sums.features, m = sums.width
        let n = sums.count
        let s = sums.values
        let means = (0..<p).map { s[$0 * m + p] / n }
        let targetMean = s[(p + 1) * m + p] / n
        var centred = [Double](repeating: 0, count: p * p)
        for i in 0..<p {
            for j in 0..<p { centred[i * p + j] = s[i * m + j] - n * means[i] * means[j] }
        }
        let scales = (0..<p).map { j -> Double in
            let deviation = (max(centred[j * p + j], 0) / n).squareRoot()
            // A constant feature carries nothing the intercept does not; leaving it unscaled
            // keeps its row of the Gram matrix at zero, and its slope at zero.
            let constant = deviation <= 1e-12 * (1 + abs(means[j] + shift[j]))
            return standardize && !constant ? deviation : 1
        }
        var system = [Double](repeating: 0, count: p * p)
        for i in 0..<p {
            for j in 0..<p { system[i * p + j] = centred[i * p + j] / (scales[i] * scales[j]) }
        }
        let gram = system
        for j in 0..<p { system[j * p + j] += lambda }
        let columns = wantInverse ? p + 1 : 1
        var rightSide = [Double](repeating: 0, count: p * columns)
        for j in 0..<p {
            rightSide[j * columns] = (s[j * m + p + 1] - n * means[j] * targetMean) / scales[j]
            if wantInverse { rightSide[j * columns + 1 + j] = 1 }
        }
        let solution = try SymmetricSystem.solve(system, size: p, rightSide, rightHandSides: columns)
        slopes = (0..<p).map { solution.x[$0 * columns] / scales[$0] }
        intercept = targetMean - zip(slopes, means).reduce(0) { $0 + $1.0 * $1.1 }
        self.means = means
        self.scales = scales
        rank = solution.rank
        routine = solution.routine
        if wantInverse {
            let inverse = (0..<(p * p)).map { solution.x[($0 / p) * columns + 1 + $0 % p] }
            self.inverse = inverse
            effectiveParameters = zip(gram, inverse).reduce(0) { $0 + $1.0 * $1.1 }
        }
    }
}
