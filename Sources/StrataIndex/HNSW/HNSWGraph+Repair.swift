import StrataKernels

extension HNSWGraph {
    /// Links back every live node that no search can reach, and returns how many it linked.
    ///
    /// The diversity heuristic sometimes prunes the last link into a node when a neighbour's
    /// list overflows (a few in 100,000 after a build, in hnswlib's graphs as in these); such
    /// a node is stored but never found. Each one gets a link from the nearest reachable node
    /// with room in its level-0 list or, when every near list is full, in place of that
    /// list's farthest neighbour that other nodes also link to. Passes repeat until every
    /// live node is reachable (an evicted neighbour may have depended on that one link).
    ///
    /// Runs after every batch insert and compaction. Safe beside searches and inserts: each
    /// list changes under its node's lock.
    ///
    /// - Complexity: O(slots × M) to find the unreachable, then one search per node linked.
    @discardableResult
    public func reconnectUnreachable() -> Int {
        metric.withDistance(Reconnection(graph: self))
    }

    /// One repair, run by ``Metric/withDistance(_:level:)`` on the chosen kernels.
    private struct Reconnection: DistanceWork {
        let graph: HNSWGraph

        func run<D: DistanceKernel>(_ kernel: D.Type) -> Int {
            var linked = 0
            // Each pass links every node unreachable at its start; four passes have never been
            // needed (an eviction strands a node only when its one other inbound link comes from
            // a node that was unreachable itself).
            for _ in 0..<4 {
                let orphans = graph.unreachableSlots()
                if orphans.isEmpty { break }
                var inbound = graph.levelZeroInbound()
                let done = graph.contexts.withContext(slots: graph.slotCount) { context in
                    var done = 0
                    for orphan in orphans where graph.reconnect(orphan, inbound: &inbound, context: context, kernel: D.self) {
                        done += 1
                    }
                    return done
                }
                linked += done
                if done == 0 { break }
            }
            return linked
        }
    }

    /// Live slots no search from the entry point reaches.
    func unreachableSlots() -> [UInt32] {
        guard let entry else { return [] }
        let view = arena.view
        let reached = GraphIntegrity.reached(view, entry: entry) { [arena] in Int(arena.meta($0).pointee.level) }
        return (0..<UInt32(view.slotCount)).filter { !reached[Int($0)] && !view.isDeleted($0) }
    }

    /// How many level-0 lists name each slot.
    private func levelZeroInbound() -> [Int] {
        let view = arena.view
        var inbound = [Int](repeating: 0, count: view.slotCount)
        for slot in 0..<UInt32(view.slotCount) {
            arena.withLock(slot) {
                let list = arena.links(slot, level: 0)
                for j in 1...max(1, Int(list[0])) where j <= Int(list[0]) && Int(list[j]) < inbound.count {
                    inbound[Int(list[j])] += 1
                }
            }
        }
        return inbound
    }

    /// Links `orphan` from the nearest node a search finds that can take it; false when none
    /// of the `efConstruction` nearest could.
    private func reconnect<D: DistanceKernel>(_ orphan: UInt32, inbound: inout [Int], context: SearchContext, kernel: D.Type) -> Bool {
        guard let entry, entry.slot != orphan, orphan < UInt32(inbound.count) else { return false }
        let query = context.query
        query.update(from: arena.vector(orphan), count: dimension)
        let view = arena.view
        let scorer = FloatScorer<ArenaView, D>(layout: view, query: query)
        let start = Candidate(distance: scorer.distance(to: entry.slot), slot: entry.slot)
        let levelZeroEntry = view.descend(scorer, from: start, top: entry.level, bottom: 0)
        let filter = LiveFilter(layout: view, predicate: nil, excluded: orphan)
        view.searchLevel(scorer, entry: levelZeroEntry, ef: configuration.efConstruction, level: 0, filter: filter, context: context)
        for host in context.drainResults() where Int(host.slot) < inbound.count {
            switch link(orphan, from: host.slot, inbound: inbound, kernel: D.self) {
            case .full: continue
            case let .linked(dropped):
                if let dropped { inbound[Int(dropped)] -= 1 }
                inbound[Int(orphan)] += 1
                return true
            }
        }
        return false
    }

    private enum HostLink { case linked(dropped: UInt32?), full }

    /// Puts `orphan` into `host`'s level-0 list: in a free place, or in place of the farthest
    /// neighbour that another list also names (`inbound` > 1), which it returns.
    private func link<D: DistanceKernel>(_ orphan: UInt32, from host: UInt32, inbound: [Int], kernel: D.Type) -> HostLink {
        arena.withLock(host) {
            let list = arena.links(host, level: 0)
            let count = Int(list[0])
            if (1...max(1, count)).contains(where: { $0 <= count && list[$0] == orphan }) { return .linked(dropped: nil) }
            if count < configuration.maxNeighborsLevel0 {
                list[count + 1] = orphan
                list[0] = UInt32(count + 1)
                return .linked(dropped: nil)
            }
            let hostVector = arena.vector(host)
            var farthest: (index: Int, distance: Float)?
            for j in 1...max(1, count) where j <= count && Int(list[j]) < inbound.count && inbound[Int(list[j])] > 1 {
                let d = D.distance(hostVector, arena.vector(list[j]), dimension)
                if d > farthest?.distance ?? -.infinity { farthest = (j, d) }
            }
            guard let farthest else { return .full }
            let dropped = list[farthest.index]
            list[farthest.index] = orphan
            return .linked(dropped: dropped)
        }
    }
}
