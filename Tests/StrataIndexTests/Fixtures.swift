import StrataIndex
import StrataKernels

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
