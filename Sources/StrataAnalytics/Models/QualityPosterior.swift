import Foundation
import StrataKernels

/// What the selector believes about a model's mean quality: a Normal–Gamma posterior over
/// (mean, precision) of per-generation quality, whose marginal for the mean is a Student t.
///
/// The prior is centred on the stage's pooled quality (every model's scored generations),
/// worth `priorStrength` generations, with a prior per-generation spread of `priorSD`: an
/// unseen model is assumed to be like the others until it shows otherwise, and a handful
/// of generations is enough to move it.
package struct QualityPosterior: Sendable {
    package var mean: Double
    package var kappa: Double
    package var alpha: Double
    package var beta: Double

    package init(evidence: ModelEvidence, priorMean: Double, priorStrength: Double, priorSD: Double) {
        let alpha0 = 2.0
        let n = Double(evidence.scored)
        kappa = priorStrength + n
        mean = (priorStrength * priorMean + n * evidence.qualityMean) / kappa
        alpha = alpha0 + n / 2
        let shift = evidence.qualityMean - priorMean
        beta = alpha0 * priorSD * priorSD + 0.5 * evidence.qualitySquaredDeviations
            + (n > 0 ? priorStrength * n * shift * shift / (2 * kappa) : 0)
    }

    /// Scale of the Student-t marginal of the mean: its standard error.
    package var scale: Double { (beta / (alpha * kappa)).squareRoot() }
    package var degreesOfFreedom: Double { 2 * alpha }

    /// Posterior probability that the true mean quality is at least `target`.
    package func probability(atLeast target: Double) -> Double {
        1 - Probability.studentTCDF((target - mean) / scale, degreesOfFreedom: degreesOfFreedom)
    }

    /// Half-width of the central 95 % credible interval (normal approximation of the t).
    package var halfWidth95: Double { 1.96 * scale }

    /// One draw of the mean quality (precision from its Gamma, then the mean given it).
    package func sampleMean(using random: inout SeededRandom) -> Double {
        let precision = random.gamma(shape: alpha) / beta
        return mean + random.standardNormal() / (kappa * precision).squareRoot()
    }
}
