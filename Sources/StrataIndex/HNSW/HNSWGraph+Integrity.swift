extension HNSWGraph {
    /// Checks the graph's structure and returns every problem found; empty when sound.
    ///
    /// Checked: neighbour counts within the level's maximum; ids below the slot count; no
    /// self-links; no duplicate neighbours; a neighbour on level `l` reaches level `l`. Nodes
    /// no search reaches are counted by ``unreachableCount()``, not reported here. Shared by
    /// the tests and `strata verify`.
    ///
    /// - Complexity: O(slots × M).
    public func checkIntegrity() -> [String] {
        GraphIntegrity.check(arena.view, entry: entry) { [arena] in Int(arena.meta($0).pointee.level) }.problems
    }

    /// Live nodes that no search from the entry point can reach.
    ///
    /// The diversity heuristic may prune the last link to a node when a neighbour's list
    /// overflows; hnswlib's graphs show the same handful. ``reconnectUnreachable()`` links
    /// them back after every batch insert and compaction, so this is 0 after either; the
    /// benchmark and `strata verify` report it.
    public func unreachableCount() -> Int {
        GraphIntegrity.check(arena.view, entry: entry) { [arena] in Int(arena.meta($0).pointee.level) }.unreachable
    }
}
