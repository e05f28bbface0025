import StrataKernels

/// What a k-nearest-neighbour query asks for, checked once before the search.
/// `@unchecked`: only batch searches cross threads, and they carry no predicate.
struct KNNRequest: @unchecked Sendable {
    var k: Int
    var ef: Int
    var predicate: ((UInt64) -> Bool)?

    init(k: Int, ef: Int?, defaultEF: Int, predicate: ((UInt64) -> Bool)?) throws(IndexError) {
        guard k >= 1 else { throw .invalidArgument(name: "k", value: "\(k)", expected: "≥ 1") }
        if let ef, ef < 1 { throw .invalidArgument(name: "ef", value: "\(ef)", expected: "≥ 1") }
        self.k = k
        self.ef = max(ef ?? defaultEF, k)
        self.predicate = predicate
    }
}

extension GraphLayout {
    /// The `k` nearest accepted nodes to `query`: descend the upper levels greedily, then a
    /// best-first search of level 0 with `ef` candidates.
    ///
    /// With `quantized`, both run on int8 codes and the `ef` candidates found are re-ranked
    /// by their float32 distances before the best `k` are taken.
    ///
    /// - Parameters:
    ///   - query: validated, `dimension` floats; normalized into the context when `normalize`.
    ///   - entry: the entry point and top level.
    ///   - hasDeletions: whether any slot is a tombstone; without tombstones and predicate the
    ///     search runs the unfiltered loop.
    func nearest<D: DistanceKernel>(
        to query: UnsafePointer<Float>, entry: (slot: UInt32, level: Int), request: KNNRequest,
        metric: Metric, quantized: Bool, hasDeletions: Bool, context: SearchContext, kernel: D.Type
    ) -> [SearchResult] {
        let q = context.query
        q.update(from: query, count: dimension)
        if metric.normalizesVectors { Kernels.normalize(q, count: dimension) }
        let exact = FloatScorer<Self, D>(layout: self, query: q)
        guard quantized else {
            traverse(exact, entry: entry, request: request, hasDeletions: hasDeletions, context: context)
            return takeResults(context, k: request.k)
        }
        let approximate = Int8Scorer<Self, D.Instructions>(layout: self, query: q, metric: metric, context: context)
        traverse(approximate, entry: entry, request: request, hasDeletions: hasDeletions, context: context)
        // Only the nearest by the int8 distance are re-scored: its error is a rounding of each
        // component, so the true top k sits well inside the top `rerankDepth` (recall measured
        // equal to re-ranking all ef candidates), and each float vector re-read is a cache miss.
        let candidates = context.drainResults()
        let depth = min(candidates.count, Self.rerankDepth(k: request.k))
        var reranked = candidates[..<depth].map { Candidate(distance: exact.distance(to: $0.slot), slot: $0.slot) }
        reranked.sort { NearestFirst.above($0, $1) }
        return reranked.prefix(request.k).map { SearchResult(id: label($0.slot), distance: $0.distance) }
    }

    /// How many int8 candidates a quantized search re-scores in float32 for `k` results.
    static func rerankDepth(k: Int) -> Int { max(4 * k, 40) }

    /// Descends to level 0 and searches it, leaving the candidates in `context.results`.
    private func traverse<S: QueryScorer>(
        _ scorer: S, entry: (slot: UInt32, level: Int), request: KNNRequest, hasDeletions: Bool, context: SearchContext
    ) {
        let start = Candidate(distance: scorer.distance(to: entry.slot), slot: entry.slot)
        let levelZeroEntry = descend(scorer, from: start, top: entry.level, bottom: 0)
        if request.predicate == nil && !hasDeletions {
            searchLevel(scorer, entry: levelZeroEntry, ef: request.ef, level: 0, filter: AcceptAll(), context: context)
        } else {
            let filter = LiveFilter(layout: self, predicate: request.predicate)
            searchLevel(scorer, entry: levelZeroEntry, ef: request.ef, level: 0, filter: filter, context: context)
        }
    }

    /// ``nearest(to:entry:request:metric:quantized:hasDeletions:context:kernel:)`` with the
    /// distance of `metric` on the active kernel set, chosen here once so that each search
    /// loop is specialized; no results for an empty graph (`entry` nil).
    func nearest(
        to query: UnsafePointer<Float>, entry: (slot: UInt32, level: Int)?, request: KNNRequest,
        metric: Metric, quantized: Bool, hasDeletions: Bool, context: SearchContext
    ) -> [SearchResult] {
        guard let entry else { return [] }
        return metric.withDistance(NearestSearch(
            layout: self, query: query, entry: entry, request: request, metric: metric, quantized: quantized,
            hasDeletions: hasDeletions, context: context))
    }
}

/// One k-nearest search, run by ``Metric/withDistance(_:level:)`` on the chosen kernels.
private struct NearestSearch<Layout: GraphLayout>: DistanceWork {
    let layout: Layout
    let query: UnsafePointer<Float>
    let entry: (slot: UInt32, level: Int)
    let request: KNNRequest
    let metric: Metric
    let quantized: Bool
    let hasDeletions: Bool
    let context: SearchContext

    func run<D: DistanceKernel>(_ kernel: D.Type) -> [SearchResult] {
        layout.nearest(
            to: query, entry: entry, request: request, metric: metric, quantized: quantized, hasDeletions: hasDeletions,
            context: context, kernel: kernel)
    }
}
