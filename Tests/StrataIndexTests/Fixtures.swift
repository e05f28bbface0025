import StrataIndex
import StrataKernels
import Testing

/// Small clustered data and its exact neighbours, shared by the index tests.
struct ClusteredFixture: Sendable {
    let base: VectorSet
    let queries: VectorSet
    let metric: Metric

    init(count: Int = 3000, queries: Int = 100, dimension: Int = 32, seed: UInt64 = 7, metric: Metric = .cosine) {
        let data = SyntheticDataset(dimension: dimension, centres: 20, seed: seed)
        base = data.base(count: count)
        self.queries = data.queries(count: queries)
        self.metric = metric
    }

    var ids: [UInt64] { (0..<UInt64(base.count)).map { $0 } }

    func graph(m: Int = 12, efConstruction: Int = 100, threads: Int = 2) throws -> HNSWGraph {
        let graph = try HNSWGraph(configuration: HNSWConfiguration(dimension: base.dimension, metric: metric, m: m, efConstruction: efConstruction))
        try graph.insert(contentsOf: base.values, ids: ids, threads: threads)
        return graph
    }

    /// Expects recall@10 at `ef` 64 of at least 0.95 against exact search, and the nearest
    /// result's distance equal to the exact one wherever both name the same vector.
    func expectRecallAndExactDistances(of graph: HNSWGraph, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let truth = try exact(k: 10)
        let found = try (0..<queries.count).map { try graph.search(queries[$0], k: 10, ef: 64) }
        let r = recall(found, truth, k: 10)
        #expect(r >= 0.95, "recall@10 = \(r) for \(metric)", sourceLocation: sourceLocation)
        for (f, t) in zip(found, truth) where f.first?.id == t.first?.id {
            #expect(abs(f[0].distance - t[0].distance) < 1e-4, sourceLocation: sourceLocation)
        }
    }

    func exact(k: Int, filter: ((UInt64) -> Bool)? = nil) throws -> [[SearchResult]] {
        let flat = try FlatIndex(dimension: base.dimension, metric: metric)
        try flat.add(contentsOf: base.values, ids: ids)
        return try (0..<queries.count).map { try flat.search(queries[$0], k: k, filter: filter) }
    }
}

/// Mean fraction of the true `k` nearest found among the first `k` results.
func recall(_ found: [[SearchResult]], _ truth: [[SearchResult]], k: Int) -> Double {
    var hits = 0, total = 0
    for (f, t) in zip(found, truth) {
        let expected = Set(t.prefix(k).map(\.id))
        hits += f.prefix(k).filter { expected.contains($0.id) }.count
        total += min(k, t.count)
    }
    return total == 0 ? 1 : Double(hits) / Double(total)
}
