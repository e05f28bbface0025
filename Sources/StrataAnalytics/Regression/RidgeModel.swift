/// A fitted ridge regression: named coefficients in the features' original units, how well
/// it fits in and out of sample, and predictions with intervals.
public struct RidgeModel: Sendable {
    /// R² and mean absolute error, on the training rows and cross-validated.
    public struct FitQuality: Sendable, Equatable {
        public var rSquared: Double
        public var meanAbsoluteError: Double
        /// `1 − PRESS / total sum of squares` over the held-out folds; nil without folds.
        public var crossValidatedRSquared: Double?
        public var crossValidatedMeanAbsoluteError: Double?
    }

    /// One candidate penalty and its cross-validated mean squared error.
    public struct LambdaScore: Sendable, Equatable {
        public var lambda: Double
        public var meanSquaredError: Double
    }

    /// A predicted value with its prediction interval (for a new observation, not the mean).
    public struct Prediction: Sendable, Equatable {
        public var value: Double
        public var low: Double
        public var high: Double
        /// The standard error of a new observation at this row.
        public var standardError: Double
        public var confidence: Double
    }

    /// Feature names, in column order.
    public let names: [String]
    /// Slope per feature, in the target's units per unit of the feature.
    public let coefficients: [Double]
    public let intercept: Double
    /// The penalty used (given, or chosen by cross-validation).
    public let lambda: Double
    public let rowCount: Int
    public let quality: FitQuality
    /// `√(RSS / (n − 1 − effective parameters))`.
    public let residualStandardDeviation: Double
    public let residualDegreesOfFreedom: Double
    /// The numerical rank of the penalized system (below the feature count only for
    /// collinear features with λ = 0, solved by the minimum-norm fallback).
    public let rank: Int
    /// `dposv` (Cholesky) or `dgelsd` (SVD, the fallback).
    public let solver: String
    /// Every candidate λ and its cross-validated error; empty when λ was given without folds.
    public let crossValidation: [LambdaScore]
    let featureMeans: [Double]
    let featureScales: [Double]
    /// `(G + λI)⁻¹` on standardized features, `p × p` row-major.
    let standardizedInverse: [Double]

    /// (name, coefficient) pairs, in column order.
    public var namedCoefficients: [(name: String, value: Double)] {
        zip(names, coefficients).map { ($0, $1) }
    }

    /// The `count` coefficients with the largest effect on the prediction across the training
    /// data (|coefficient| × the feature's standard deviation), largest first.
    public func strongestCoefficients(_ count: Int) -> [(name: String, value: Double)] {
        let order = names.indices.sorted { abs(coefficients[$0] * featureScales[$0]) > abs(coefficients[$1] * featureScales[$1]) }
        return order.prefix(count).map { (names[$0], coefficients[$0]) }
    }

    /// The predicted target for one row of features (original units, column order).
    public func predict(_ row: [Double]) throws(AnalyticsError) -> Double {
        try check(row)
        return intercept + zip(coefficients, row).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// The prediction and its interval: `ŷ ± t·σ·√(1 + 1/n + zᵀ(G + λI)⁻¹z)`, with `z` the row
    /// standardized as in training, `t` Student's quantile on the residual degrees of freedom.
    ///
    /// The ridge bias is ignored, as is usual; the interval is good where the penalty is small
    /// against the data (most of the time once there are a few hundred rows).
    ///
    /// - Parameter confidence: the interval's coverage, between 0 and 1 (default 0.95).
    public func predict(_ row: [Double], confidence: Double) throws(AnalyticsError) -> Prediction {
        guard confidence > 0, confidence < 1 else {
            throw .invalidArgument(name: "confidence", value: "\(confidence)", expected: "a coverage between 0 and 1, such as 0.95")
        }
        let value = try predict(row)
        let p = names.count
        let z = (0..<p).map { (row[$0] - featureMeans[$0]) / featureScales[$0] }
        var leverage = 0.0
        for i in 0..<p {
            var sum = 0.0
            for j in 0..<p { sum += standardizedInverse[i * p + j] * z[j] }
            leverage += z[i] * sum
        }
        let error = residualStandardDeviation * (1 + 1 / Double(rowCount) + max(leverage, 0)).squareRoot()
        let half = Quantiles.twoSided(confidence: confidence, degreesOfFreedom: residualDegreesOfFreedom) * error
        return Prediction(value: value, low: value - half, high: value + half, standardError: error, confidence: confidence)
    }

    private func check(_ row: [Double]) throws(AnalyticsError) {
        guard row.count == names.count else {
            throw .invalidArgument(name: "row", value: "\(row.count) values", expected: "one per feature (\(names.count): \(names.prefix(6).joined(separator: ", "))\(names.count > 6 ? ", …" : ""))")
        }
        if let index = row.firstIndex(where: { !$0.isFinite }) {
            throw .invalidArgument(name: "feature '\(names[index])'", value: "\(row[index])", expected: "a finite number")
        }
    }

}
