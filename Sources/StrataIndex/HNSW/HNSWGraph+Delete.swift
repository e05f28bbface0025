import CStrataShims

extension HNSWGraph {
    /// Deletes the vector stored under `id`.
    ///
    /// The node becomes a tombstone: searches still walk through it, so the graph stays
    /// connected, but never return it. Its slot is reused by a later insert when
    /// ``HNSWConfiguration/reuseDeletedSlots`` is on; ``compacted()`` drops tombstones for good.
    ///
    /// - Throws: ``IndexError/unknownID(_:)`` when no live vector has this id.
    /// - Complexity: O(1).
    public func delete(_ id: UInt64) throws(IndexError) {
        let slot: UInt32? = directory.withLock { directory in
            guard let slot = directory.slotOf.removeValue(forKey: id) else { return nil }
            // Flag first, then offer the slot: a reusing insert must find it flagged.
            arena.meta(slot).pointee.deleted = 1
            strata_fetch_add_u64(deletedWord, 1)
            if configuration.reuseDeletedSlots { directory.freeSlots.append(slot) }
            return slot
        }
        guard slot != nil else { throw .unknownID(id) }
    }

    /// A new graph holding only the live nodes, renumbered densely, with the links that ran
    /// through tombstones repaired.
    ///
    /// Each live node keeps its live neighbours; where a neighbour was deleted, that
    /// neighbour's own live neighbours become candidates, and the diversity heuristic picks
    /// the list from them all. Levels are kept, so no search path is lost.
    ///
    /// - Important: Do not insert or delete while compacting; searches are fine.
    /// - Complexity: O(slots × M² × dimension) in the worst case; far less than a rebuild.
    public func compacted() throws(IndexError) -> HNSWGraph {
        try metric.withDistance(Compaction(graph: self)).get()
    }

    /// A compaction, run by ``Metric/withDistance(_:level:)`` on the chosen kernels.
    private struct Compaction: DistanceWork {
        let graph: HNSWGraph

        func run<D: DistanceKernel>(_ kernel: D.Type) -> Result<HNSWGraph, IndexError> {
            Result { () throws(IndexError) in try graph.compacted(kernel: kernel) }
        }
    }

    private func compacted<D: DistanceKernel>(kernel: D.Type) throws(IndexError) -> HNSWGraph {
        let result = try HNSWGraph(configuration: configuration)
        let view = arena.view
        let oldCount = view.slotCount
        // Old slot → new slot, for live slots.
        var renumbered = [UInt32](repeating: .max, count: oldCount)
        var next: UInt32 = 0
        for slot in 0..<UInt32(oldCount) where !view.isDeleted(slot) {
            renumbered[Int(slot)] = next
            next += 1
        }
        guard next > 0 else { return result }
        for slot in 0..<UInt32(oldCount) where renumbered[Int(slot)] != .max {
            let fresh = try result.arena.allocateSlot()
            let level = Int(arena.meta(slot).pointee.level)
            result.arena.initialize(fresh, label: view.label(slot), level: level, vector: view.vector(slot))
        }
        for slot in 0..<UInt32(oldCount) where renumbered[Int(slot)] != .max {
            let level = Int(arena.meta(slot).pointee.level)
            for l in 0...level {
                let kept = repairedNeighbors(of: slot, level: l, view: view, kernel: D.self)
                let list = result.arena.links(renumbered[Int(slot)], level: l)
                var count = 0
                for neighbor in kept where renumbered[Int(neighbor.slot)] != .max {
                    count += 1
                    list[count] = renumbered[Int(neighbor.slot)]
                }
                list[0] = UInt32(count)
            }
        }
        // The entry point: the old one if it lives, else the live node with the top level.
        var entrySlot = entry.map { $0.slot } ?? 0
        if renumbered[Int(entrySlot)] == .max {
            entrySlot = (0..<UInt32(oldCount)).filter { renumbered[Int($0)] != .max }
                .max { arena.meta($0).pointee.level < arena.meta($1).pointee.level }!
        }
        result.setEntry(slot: renumbered[Int(entrySlot)], level: Int(arena.meta(entrySlot).pointee.level))
        result.directory.withLock { directory in
            directory.slotOf.reserveCapacity(Int(next))
            for slot in 0..<UInt32(oldCount) where renumbered[Int(slot)] != .max {
                directory.slotOf[view.label(slot)] = renumbered[Int(slot)]
            }
        }
        // Dropping tombstones can cut the last path to a node.
        result.reconnectUnreachable()
        return result
    }

    /// The neighbour list of a live slot with tombstones replaced by their live neighbours.
    private func repairedNeighbors<D: DistanceKernel>(of slot: UInt32, level: Int, view: ArenaView, kernel: D.Type) -> [Candidate] {
        let list = arena.links(slot, level: level)
        var candidates: [UInt32] = []
        var hadTombstone = false
        for j in 1...max(1, Int(list[0])) where j <= Int(list[0]) {
            let neighbor = list[j]
            if !view.isDeleted(neighbor) {
                candidates.append(neighbor)
                continue
            }
            hadTombstone = true
            let second = arena.links(neighbor, level: level)
            for i in 1...max(1, Int(second[0])) where i <= Int(second[0]) {
                let candidate = second[i]
                if candidate != slot, !view.isDeleted(candidate) { candidates.append(candidate) }
            }
        }
        var seen = Set<UInt32>()
        let vector = view.vector(slot)
        var scored = candidates.filter { seen.insert($0).inserted }
            .map { Candidate(distance: D.distance(vector, view.vector($0), dimension), slot: $0) }
        scored.sort { NearestFirst.above($0, $1) }
        let maxCount = level == 0 ? configuration.maxNeighborsLevel0 : configuration.m
        guard hadTombstone else { return scored }
        return selectNeighbors(scored, keep: maxCount, kernel: D.self)
    }
}
