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
    /// - Parameters:
    ///   - query: validated, `dimension` floats; normalized into the context when `normalize`.
    ///   - entry: the entry point and top level.
    ///   - hasDeletions: whether any slot is a tombstone; without tombstones and predicate the
    ///     search runs the unfiltered loop.
    func nearest<D: DistanceKernel>(
        to query: UnsafePointer<Float>, entry: (slot: UInt32, level: Int), request: KNNRequest,
        normalize: Bool, hasDeletions: Bool, context: SearchContext, kernel: D.Type
    ) -> [SearchResult] {
        let q = context.query
        q.update(from: query, count: dimension)
        if normalize { Kernels.normalize(q, count: dimension) }
        let start = Candidate(distance: D.distance(q, vector(entry.slot), dimension), slot: entry.slot)
        let levelZeroEntry = descend(q, from: start, top: entry.level, bottom: 0, kernel: D.self)
        if request.predicate == nil && !hasDeletions {
            searchLevel(q, entry: levelZeroEntry, ef: request.ef, level: 0, filter: AcceptAll(), context: context, kernel: D.self)
        } else {
            let filter = LiveFilter(layout: self, predicate: request.predicate)
            searchLevel(q, entry: levelZeroEntry, ef: request.ef, level: 0, filter: filter, context: context, kernel: D.self)
        }
        return takeResults(context, k: request.k)
    }

    /// ``nearest(to:entry:request:normalize:hasDeletions:context:kernel:)`` with the kernel
    /// of `metric`, chosen here once so that each search loop is specialized.
    func nearest(
        to query: UnsafePointer<Float>, entry: (slot: UInt32, level: Int), request: KNNRequest,
        metric: Metric, hasDeletions: Bool, context: SearchContext
    ) -> [SearchResult] {
        switch metric {
        case .cosine:
            nearest(to: query, entry: entry, request: request, normalize: true, hasDeletions: hasDeletions, context: context, kernel: CosineDistance.self)
        case .innerProduct:
            nearest(to: query, entry: entry, request: request, normalize: false, hasDeletions: hasDeletions, context: context, kernel: InnerProductDistance.self)
        case .l2:
            nearest(to: query, entry: entry, request: request, normalize: false, hasDeletions: hasDeletions, context: context, kernel: L2Distance.self)
        }
    }
}
