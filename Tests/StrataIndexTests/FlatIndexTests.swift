import StrataIndex
import StrataKernels
import Testing

@Suite struct FlatIndexTests {
    @Test(arguments: [Metric.cosine, .innerProduct, .l2])
    func batchAndSingleSearchAgreeWithBruteForce(metric: Metric) throws {
        let fixture = ClusteredFixture(count: 5000, queries: 300, dimension: 24, metric: metric)
        let flat = try FlatIndex(dimension: 24, metric: metric)
        try flat.add(contentsOf: fixture.base.values, ids: fixture.ids.map { $0 + 100 })
        #expect(flat.count == 5000)
        let batch = try flat.search(batch: fixture.queries.values, k: 7, threads: 2)
        #expect(batch.count == 300)
        for q in [0, 150, 299] {
            var query = fixture.queries[q]
            if metric == .cosine { Kernels.normalize(&query) }
            let brute = (0..<5000).map { i -> (Float, UInt64) in
                var v = fixture.base[i]
                if metric == .cosine { Kernels.normalize(&v) }
                return (Kernels.distance(metric, query, v, count: 24), UInt64(i + 100))
            }.sorted { $0 < $1 }.prefix(7)
            let single = try flat.search(fixture.queries[q], k: 7)
            #expect(single.map(\.id) == brute.map(\.1))
            #expect(batch[q].map(\.id) == brute.map(\.1))
            for (result, expected) in zip(single, brute) { #expect(abs(result.distance - expected.0) < 1e-3) }
        }
    }

    @Test func filterAndErrors() throws {
        let flat = try FlatIndex(dimension: 2, metric: .cosine)
        try flat.add(contentsOf: [1, 0, 0, 1, 1, 1], ids: [1, 2, 3])
        #expect(try flat.search([1, 0.1], k: 3, filter: { $0 != 1 }).map(\.id) == [3, 2])
        #expect(throws: IndexError.zeroVector) { try flat.add(contentsOf: [0, 0], ids: [4]) }
        #expect(throws: IndexError.dimensionMismatch(expected: 2, got: 3)) { try flat.search([1, 2, 3], k: 1) }
        #expect(throws: IndexError.self) { try flat.search(batch: [1, 2, 3], k: 1) }
        #expect(flat.count == 3)
        let empty = try FlatIndex(dimension: 2, metric: .l2)
        #expect(try empty.search(batch: [1, 2], k: 3) == [[]])
    }
}
