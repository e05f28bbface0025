import Foundation
import StrataIndex
import StrataKernels
import Testing
import StrataAnalytics

@Suite struct PrincipalComponentsTests {
    /// Points spread 10× more along one direction than a second, and 3× more along the second
    /// than any other: PCA must find the two directions, in that order, with their variances.
    @Test func findsTheDirectionsOfLargestVariance() throws {
        let d = 40
        var random = SeededRandom(seed: 31)
        var first = (0..<d).map { _ in random.gaussian() }
        Kernels.normalize(&first)
        var second = (0..<d).map { _ in random.gaussian() }
        let overlap = zip(first, second).reduce(0) { $0 + $1.0 * $1.1 }
        second = zip(second, first).map { $0 - overlap * $1 }
        Kernels.normalize(&second)
        let offset = (0..<d).map { _ in 5 * random.gaussian() }
        var values: [Float] = []
        let n = 4_000
        for _ in 0..<n {
            let a = 10 * random.gaussian(), b = 3 * random.gaussian()
            for i in 0..<d { values.append(offset[i] + a * first[i] + b * second[i] + 0.3 * random.gaussian()) }
        }
        let set = VectorSet(dimension: d, values: values)
        let pca = try PrincipalComponents.fit(set, components: 2)
        let axis0 = Array(pca.axes[0..<d]), axis1 = Array(pca.axes[d..<(2 * d)])
        #expect(abs(zip(axis0, first).reduce(0) { $0 + $1.0 * $1.1 }) > 0.999)
        #expect(abs(zip(axis1, second).reduce(0) { $0 + $1.0 * $1.1 }) > 0.99)
        #expect(abs(pca.variances[0] - 100.09) / 100 < 0.08)
        #expect(abs(pca.variances[1] - 9.09) / 9 < 0.08)
        // Total: 100 + 9 + 40 × 0.09.
        #expect(abs(pca.totalVariance - 112.6) / 112.6 < 0.08)
        #expect(pca.explainedRatios[0] > 0.85)

        let projected = try pca.project(set)
        #expect(projected.count == 2 * n)
        let meanX = (0..<n).reduce(0.0) { $0 + Double(projected[2 * $1]) } / Double(n)
        let varianceX = (0..<n).reduce(0.0) { $0 + pow(Double(projected[2 * $1]) - meanX, 2) } / Double(n - 1)
        #expect(abs(meanX) < 1e-2)
        #expect(abs(varianceX - pca.variances[0]) / pca.variances[0] < 1e-3)
    }

    @Test func refusesTooFewVectorsOrAWrongDimension() throws {
        #expect(throws: AnalyticsError.insufficientData(what: "vectors for PCA", needed: 2, got: 1)) {
            try PrincipalComponents.fit(VectorSet(dimension: 3, values: [1, 2, 3]))
        }
        let set = VectorSet(dimension: 3, values: [1, 2, 3, 4, 5, 7, 0, 1, 0])
        #expect(throws: AnalyticsError.self) { try PrincipalComponents.fit(set, components: 4) }
        let pca = try PrincipalComponents.fit(set, components: 2)
        #expect(throws: AnalyticsError.self) { try pca.project(VectorSet(dimension: 2, values: [1, 2])) }
    }
}
