import StrataIndex

extension StoreConfiguration {
    /// An empty graph of the store's dimension, metric and build settings.
    func makeGraph() throws(StoreError) -> HNSWGraph {
        do {
            return try HNSWGraph(configuration: HNSWConfiguration(
                dimension: dimension, metric: metric, m: m,
                efConstruction: efConstruction, efSearch: efSearch, reuseDeletedSlots: true,
                // int8 codes serve cosine and inner product; an l2 store reads float32.
                quantization: metric == .l2 ? .none : quantization))
        } catch {
            throw .index(error)
        }
    }

    /// A graph of the store's settings holding `flat` (row-major vectors) under `ids`.
    func makeGraph(holding flat: [Float], ids: [UInt64]) throws(StoreError) -> HNSWGraph {
        let graph = try makeGraph()
        guard !ids.isEmpty else { return graph }
        do {
            try graph.insert(contentsOf: flat, ids: ids, threads: threads)
        } catch {
            throw .index(error)
        }
        return graph
    }
}
