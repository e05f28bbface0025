import Foundation

/// A one-sided comparison of a candidate's mean quality with an incumbent's, against a
/// margin: H₀ "the candidate is worse by the margin or more" (rejected: non-inferior) and
/// its mirror "the candidate is within the margin" (rejected: inferior).
public struct NonInferiorityResult: Sendable, Equatable {
    /// Candidate mean minus incumbent mean (covariate-adjusted when ``adjusted``).
    public var difference: Double
    public var standardError: Double
    /// (difference + margin) / standard error, a Student t under H₀.
    public var statistic: Double
    /// Welch–Satterthwaite degrees of freedom.
    public var degreesOfFreedom: Double
    /// P-value for non-inferiority: small means the candidate is shown within the margin.
    public var pValue: Double
    /// P-value for inferiority: small means the candidate is shown worse than the margin.
    public var inferiorityPValue: Double
    public var margin: Double
    /// The means were adjusted for the retrieval similarity of each generation's context
    /// (``GenerationRecord/topSimilarity``), which predicts quality, so that the two arms
    /// are compared on the same mix of easy and hard generations.
    public var adjusted: Bool
}

/// Welch's one-sided test, with an analysis-of-covariance adjustment when every generation
/// of both arms carries a covariate.
///
/// The covariate (CUPED in A/B-testing terms) removes the part of the quality spread that
/// the generation's difficulty explains, so the same traffic decides sooner; with no
/// covariate, or one that explains nothing, it is Welch's test.
package enum NonInferiorityTest {
    package struct Sample {
        package var quality: [Double]
        package var covariate: [Double]?

        package init(quality: [Double], covariate: [Double]?) {
            self.quality = quality
            self.covariate = covariate
        }
    }

    /// Sums over one arm: its size, means and centred cross-products.
    private struct Moments {
        var n: Double, meanY: Double, meanX = 0.0, syy = 0.0, sxx = 0.0, sxy = 0.0

        init(_ y: [Double], _ x: [Double]?) {
            n = Double(y.count)
            meanY = y.reduce(0, +) / n
            if let x { meanX = x.reduce(0, +) / n }
            for i in y.indices {
                let dy = y[i] - meanY
                syy += dy * dy
                if let x {
                    let dx = x[i] - meanX
                    sxx += dx * dx
                    sxy += dx * dy
                }
            }
        }
    }

    /// Compares `candidate` with `incumbent`; `nil` when either has fewer than 2 generations.
    package static func run(candidate: Sample, incumbent: Sample, margin: Double) -> NonInferiorityResult? {
        guard candidate.quality.count >= 2, incumbent.quality.count >= 2 else { return nil }
        let useCovariate = candidate.covariate?.count == candidate.quality.count && incumbent.covariate?.count == incumbent.quality.count
            && candidate.quality.count >= 3 && incumbent.quality.count >= 3
        let c = Moments(candidate.quality, useCovariate ? candidate.covariate : nil)
        let i = Moments(incumbent.quality, useCovariate ? incumbent.covariate : nil)
        let sxx = c.sxx + i.sxx
        let adjusted = useCovariate && sxx > 1e-12
        let slope = adjusted ? (c.sxy + i.sxy) / sxx : 0
        // Residual spread of each arm around its own line (the plain spread when unadjusted).
        let residualC = max(c.syy - 2 * slope * c.sxy + slope * slope * c.sxx, 0)
        let residualI = max(i.syy - 2 * slope * i.sxy + slope * slope * i.sxx, 0)
        let varianceC = residualC / (c.n - 1) / c.n, varianceI = residualI / (i.n - 1) / i.n
        var squaredError = varianceC + varianceI
        if adjusted {
            let pooled = (residualC + residualI) / max(c.n + i.n - 3, 1)
            squaredError += (c.meanX - i.meanX) * (c.meanX - i.meanX) * pooled / sxx
        }
        let standardError = max(squaredError.squareRoot(), 1e-12)
        let difference = (c.meanY - i.meanY) - slope * (c.meanX - i.meanX)
        let denominator = varianceC * varianceC / (c.n - 1) + varianceI * varianceI / (i.n - 1)
        let df = denominator > 0 ? (varianceC + varianceI) * (varianceC + varianceI) / denominator : c.n + i.n - 2
        let statistic = (difference + margin) / standardError
        let below = Probability.studentTCDF(statistic, degreesOfFreedom: df)
        return NonInferiorityResult(
            difference: difference, standardError: standardError, statistic: statistic, degreesOfFreedom: df,
            pValue: 1 - below, inferiorityPValue: below, margin: margin, adjusted: adjusted
        )
    }
}
