/// Structural checks over any ``GraphLayout``: the in-memory graph and mapped segments.
enum GraphIntegrity {
    static func check<L: GraphLayout>(_ layout: L, entry: (slot: UInt32, level: Int)?, levelOf: ((UInt32) -> Int)? = nil) -> (problems: [String], unreachable: Int) {
        var problems: [String] = []
        let n = layout.slotCount
        guard n > 0 else { return (entry == nil ? [] : ["entry point set in an empty graph"], 0) }
        guard let entry else { return (["graph has \(n) slots but no entry point"], 0) }
        guard Int(entry.slot) < n else { return (["entry point \(entry.slot) is past the last slot \(n - 1)"], 0) }
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
                }
            }
        }
        let reached = reached(layout, entry: entry, levelOf: levelOf)
        let unreachable = (0..<n).filter { !reached[$0] && !layout.isDeleted(UInt32($0)) }.count
        return (problems, unreachable)
    }

    /// Which slots a search from `entry` can reach: a breadth-first walk over every level's
    /// lists (level 0 only without `levelOf`), through tombstones as searches go. Neighbour
    /// ids past the last slot and counts past a level's maximum are skipped, so a damaged
    /// segment is walked safely.
    static func reached<L: GraphLayout>(_ layout: L, entry: (slot: UInt32, level: Int), levelOf: ((UInt32) -> Int)? = nil) -> [Bool] {
        let n = layout.slotCount
        var reached = [Bool](repeating: false, count: n)
        guard Int(entry.slot) < n else { return reached }
        var queue: [UInt32] = [entry.slot]
        reached[Int(entry.slot)] = true
        var next = 0
        while next < queue.count {
            let slot = queue[next]
            next += 1
            for level in 0...max(0, levelOf?(slot) ?? 0) {
                let list = layout.links(slot, level: level)
                let count = min(Int(list[0]), layout.maxLinks(level: level))
                for j in 1...max(1, count) where j <= count && Int(list[j]) < n && !reached[Int(list[j])] {
                    reached[Int(list[j])] = true
                    queue.append(list[j])
                }
            }
        }
        return reached
    }
}
