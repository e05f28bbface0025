import Foundation
import StrataIndex

extension PatternStore {
    /// The decisions of maintenance under this store's configuration.
    var maintenancePlanner: MaintenancePlanner { MaintenancePlanner(configuration: configuration) }

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
        try ensureOpen()
        return try write { () throws(StoreError) in
            try requireMaintainer("flush")
            return try flushLocked(rows: nil, reason: "requested")
        }
    }

    /// Moves hot patterns idle for ``StoreConfiguration/demoteIdleDays`` to a cold segment.
    @discardableResult
    public func demote(now: Date = Date()) throws(StoreError) -> MaintenanceReport {
        try ensureOpen()
        return try write { () throws(StoreError) in
            try requireMaintainer("demote")
            let rows = try writer.idleHotRows(idleSince: maintenancePlanner.idleSince(now))
            var report = try flushLocked(rows: rows, reason: "demote")
            report.operation = "demote"
            return report
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
        try ensureOpen()
        return try write { () throws(StoreError) in
            try requireMaintainer("compact")
            return try compactLocked(force: force)
        }
    }

    func compactLocked(force: Bool) throws(StoreError) -> MaintenanceReport {
        let done = try maintenance.compact(force: force)
        try refreshPayload(done.changedRows)
        return done.report
    }

    /// Brings cold patterns used at least ``StoreConfiguration/promoteMinimumUses`` times
    /// within ``StoreConfiguration/promoteWindowDays`` into the hot tier.
    @discardableResult
    public func promote(now: Date = Date()) throws(StoreError) -> MaintenanceReport {
        try ensureOpen()
        return try write { () throws(StoreError) in
            try requireMaintainer("promote")
            let done = try maintenance.promote(now: now)
            try refreshPayload(done.changedRows)
            return done.report
        }
    }

    /// Deletes patterns of low quality, little use and long idleness that are not validated
    /// (thresholds in ``StoreConfiguration``), logging each run with the ids it removed.
    @discardableResult
    public func prune(now: Date = Date(), dryRun: Bool = false) throws(StoreError) -> MaintenanceReport {
        try ensureOpen()
        return try write { () throws(StoreError) in
            try requireMaintainer("prune")
            let started = Date()
            let victims = try writer.prunable(
                maximumQuality: configuration.pruneMaximumQuality, maximumUses: configuration.pruneMaximumUses,
                idleSince: maintenancePlanner.prunableSince(now))
            var report = MaintenanceReport(operation: "prune", patterns: victims.count, removedIDs: victims.map(\.id))
            guard !dryRun, !victims.isEmpty else { return report }
            try writer.transaction { () throws(StoreError) in
                for victim in victims { try writer.delete(victim.location) }
                try writer.log("prune", "removed \(victims.count) pattern(s) (quality <= \(configuration.pruneMaximumQuality), uses <= \(configuration.pruneMaximumUses), idle >= \(configuration.pruneIdleDays) days): \(victims.map(\.id).prefix(50).joined(separator: ", "))")
            }
            try forgetVectors(victims.map(\.location))
            report.seconds = Date().timeIntervalSince(started)
            logger.info("prune", metadata: ["patterns": "\(victims.count)"])
            return report
        }
    }


}
