import Foundation
import Testing
import StrataAnalytics

@Suite struct ProbabilityTests {
    @Test func studentTMatchesKnownValues() {
        // Table quantiles, and the closed forms for one and two degrees of freedom.
        #expect(abs(Probability.studentTCDF(2.228, degreesOfFreedom: 10) - 0.975) < 2e-4)
        #expect(abs(Probability.studentTCDF(2.015, degreesOfFreedom: 5) - 0.95) < 2e-4)
        #expect(abs(Probability.studentTCDF(1, degreesOfFreedom: 1) - 0.75) < 1e-10)
        let t = 1.3
        #expect(abs(Probability.studentTCDF(t, degreesOfFreedom: 2) - (0.5 + t / (2 * (2 + t * t).squareRoot()))) < 1e-10)
        #expect(abs(Probability.studentTCDF(-1.3, degreesOfFreedom: 7.5) + Probability.studentTCDF(1.3, degreesOfFreedom: 7.5) - 1) < 1e-12)
        #expect(abs(Probability.studentTCDF(1.96, degreesOfFreedom: 1e8) - 0.975) < 1e-3)
    }

    @Test func similarityAdjustmentNarrowsTheComparisonItExplains() {
        var fixtures = ModelFixtures(seed: 11)
        func arm(_ count: Int, mean: Double) -> NonInferiorityTest.Sample {
            var quality: [Double] = [], similarity: [Double] = []
            for _ in 0..<count {
                let difficulty = fixtures.random.standardNormal()
                similarity.append(0.75 + 0.1 * difficulty)
                quality.append(mean + 0.045 * difficulty + 0.02 * fixtures.random.standardNormal())
            }
            return NonInferiorityTest.Sample(quality: quality, covariate: similarity)
        }
        let candidate = arm(60, mean: 0.9), incumbent = arm(60, mean: 0.9)
        let adjusted = NonInferiorityTest.run(candidate: candidate, incumbent: incumbent, margin: 0.02)!
        let plain = NonInferiorityTest.run(candidate: NonInferiorityTest.Sample(quality: candidate.quality, covariate: nil),
                                           incumbent: NonInferiorityTest.Sample(quality: incumbent.quality, covariate: nil), margin: 0.02)!
        #expect(adjusted.adjusted && !plain.adjusted)
        #expect(adjusted.standardError < 0.6 * plain.standardError)
        #expect(adjusted.pValue < plain.pValue)
        #expect(abs(adjusted.pValue + adjusted.inferiorityPValue - 1) < 1e-12)
    }
}
