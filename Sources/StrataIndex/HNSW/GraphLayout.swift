import CStrataShims
import StrataKernels

/// Read access to the nodes of an HNSW graph, wherever they live.
///
/// The in-memory graph (``ArenaView``) and a memory-mapped segment (``SegmentView``) lay their
/// bytes out differently; the search below is generic over this protocol and specialized for
/// each, so both run the same algorithm and a segment answers exactly as the graph it was
/// written from.
///
/// Neighbour lists are `[count, id0, id1, ...]` runs of `UInt32`. Implementations over
/// untrusted bytes must return lists whose `count` does not exceed ``maxLinks(level:)`` and
/// must never hand out a pointer outside their memory; the search skips ids at or past
/// ``slotCount``, so a corrupted id cannot make it read out of bounds.
protocol GraphLayout {
    /// Slots `0..<slotCount` exist.
    var slotCount: Int { get }
    /// Floats per vector.
    var dimension: Int { get }
    /// The vector of a slot (normalized for cosine).
    func vector(_ slot: UInt32) -> UnsafePointer<Float>
    /// The neighbour list of `slot` on `level`.
    func links(_ slot: UInt32, level: Int) -> UnsafePointer<UInt32>
    /// The most neighbours a list on `level` holds.
    func maxLinks(level: Int) -> Int
    /// Whether the slot is a tombstone (traversed, never returned).
    func isDeleted(_ slot: UInt32) -> Bool
    /// The caller's id of the slot.
    func label(_ slot: UInt32) -> UInt64
    /// The int8 codes of a slot's vector, `dimension` bytes, preceded by their Float32
    /// scale; only layouts that store codes are asked (see ``Int8Scorer``).
    func codes(_ slot: UInt32) -> UnsafeRawPointer
    /// Asks the system to start reading, all at once, the pages a search is about to touch
    /// for `slots` (their vectors, or codes with `codes`, and level-0 lists), when this
    /// layout's memory may still be on disk. Memory that is resident needs nothing.
    func adviseNeeded(_ slots: UnsafePointer<UInt32>, count: Int, codes: Bool)
}

extension GraphLayout {
    @inline(__always)
    func adviseNeeded(_ slots: UnsafePointer<UInt32>, count: Int, codes: Bool) {}
}

/// How many neighbours ahead a search fetches vectors. Two hid the most latency in
/// `strata bench` at 25k × 384 (build 20-25 % faster than no look-ahead; one and four
/// did no better); deeper look-ahead evicts what it fetched before it is used.
let searchPrefetchDepth = 2

/// Distance between two vectors of one dimension under one metric, by the kernels of one
/// ``KernelSet``; lower is closer.
protocol DistanceKernel {
    /// The kernel set the distance (and an int8 walk beside it) runs on.
    associatedtype Instructions: KernelSet
    static func distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dimension: Int) -> Float
}

enum CosineDistance<K: KernelSet>: DistanceKernel {
    typealias Instructions = K
    @inline(__always)
    static func distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dimension: Int) -> Float {
        1 - K.dot(a, b, count: dimension)
    }
}

enum InnerProductDistance<K: KernelSet>: DistanceKernel {
    typealias Instructions = K
    @inline(__always)
    static func distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dimension: Int) -> Float {
        -K.dot(a, b, count: dimension)
    }
}

enum L2Distance<K: KernelSet>: DistanceKernel {
    typealias Instructions = K
    @inline(__always)
    static func distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dimension: Int) -> Float {
        K.l2Squared(a, b, count: dimension)
    }
}

/// Work generic over a distance kernel (a search, a build step, a compaction), handed to
/// ``Metric/withDistance(_:level:)`` to run specialized for one metric and kernel set.
protocol DistanceWork {
    associatedtype Output
    func run<D: DistanceKernel>(_ kernel: D.Type) -> Output
}

/// A metric's distance over the kernel set a ``KernelLevel`` dispatches to.
private struct MetricDistance<Work: DistanceWork>: KernelSetWork {
    let metric: Metric
    let work: Work

    func run<K: KernelSet>(_: K.Type) -> Work.Output {
        switch metric {
        case .cosine: work.run(CosineDistance<K>.self)
        case .innerProduct: work.run(InnerProductDistance<K>.self)
        case .l2: work.run(L2Distance<K>.self)
        }
    }
}

extension Metric {
    /// `work` run with this metric's distance on the kernels of `level` (the CPU's best, or
    /// what `STRATA_KERNELS` forces): chosen once, so the work's loops are specialized and
    /// call each distance directly.
    func withDistance<Work: DistanceWork>(_ work: Work, level: KernelLevel = .active) -> Work.Output {
        level.dispatch(MetricDistance(metric: self, work: work))
    }
}

/// Which slots a search may return. Rejected slots are still traversed.
protocol SlotFilter {
    /// True when the filter accepts every slot: the search may then stop as soon as its
    /// nearest unexpanded candidate is worse than its worst result.
    static var acceptsAll: Bool { get }
    func accepts(_ slot: UInt32) -> Bool
}

/// Every slot: a graph without tombstones, searched without a predicate.
struct AcceptAll: SlotFilter {
    init() {}
    static var acceptsAll: Bool { true }
    func accepts(_ slot: UInt32) -> Bool { true }
}

/// Live slots only, optionally narrowed by the caller's predicate on ids, and never `excluded`.
struct LiveFilter<Layout: GraphLayout>: SlotFilter {
    let layout: Layout
    let predicate: ((UInt64) -> Bool)?
    let excluded: UInt32

    init(layout: Layout, predicate: ((UInt64) -> Bool)?, excluded: UInt32 = .max) {
        self.layout = layout
        self.predicate = predicate
        self.excluded = excluded
    }

    static var acceptsAll: Bool { false }

    func accepts(_ slot: UInt32) -> Bool {
        guard slot != excluded, !layout.isDeleted(slot) else { return false }
        guard let predicate else { return true }
        return predicate(layout.label(slot))
    }
}

/// Scores slots against one prepared query: the search's only view of vectors, so that one
/// search loop serves float32 and int8 traversal.
protocol QueryScorer {
    /// Whether ``distance(to:)`` reads a slot's int8 codes rather than its float32 vector.
    static var readsCodes: Bool { get }
    /// The distance from the query to `slot`; lower is closer.
    func distance(to slot: UInt32) -> Float
    /// Starts fetching what ``distance(to:)`` will read for `slot`.
    func prefetch(_ slot: UInt32)
}

/// Float32 distances under kernel `D`.
struct FloatScorer<Layout: GraphLayout, D: DistanceKernel>: QueryScorer {
    let layout: Layout
    let query: UnsafePointer<Float>

    static var readsCodes: Bool { false }

    @inline(__always)
    func distance(to slot: UInt32) -> Float { D.distance(query, layout.vector(slot), layout.dimension) }

    @inline(__always)
    func prefetch(_ slot: UInt32) { strata_prefetch_range(layout.vector(slot), layout.dimension &* 4) }
}

/// Approximate distances from int8 codes: a quarter of the memory traffic of float32.
/// `dot ≈ scaleQ · scaleV · Σ codesQ·codesV`; the distance follows ``Metric/distance(dot:squaredNormA:squaredNormB:)``
/// for cosine (`1 - dot`) and inner product (`-dot`).
struct Int8Scorer<Layout: GraphLayout, K: KernelSet>: QueryScorer {
    let layout: Layout
    let codes: UnsafePointer<Int8>
    let scale: Float
    /// 1 for cosine (`1 - dot`), 0 for inner product (`-dot`).
    let offset: Float

    /// The scorer of `query` (`dimension` floats, normalized for cosine), quantized into
    /// `context`'s code buffer, which it reads until the next query of that context.
    init(layout: Layout, query: UnsafePointer<Float>, metric: Metric, context: SearchContext) {
        self.layout = layout
        codes = UnsafePointer(context.queryCodes)
        scale = ScalarQuantizer.quantize(query, count: layout.dimension, into: context.queryCodes)
        offset = metric.distance(dot: 0)
    }

    static var readsCodes: Bool { true }

    @inline(__always)
    func distance(to slot: UInt32) -> Float {
        let stored = layout.codes(slot)
        let storedScale = stored.loadUnaligned(as: Float.self)
        let dot = K.dot(codes, (stored + 4).assumingMemoryBound(to: Int8.self), count: layout.dimension)
        return offset - Float(dot) * scale * storedScale
    }

    @inline(__always)
    func prefetch(_ slot: UInt32) { strata_prefetch_range(layout.codes(slot), layout.dimension &+ 4) }
}

extension GraphLayout {
    /// Greedy descent (`ef = 1`) from `entry` through levels `top` down to `bottom + 1`.
    ///
    /// - Returns: the closest node found and its distance, the entry for level `bottom`.
    func descend<S: QueryScorer>(_ scorer: S, from entry: Candidate, top: Int, bottom: Int) -> Candidate {
        var current = entry
        let limit = UInt32(truncatingIfNeeded: slotCount)
        var level = top
        while level > bottom {
            var changed = true
            while changed {
                changed = false
                let list = links(current.slot, level: level)
                let count = min(Int(list[0]), maxLinks(level: level))
                adviseNeeded(list + 1, count: count, codes: S.readsCodes)
                var j = 1
                while j <= count {
                    let neighbor = list[j]
                    j &+= 1
                    guard neighbor < limit else { continue }
                    let d = scorer.distance(to: neighbor)
                    if d < current.distance {
                        current = Candidate(distance: d, slot: neighbor)
                        changed = true
                    }
                }
            }
            level -= 1
        }
        return current
    }

    /// The best-first search of one level (Algorithm 2 of the paper), leaving the `ef`
    /// nearest accepted slots in `context.results`.
    ///
    /// Rejected slots (tombstones, the predicate's rejections) are expanded like any other
    /// but never enter the results, so the `ef` best accepted slots are still found; with a
    /// filter the search stops only when the result set is full.
    ///
    /// - Complexity: O(ef × M × dimension) distance work, typically.
    func searchLevel<S: QueryScorer, F: SlotFilter>(
        _ scorer: S, entry: Candidate, ef: Int, level: Int, filter: F, context: SearchContext
    ) {
        let tag = context.beginSearch(slots: slotCount)
        let visited = context.visited
        var candidates = context.candidates
        var results = context.results
        defer {
            context.candidates = candidates
            context.results = results
        }
        let limit = UInt32(truncatingIfNeeded: slotCount)
        let maxCount = maxLinks(level: level)
        let pending = context.pending
        let prefetchDepth = searchPrefetchDepth

        visited[Int(entry.slot)] = tag
        var bound = Float.infinity
        if filter.accepts(entry.slot) {
            results.push(entry)
            bound = entry.distance
        }
        candidates.push(entry)

        while !candidates.isEmpty {
            let current = candidates.top
            if current.distance > bound && (F.acceptsAll || results.count >= ef) { break }
            candidates.pop()
            let list = links(current.slot, level: level)
            let count = min(Int(list[0]), maxCount)
            // First the unvisited neighbours, marked as they are found; then their vectors,
            // each fetched whole a few neighbours ahead of its scoring, so that the memory
            // latency of one vector hides behind the arithmetic of another.
            var fresh = 0
            var j = 1
            while j <= count {
                let neighbor = list[j]
                j &+= 1
                guard neighbor < limit, visited[Int(neighbor)] != tag else { continue }
                visited[Int(neighbor)] = tag
                pending[fresh] = neighbor
                fresh &+= 1
            }
            adviseNeeded(pending, count: fresh, codes: S.readsCodes)
            var i = 0
            while i < min(fresh, prefetchDepth) {
                scorer.prefetch(pending[i])
                i &+= 1
            }
            i = 0
            while i < fresh {
                let neighbor = pending[i]
                if i &+ prefetchDepth < fresh { scorer.prefetch(pending[i &+ prefetchDepth]) }
                i &+= 1
                let d = scorer.distance(to: neighbor)
                guard results.count < ef || d < bound else { continue }
                candidates.push(Candidate(distance: d, slot: neighbor))
                if filter.accepts(neighbor) {
                    results.push(Candidate(distance: d, slot: neighbor))
                    if results.count > ef { results.pop() }
                    bound = results.top.distance
                }
            }
        }
    }

    /// Drains `context.results` into the `k` nearest, nearest first.
    func takeResults(_ context: SearchContext, k: Int) -> [SearchResult] {
        context.drainResults().prefix(k).map { SearchResult(id: label($0.slot), distance: $0.distance) }
    }
}
