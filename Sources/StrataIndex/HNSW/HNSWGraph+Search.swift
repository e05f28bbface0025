import StrataKernels

extension HNSWGraph {
    /// The `k` stored vectors nearest to `query`, nearest first.
    ///
    /// - Parameters:
    ///   - query: `dimension` finite floats (normalized here for cosine).
    ///   - k: results wanted, ≥ 1.
    ///   - ef: candidates examined, raised to `k`; default ``HNSWConfiguration/efSearch``.
    ///     Larger is slower and more accurate.
    ///   - filter: when given, only ids it accepts are returned; rejected nodes are still
    ///     traversed, so the `k` best accepted ids are found even when few are accepted.
    /// - Returns: up to `k` results; fewer only when fewer live vectors are accepted.
    /// - Throws: ``IndexError`` for a query of the wrong dimension or with NaN, or a `k`/`ef` < 1.
    /// - Complexity: about O(ef × M × log n) distance computations; with a selective filter,
    ///   up to the whole graph.
    /// - Important: Safe to call from many threads at once, and while other threads insert.
    public func search(_ query: [Float], k: Int, ef: Int? = nil, filter: ((UInt64) -> Bool)? = nil) throws(IndexError) -> [SearchResult] {
        try query.withUnsafeBufferPointer { (buffer) throws(IndexError) in
            try search(buffer, k: k, ef: ef, filter: filter)
        }
    }

    /// ``search(_:k:ef:filter:)`` over a buffer the caller owns.
    public func search(_ query: UnsafeBufferPointer<Float>, k: Int, ef: Int? = nil, filter: ((UInt64) -> Bool)? = nil) throws(IndexError) -> [SearchResult] {
        try IndexError.validate(query, dimension: dimension)
        let request = try KNNRequest(k: k, ef: ef, defaultEF: configuration.efSearch, predicate: filter)
        let snapshot = SearchSnapshot(self)
        return contexts.withContext(slots: snapshot.view.slotCount) { snapshot.nearest(to: query.baseAddress!, request: request, context: $0) }
    }

    /// Searches many queries on `threads` threads.
    ///
    /// - Parameter queries: `n * dimension` floats, row-major.
    /// - Returns: one result list per query, in order.
    public func search(batch queries: [Float], k: Int, ef: Int? = nil, threads: Int = Parallel.coreCount) throws(IndexError) -> [[SearchResult]] {
        guard queries.count % dimension == 0 else {
            throw .invalidArgument(name: "queries", value: "\(queries.count) floats", expected: "a multiple of the dimension \(dimension)")
        }
        let n = queries.count / dimension
        let request = try KNNRequest(k: k, ef: ef, defaultEF: configuration.efSearch, predicate: nil)
        try queries.withUnsafeBufferPointer { (buffer) throws(IndexError) in
            if let position = Kernels.firstNonFinite(buffer) { throw .nonFiniteComponent(position: position % dimension) }
        }
        let snapshot = SearchSnapshot(self)
        let results = ResultSlots<[SearchResult]>(count: n, initial: [])
        let workers = max(1, min(threads, n))
        contexts.withContexts(workers, slots: snapshot.view.slotCount) { workerContexts in
            queries.withUnsafeBufferPointer { buffer in
                nonisolated(unsafe) let base = buffer.baseAddress!
                let dimension = self.dimension
                Parallel.forEach(n, threads: workers) { worker, row in
                    results[row] = snapshot.nearest(to: base + row * dimension, request: request, context: workerContexts[worker])
                }
            }
        }
        return results.values
    }
}

/// What every search of a graph reads once before it starts: the entry point, a view of the
/// slots, whether tombstones exist, and how vectors are read.
struct SearchSnapshot: Sendable {
    let view: ArenaView
    let entry: (slot: UInt32, level: Int)?
    let metric: Metric
    let quantized: Bool
    let hasDeletions: Bool

    init(_ graph: HNSWGraph) {
        // The entry first: a slot it names is below the slot count the view reads after it.
        entry = graph.entry
        view = graph.arena.view
        metric = graph.metric
        quantized = graph.configuration.quantization == .int8
        hasDeletions = graph.deletedCount > 0
    }

    func nearest(to query: UnsafePointer<Float>, request: KNNRequest, context: SearchContext) -> [SearchResult] {
        view.nearest(to: query, entry: entry, request: request, metric: metric, quantized: quantized, hasDeletions: hasDeletions, context: context)
    }
}

/// One slot per item, written by whichever worker handles the item: no two workers write the
/// same slot, so no lock is needed.
final class ResultSlots<Value>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Value>
    let count: Int

    init(count: Int, initial: Value) {
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: initial, count: count)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    subscript(index: Int) -> Value {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    var values: [Value] { Array(UnsafeBufferPointer(start: storage, count: count)) }
}
