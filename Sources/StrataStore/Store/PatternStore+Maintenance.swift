import Foundation
import StrataIndex

extension PatternStore {
    /// The tier moves of maintenance, carried out through the writing connection (under the
    /// write lock).
    var maintenance: TierMaintenance {
        TierMaintenance(catalog: writer, tiers: tiers, folder: folder, configuration: configuration, logger: logger)
    }

    /// Drops deleted patterns' vectors from the in-memory tiers (after the commit).
    func forgetVectors(_ locations: [VectorLocation]) throws(StoreError) {
        try maintenance.forget(locations)
        try refreshPayload(locations.map(\.row))
    }

    /// Writes the hot tier (except busy patterns) to a new cold segment.
    @discardableResult
    public func flush() throws(StoreError) -> MaintenanceReport {
        try maintain("flush") { (maintenance) throws(StoreError) in try maintenance.flush(rows: nil, reason: "requested") }
    }

    /// Moves hot patterns idle for ``StoreConfiguration/demoteIdleDays`` to a cold segment.
    @discardableResult
    public func demote(now: Date = Date()) throws(StoreError) -> MaintenanceReport {
        try maintain("demote") { (maintenance) throws(StoreError) in
            var done = try maintenance.flush(rows: try writer.idleHotRows(idleSince: maintenance.planner.idleSince(now)), reason: "demote")
            done.report.operation = "demote"
            return done
        }
    }

    /// Moves `rows` (nil: every hot pattern but the busy ones) into one new segment.
    @discardableResult
    func flushLocked(rows selected: [Int64]?, reason: String) throws(StoreError) -> MaintenanceReport {
        let done = try maintenance.flush(rows: selected, reason: reason)
        try refreshPayload(done.changedRows)
        return done.report
    }

    /// Rewrites segments whose dead share passed ``StoreConfiguration/compactDeadRatio``,
    /// drops fully dead ones, and merges the smallest while there are more than
    /// ``StoreConfiguration/maxSegments``.
    ///
    /// - Parameter force: rewrite every segment that has a dead slot, and merge all into one.
    @discardableResult
    public func compact(force: Bool = false) throws(StoreError) -> MaintenanceReport {
        try maintain("compact") { (maintenance) throws(StoreError) in try maintenance.compact(force: force) }
    }

    /// Brings cold patterns used at least ``StoreConfiguration/promoteMinimumUses`` times
    /// within ``StoreConfiguration/promoteWindowDays`` into the hot tier.
    @discardableResult
    public func promote(now: Date = Date()) throws(StoreError) -> MaintenanceReport {
        try maintain("promote") { (maintenance) throws(StoreError) in try maintenance.promote(now: now) }
    }

    /// Deletes patterns of low quality, little use and long idleness that are not validated
    /// (thresholds in ``StoreConfiguration``), logging each run with the ids it removed.
    @discardableResult
    public func prune(now: Date = Date(), dryRun: Bool = false) throws(StoreError) -> MaintenanceReport {
        try maintain("prune") { (maintenance) throws(StoreError) in try maintenance.prune(now: now, dryRun: dryRun) }
    }

    /// Starts reading every cold segment file into memory in the background (``Segment/preload()``); returns how many.
    @discardableResult public func preloadSegments() -> Int { tiers.preloadCold() }

    /// Runs `operation` as the one writer, on the maintainer only, and refreshes the payload
    /// index for the rows it moved.
    private func maintain(_ operation: String, _ body: (TierMaintenance) throws(StoreError) -> TierMaintenance.Done) throws(StoreError) -> MaintenanceReport {
        try ensureOpen()
        return try write { () throws(StoreError) in
            try requireMaintainer(operation)
            let done = try body(maintenance)
            try refreshPayload(done.changedRows)
            return done.report
        }
    }

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
