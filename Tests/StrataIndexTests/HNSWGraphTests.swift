import Foundation
import StrataIndex
import StrataKernels
import Testing

@Suite struct HNSWGraphTests {
    @Test(arguments: [Metric.cosine, .innerProduct, .l2])
    func recallAgainstExactSearch(metric: Metric) throws {
        let fixture = ClusteredFixture(metric: metric)
        let graph = try fixture.graph()
        #expect(graph.count == fixture.base.count)
        let truth = try fixture.exact(k: 10)
        let found = try (0..<fixture.queries.count).map { try graph.search(fixture.queries[$0], k: 10, ef: 64) }
        let r = recall(found, truth, k: 10)
        #expect(r >= 0.95, "recall@10 = \(r) for \(metric)")
        // Distances are reported in the metric's own terms, so they match exact search.
        for (f, t) in zip(found, truth) where f.first?.id == t.first?.id {
            #expect(abs(f[0].distance - t[0].distance) < 1e-4)
        }
        #expect(graph.checkIntegrity().isEmpty)
    }
}
