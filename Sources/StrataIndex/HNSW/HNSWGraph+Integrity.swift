extension HNSWGraph {
    /// Checks the graph's structure and returns every problem found; empty when sound.
    ///
    /// Checked: neighbour counts within the level's maximum; ids below the slot count; no
    /// self-links; no duplicate neighbours; a neighbour on level `l` reaches level `l`; every
    /// live node with a level-0 list (other than a lone entry point) is linked from at least
    /// Shared by the tests and `strata verify`.
    ///
    /// - Complexity: O(slots × M).
    public func checkIntegrity() -> [String] {
        GraphIntegrity.check(arena.view, entry: entry) { [arena] in Int(arena.meta($0).pointee.level) }.problems
    }

    /// Live nodes that no level-0 list links to, so that no search can reach them.
    ///
    /// The diversity heuristic may prune the last link to a node when a neighbour's list
    /// overflows; hnswlib's graphs show the same handful. Not an error, but worth watching:
    /// the benchmark and `strata verify` report it.
    public func unreachableCount() -> Int {
        GraphIntegrity.check(arena.view, entry: entry) { [arena] in Int(arena.meta($0).pointee.level) }.unreachable
    }
}

/// Structural checks over any ``GraphLayout``: the in-memory graph and mapped segments.
enum GraphIntegrity {
    static func check<L: GraphLayout>(_ layout: L, entry: (slot: UInt32, level: Int)?, levelOf: ((UInt32) -> Int)? = nil) -> (problems: [String], unreachable: Int) {
        var problems: [String] = []
        let n = layout.slotCount
        guard n > 0 else { return (entry == nil ? [] : ["entry point set in an empty graph"], 0) }
        guard let entry else { return (["graph has \(n) slots but no entry point"], 0) }
        guard Int(entry.slot) < n else { return (["entry point \(entry.slot) is past the last slot \(n - 1)"], 0) }
        var inbound = [Int](repeating: 0, count: n)
        func report(_ message: String) { if problems.count < 100 { problems.append(message) } }
        for slot in 0..<UInt32(n) {
            let top = levelOf?(slot) ?? 0
            for level in 0...top {
                let list = layout.links(slot, level: level)
                let count = Int(list[0])
                if count > layout.maxLinks(level: level) {
                    report("slot \(slot) level \(level): \(count) neighbours, more than the maximum \(layout.maxLinks(level: level))")
                    continue
                }
                var seen = Set<UInt32>()
                for j in 1...max(1, count) where j <= count {
                    let neighbor = list[j]
                    if Int(neighbor) >= n { report("slot \(slot) level \(level): neighbour \(neighbor) is past the last slot \(n - 1)"); continue }
                    if neighbor == slot { report("slot \(slot) level \(level): links to itself") }
                    if !seen.insert(neighbor).inserted { report("slot \(slot) level \(level): neighbour \(neighbor) listed twice") }
                    if let levelOf, levelOf(neighbor) < level {
                        report("slot \(slot) level \(level): neighbour \(neighbor) only reaches level \(levelOf(neighbor))")
                    }
                    if level == 0 { inbound[Int(neighbor)] += 1 }
                }
            }
        }
        var unreachable = 0
        if n > 1 {
            for slot in 0..<n where inbound[slot] == 0 && slot != Int(entry.slot) && !layout.isDeleted(UInt32(slot)) {
                unreachable += 1
            }
        }
        return (problems, unreachable)
    }
}
