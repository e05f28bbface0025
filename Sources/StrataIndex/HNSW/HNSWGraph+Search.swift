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
        guard let entry else { return [] }
        let view = arena.view
        let hasDeletions = deletedCount > 0
        let quantized = configuration.quantization == .int8
        return contexts.withContext(slots: view.slotCount) { context in
            view.nearest(to: query.baseAddress!, entry: entry, request: request, metric: metric, quantized: quantized, hasDeletions: hasDeletions, context: context)
        }
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
        guard let entry else { return Array(repeating: [], count: n) }
        let view = arena.view
        let hasDeletions = deletedCount > 0
        let quantized = configuration.quantization == .int8
        let results = ResultSlots<[SearchResult]>(count: n, initial: [])
        queries.withUnsafeBufferPointer { buffer in
            nonisolated(unsafe) let base = buffer.baseAddress!
            let dimension = self.dimension, metric = self.metric
            Parallel.forEach(n, threads: threads) { _, row in
                let found = contexts.withContext(slots: view.slotCount) { context in
                    view.nearest(to: base + row * dimension, entry: entry, request: request, metric: metric, quantized: quantized, hasDeletions: hasDeletions, context: context)
                }
                results[row] = found
            }
        }
        return results.values
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
