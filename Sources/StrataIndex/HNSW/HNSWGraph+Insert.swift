import CStrataShims
import Foundation
import StrataKernels

extension HNSWGraph {
    /// Adds a vector under `id`, or replaces the vector stored under `id` in place.
    ///
    /// For cosine the vector is stored normalized. A new id takes the slot of a deleted node
    /// when ``HNSWConfiguration/reuseDeletedSlots`` is on.
    ///
    /// - Throws: ``IndexError/dimensionMismatch(expected:got:)``,
    ///   ``IndexError/nonFiniteComponent(position:)``, ``IndexError/zeroVector`` (cosine).
    /// - Complexity: O(efConstruction × M × log n) distance computations.
    public func insert(_ vector: [Float], id: UInt64) throws(IndexError) {
        try vector.withUnsafeBufferPointer { (buffer) throws(IndexError) in
            try IndexError.validate(buffer, dimension: dimension)
            try contexts.withContext(slots: slotCount) { (context) throws(IndexError) in
                try insert(buffer.baseAddress!, id: id, context: context)
            }
        }
    }

    /// Adds many vectors on `threads` threads.
    ///
    /// Every vector is checked before any is added, so a bad vector leaves the graph as it was.
    /// A batch of at least a sixteenth of the graph then links back any node left unreachable
    /// (``reconnectUnreachable()``).
    ///
    /// - Parameters:
    ///   - vectors: `ids.count * dimension` floats, row-major.
    ///   - ids: one id per vector.
    ///   - threads: worker threads; default all cores.
    public func insert(contentsOf vectors: [Float], ids: [UInt64], threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws(IndexError) {
        guard vectors.count == ids.count * dimension else {
            throw .invalidArgument(name: "vectors", value: "\(vectors.count) floats",
                                   expected: "\(ids.count) ids × \(dimension) dimensions = \(ids.count * dimension) floats")
        }
        guard threads >= 1 else { throw .invalidArgument(name: "threads", value: "\(threads)", expected: "≥ 1") }
        try vectors.withUnsafeBufferPointer { (all) throws(IndexError) in
            try IndexError.validate(rows: all, dimension: dimension, rejectZero: metric.normalizesVectors)
            nonisolated(unsafe) let base = all.baseAddress!
            let failure = FirstError()
            let workers = max(1, min(threads, ids.count))
            let buildCodes = makeBuildCodes(batch: ids.count, threads: workers)
            // One context per worker, taken once: a context per vector would cost a lock each.
            contexts.withContexts(workers, slots: slotCount) { workerContexts in
                for context in workerContexts { context.buildCodes = buildCodes }
                defer { for context in workerContexts { context.buildCodes = nil } }
                Parallel.forEach(ids.count, threads: workers) { worker, row in
                    guard failure.error == nil else { return }
                    do { try insert(base + row * dimension, id: ids[row], context: workerContexts[worker]) }
                    catch let error as IndexError { failure.record(error) } catch {}
                }
            }
            if let error = failure.error { throw error }
        }
        // The repair walks the whole graph: worth it when the batch is a good share of it (a
        // build, a bulk load), not after every few vectors a store adds to a large graph.
        if ids.count * 16 >= slotCount { reconnectUnreachable() }
    }

    /// Inserts one checked vector; `context` is the caller's scratch.
    func insert(_ vector: UnsafePointer<Float>, id: UInt64, context: SearchContext) throws(IndexError) {
        let query = context.query
        query.update(from: vector, count: dimension)
        if metric.normalizesVectors {
            let norm = Kernels.normalize(query, count: dimension)
            guard norm > 0 else { throw .zeroVector }
        }

        enum Placement { case fresh(UInt32), existing(UInt32), reused(UInt32) }
        let placement: Placement = try directory.withLock { (directory) throws(IndexError) -> Placement in
            if let slot = directory.slotOf[id] { return .existing(slot) }
            if configuration.reuseDeletedSlots, let slot = directory.freeSlots.popLast() {
                directory.slotOf[id] = slot
                return .reused(slot)
            }
            let slot = try arena.allocateSlot()
            directory.slotOf[id] = slot
            return .fresh(slot)
        }

        // The codes go in before the node is linked, when other workers may start reading them.
        switch placement {
        case let .fresh(slot), let .existing(slot), let .reused(slot): context.buildCodes?.store(query, in: slot)
        }
        switch placement {
        case let .fresh(slot):
            let level = randomLevel(for: id)
            arena.initialize(slot, label: id, level: level, vector: query)
            link(slot, level: level, context: context, relinking: false)
        case let .existing(slot):
            arena.withLock(slot) { arena.storeVector(query, in: slot) }
            link(slot, level: Int(arena.meta(slot).pointee.level), context: context, relinking: true)
        case let .reused(slot):
            arena.withLock(slot) {
                arena.storeVector(query, in: slot)
                arena.meta(slot).pointee.label = id
            }
            link(slot, level: Int(arena.meta(slot).pointee.level), context: context, relinking: true)
            arena.meta(slot).pointee.deleted = 0
            strata_fetch_add_u64(deletedWord, UInt64.max) // -1
        }
    }

    /// Connects `slot` into every level up to `level` (Algorithm 1 of the paper).
    ///
    /// `relinking` marks a node already in the graph (an update or a reused slot): its own
    /// slot is excluded from its candidates and its old lists are replaced.
    func link(_ slot: UInt32, level: Int, context: SearchContext, relinking: Bool) {
        metric.withDistance(NodeLinking(graph: self, slot: slot, level: level, context: context, relinking: relinking))
    }

    /// One node's linking, run by ``Metric/withDistance(_:level:)`` on the chosen kernels.
    private struct NodeLinking: DistanceWork {
        let graph: HNSWGraph
        let slot: UInt32
        let level: Int
        let context: SearchContext
        let relinking: Bool

        func run<D: DistanceKernel>(_ kernel: D.Type) {
            graph.link(slot, level: level, context: context, relinking: relinking, kernel: kernel)
        }
    }

    func link<D: DistanceKernel>(_ slot: UInt32, level: Int, context: SearchContext, relinking: Bool, kernel: D.Type) {
        guard var entry = entry else {
            // The first node becomes the entry point, unless another thread got there first.
            let claimed: Bool = entryLock.withLock { _ in
                guard self.entry == nil else { return false }
                setEntry(slot: slot, level: level)
                return true
            }
            if claimed { return }
            return link(slot, level: level, context: context, relinking: relinking, kernel: kernel)
        }
        // A node above the top level holds the entry lock for its whole insertion (rare:
        // about one node in M^level), so that it can become the entry point.
        if level > entry.level {
            entryLock.withLock { _ in
                entry = self.entry!
                linkBelow(slot, level: level, entry: entry, context: context, relinking: relinking, kernel: kernel)
                if level > entry.level { setEntry(slot: slot, level: level) }
            }
        } else {
            linkBelow(slot, level: level, entry: entry, context: context, relinking: relinking, kernel: kernel)
        }
    }

    private func linkBelow<D: DistanceKernel>(
        _ slot: UInt32, level: Int, entry: (slot: UInt32, level: Int),
        context: SearchContext, relinking: Bool, kernel: D.Type
    ) {
        if entry.slot == slot && !relinking { return }
        let query = UnsafePointer(context.query)
        let slotCount = arena.slotCount
        let buildCodes = context.buildCodes.flatMap { slotCount <= $0.capacity ? $0 : nil }
        let view = LockedArenaView(arena: arena, slotCount: slotCount, scratch: context.neighborScratch, buildCodes: buildCodes)
        let exact = FloatScorer<LockedArenaView, D>(layout: view, query: query)
        guard arena.quantized || buildCodes != nil, metric != .l2 else {
            return linkLevels(slot, level: level, entry: entry, view: view, scorer: exact, exact: exact, rescore: false, context: context, relinking: relinking)
        }
        // An arena with int8 codes (or a batch with ``BuildCodes``) finds each level's
        // candidates on the codes (a quarter of the bytes a float32 distance reads), then
        // scores the candidates found in float32 before the heuristic chooses among them, so
        // the neighbours kept and the distances stored with them are exact.
        let approximate = Int8Scorer<LockedArenaView, D.Instructions>(layout: view, query: query, metric: metric, context: context)
        linkLevels(slot, level: level, entry: entry, view: view, scorer: approximate, exact: exact, rescore: true, context: context, relinking: relinking)
    }

    /// The levels of ``linkBelow(_:level:entry:context:relinking:kernel:)``: candidates by
    /// `scorer`, re-scored by `exact` when `rescore` (the scorer is approximate), neighbours
    /// chosen by the heuristic on exact distances.
    private func linkLevels<S: QueryScorer, D: DistanceKernel>(
        _ slot: UInt32, level: Int, entry: (slot: UInt32, level: Int), view: LockedArenaView,
        scorer: S, exact: FloatScorer<LockedArenaView, D>, rescore: Bool, context: SearchContext, relinking: Bool
    ) {
        var current = Candidate(distance: scorer.distance(to: entry.slot), slot: entry.slot)
        current = view.descend(scorer, from: current, top: entry.level, bottom: level)

        let useFilter = relinking || deletedCount > 0
        // Back-links wait until every list of the node is written, and go in bottom-up:
        // a search that reaches the node on an upper level must find its level-0 list in
        // place, or it would start level 0 from a node with no neighbours and return one
        // result (seen under concurrent inserts and searches before this order).
        var backLinks: [(level: Int, neighbors: [Candidate])] = []
        for l in stride(from: min(level, entry.level), through: 0, by: -1) {
            if useFilter {
                let filter = LiveFilter(layout: view, predicate: nil, excluded: slot)
                view.searchLevel(scorer, entry: current, ef: configuration.efConstruction, level: l, filter: filter, context: context)
            } else {
                view.searchLevel(scorer, entry: current, ef: configuration.efConstruction, level: l, filter: AcceptAll(), context: context)
            }
            var found = context.drainResults()
            if found.isEmpty { continue }
            current = found[0]
            if rescore {
                found = found.map { Candidate(distance: exact.distance(to: $0.slot), slot: $0.slot) }
                found.sort { NearestFirst.above($0, $1) }
            }
            found = selectNeighbors(found, keep: configuration.m, kernel: D.self)
            arena.withLock(slot) {
                let list = arena.links(slot, level: l)
                for (i, neighbor) in found.enumerated() { list[i + 1] = neighbor.slot }
                list[0] = UInt32(found.count)
            }
            backLinks.append((l, found))
        }
        for (l, neighbors) in backLinks.reversed() {
            let maxCount = l == 0 ? configuration.maxNeighborsLevel0 : configuration.m
            for neighbor in neighbors {
                addLink(from: neighbor.slot, to: slot, distance: neighbor.distance, level: l, maxCount: maxCount, kernel: D.self)
            }
        }
    }

    /// Adds `target` to the list of `source` on `level`, pruning with the heuristic when the
    /// list is full.
    private func addLink<D: DistanceKernel>(
        from source: UInt32, to target: UInt32, distance: Float, level: Int, maxCount: Int, kernel: D.Type
    ) {
        arena.withLock(source) {
            let list = arena.links(source, level: level)
            let count = Int(list[0])
            for j in 0..<count where list[j + 1] == target { return }
            if count < maxCount {
                list[count + 1] = target
                list[0] = UInt32(count + 1)
                return
            }
            let sourceVector = arena.vector(source)
            var candidates = [Candidate(distance: distance, slot: target)]
            candidates.reserveCapacity(count + 1)
            for j in 0..<count {
                let other = list[j + 1]
                candidates.append(Candidate(distance: D.distance(sourceVector, arena.vector(other), dimension), slot: other))
            }
            candidates.sort { NearestFirst.above($0, $1) }
            let kept = selectNeighbors(candidates, keep: maxCount, kernel: D.self)
            for (i, neighbor) in kept.enumerated() { list[i + 1] = neighbor.slot }
            list[0] = UInt32(kept.count)
        }
    }

    /// The diversity heuristic (Algorithm 4 of the paper): walking candidates nearest first,
    /// keep one only if it is closer to the base than to every neighbour already kept, so
    /// that links spread in all directions instead of bunching inside one cluster.
    ///
    /// - Parameter candidates: sorted nearest first.
    func selectNeighbors<D: DistanceKernel>(_ candidates: [Candidate], keep: Int, kernel: D.Type) -> [Candidate] {
        guard candidates.count > keep else { return candidates }
        var kept: [Candidate] = []
        kept.reserveCapacity(keep)
        for candidate in candidates {
            if kept.count >= keep { break }
            let vector = arena.vector(candidate.slot)
            var diverse = true
            for other in kept where D.distance(vector, arena.vector(other.slot), dimension) < candidate.distance {
                diverse = false
                break
            }
            if diverse { kept.append(candidate) }
        }
        return kept
    }
}

/// The first error any worker thread met.
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var first: IndexError?
    func record(_ error: IndexError) { lock.withLock { if first == nil { first = error } } }
    var error: IndexError? { lock.withLock { first } }
}
