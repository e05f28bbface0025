import Foundation

extension PatternStore {
    /// Counts, sizes and the last maintenance runs.
    public func stats() throws(StoreError) -> StoreStats {
        try StoreInspection(store: self).stats()
    }

    /// Checks the whole store and lists every problem found (empty when sound): the
    /// catalog's integrity, every segment's checksums and structure, that every cold row
    /// points at a live slot holding its own row, tombstone counts, and that the hot graph
    /// holds exactly the hot rows.
    public func verify() throws(StoreError) -> [String] {
        try StoreInspection(store: self).verify()
    }
}
