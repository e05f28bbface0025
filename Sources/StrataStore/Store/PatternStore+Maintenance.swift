import Foundation
import StrataIndex

/// What a maintenance run did; also written to the catalog's maintenance log.
public struct MaintenanceReport: Sendable, Equatable, Codable {
    /// `flush`, `compact`, `promote`, `demote` or `prune`.
    public var operation: String
    /// Patterns moved between tiers or removed.
    public var patterns: Int
    public var segmentsWritten: Int
    public var segmentsRemoved: Int
    public var seconds: Double
    /// Ids of pruned patterns (prune only).
    public var removedIDs: [String]

    init(operation: String, patterns: Int = 0, segmentsWritten: Int = 0, segmentsRemoved: Int = 0, seconds: Double = 0, removedIDs: [String] = []) {
        self.operation = operation
        self.patterns = patterns
        self.segmentsWritten = segmentsWritten
        self.segmentsRemoved = segmentsRemoved
        self.seconds = seconds
        self.removedIDs = removedIDs
    }
}

extension PatternStore {
    /// The decisions of maintenance under this store's configuration.
    var maintenancePlanner: MaintenancePlanner { MaintenancePlanner(configuration: configuration) }

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
        let started = Date()
        let rows: [Int64]
        if let selected {
            rows = selected
        } else {
            rows = try writer.flushableHotRows(
                minimumUses: configuration.promoteMinimumUses,
                usedSince: maintenancePlanner.busySince(started))
        }
        guard !rows.isEmpty else { return MaintenanceReport(operation: "flush") }
        let tiers = snapshot
        var ids: [UInt64] = []
        var flat: [Float] = []
        flat.reserveCapacity(rows.count * configuration.dimension)
        for row in rows {
            guard let vector = tiers.hot.vector(for: UInt64(row)) else { continue }
            ids.append(UInt64(row))
            flat += vector
        }
        guard !ids.isEmpty else { return MaintenanceReport(operation: "flush") }
        let graph = try Self.makeGraph(configuration)
        do {
            try graph.insert(contentsOf: flat, ids: ids, threads: configuration.threads)
        } catch {
            throw .index(error)
        }
        let written = try writeSegment(graph)
        let detail = "\(ids.count) hot pattern(s) to segment \(written.file) (\(reason))"
        let segmentID = try writer.transaction { () throws(StoreError) -> Int64 in
            let segmentID = try writer.insertSegment(file: written.file, slots: written.segment.slotCount, bytes: written.segment.fileBytes)
            for id in ids {
                let row = Int64(id)
                try writer.markCold(row: row, segment: segmentID, slot: written.slots[row]!)
                try writer.retireVector(VectorLocation(row: row, tier: .hot))
            }
            try writer.log("flush", detail)
            return segmentID
        }
        // The new segment is published before the rows leave the hot graph, which searches
        // share (a class, changed in place): a search in between then finds a row in both
        // tiers (TierSnapshot.nearest keeps one), never in neither.
        let records = try writer.segments()
        var cold = tiers.cold
        if let record = records.first(where: { $0.id == segmentID }) {
            cold.append(ColdSegment(record: record, segment: written.segment, dead: []))
        }
        replaceTiers(cold: try refreshedRecords(cold))
        var hot = tiers.hot
        do {
            for id in ids { try hot.delete(id) }
            if hot.deletedCount > hot.count { hot = try hot.compacted() }
        } catch {
            throw .index(error)
        }
        replaceTiers(hot: hot)
        try refreshPayload(ids.map { Int64($0) })
        logger.info("flush", metadata: ["patterns": "\(ids.count)", "segment": "\(written.file)", "reason": "\(reason)"])
        return MaintenanceReport(operation: "flush", patterns: ids.count, segmentsWritten: 1, seconds: Date().timeIntervalSince(started))
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
        let started = Date()
        let tiers = snapshot
        let selected = Set(maintenancePlanner.compaction(
            of: tiers.cold.map { MaintenancePlanner.Occupancy(id: $0.record.id, live: $0.record.live, dead: $0.record.dead) }, force: force))
        let chosen = tiers.cold.filter { selected.contains($0.record.id) }
        guard !chosen.isEmpty else { return MaintenanceReport(operation: "compact") }
        var ids: [UInt64] = []
        var flat: [Float] = []
        for cold in chosen {
            for (row, slot) in try writer.liveSlots(segment: cold.record.id) where slot < cold.segment.slotCount {
                ids.append(UInt64(row))
                flat.append(contentsOf: cold.segment.vector(atSlot: slot))
            }
        }
        var written: WrittenSegment?
        if !ids.isEmpty {
            let graph = try Self.makeGraph(configuration)
            do {
                try graph.insert(contentsOf: flat, ids: ids, threads: configuration.threads)
            } catch {
                throw .index(error)
            }
            written = try writeSegment(graph)
        }
        let detail = "\(chosen.count) segment(s) [\(chosen.map(\.record.file).joined(separator: ", "))] into \(written?.file ?? "nothing"): \(ids.count) live pattern(s)"
        let newID = try writer.transaction { () throws(StoreError) -> Int64? in
            var newID: Int64?
            if let written {
                let id = try writer.insertSegment(file: written.file, slots: written.segment.slotCount, bytes: written.segment.fileBytes)
                for row in ids { try writer.markCold(row: Int64(row), segment: id, slot: written.slots[Int64(row)]!) }
                newID = id
            }
            for cold in chosen { try writer.deleteSegment(cold.record.id) }
            try writer.log("compact", detail)
            return newID
        }
        var cold = tiers.cold.filter { !selected.contains($0.record.id) }
        if let written, let newID, let record = try writer.segments().first(where: { $0.id == newID }) {
            cold.append(ColdSegment(record: record, segment: written.segment, dead: []))
        }
        replaceTiers(cold: try refreshedRecords(cold))
        try refreshPayload(ids.map { Int64($0) })
        folder.removeSegments(chosen.map(\.record.file))
        logger.info("compact", metadata: ["detail": "\(detail)"])
        return MaintenanceReport(operation: "compact", patterns: ids.count, segmentsWritten: written == nil ? 0 : 1, segmentsRemoved: chosen.count, seconds: Date().timeIntervalSince(started))
    }

    /// Brings cold patterns used at least ``StoreConfiguration/promoteMinimumUses`` times
    /// within ``StoreConfiguration/promoteWindowDays`` into the hot tier.
    @discardableResult
    public func promote(now: Date = Date()) throws(StoreError) -> MaintenanceReport {
        try ensureOpen()
        return try write { () throws(StoreError) in
            try requireMaintainer("promote")
            let started = Date()
            let busy = try writer.busyColdRows(minimumUses: configuration.promoteMinimumUses, usedSince: maintenancePlanner.busySince(now))
            let tiers = snapshot
            let segments = Dictionary(uniqueKeysWithValues: tiers.cold.map { ($0.record.id, $0) })
            var moved: [(location: VectorLocation, vector: [Float])] = []
            for location in busy {
                guard let id = location.segment, let slot = location.slot, let cold = segments[id], slot < cold.segment.slotCount else { continue }
                moved.append((location, Array(cold.segment.vector(atSlot: slot))))
            }
            guard !moved.isEmpty else { return MaintenanceReport(operation: "promote") }
            try writer.transaction { () throws(StoreError) in
                for (location, vector) in moved {
                    try writer.retireVector(location)
                    try writer.insertHotVector(row: location.row, vector)
                    try writer.markHot(row: location.row)
                }
                try writer.log("promote", "\(moved.count) busy cold pattern(s) to the hot tier")
            }
            do throws(IndexError) {
                for (location, vector) in moved { try tiers.hot.insert(vector, id: UInt64(location.row)) }
            } catch {
                throw .index(error)
            }
            var cold = tiers.cold
            for (location, _) in moved {
                if let position = cold.firstIndex(where: { $0.record.id == location.segment }) { cold[position].dead.insert(UInt64(location.row)) }
            }
            replaceTiers(cold: try refreshedRecords(cold))
            try refreshPayload(moved.map(\.location.row))
            logger.info("promote", metadata: ["patterns": "\(moved.count)"])
            return MaintenanceReport(operation: "promote", patterns: moved.count, seconds: Date().timeIntervalSince(started))
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

    /// Drops deleted patterns' vectors from the in-memory tiers (after the commit).
    func forgetVectors(_ locations: [VectorLocation]) throws(StoreError) {
        let tiers = snapshot
        var cold = tiers.cold
        do throws(IndexError) {
            for location in locations {
                if location.tier == .hot {
                    if tiers.hot.contains(UInt64(location.row)) { try tiers.hot.delete(UInt64(location.row)) }
                } else if let position = cold.firstIndex(where: { $0.record.id == location.segment }) {
                    cold[position].dead.insert(UInt64(location.row))
                }
            }
        } catch {
            throw .index(error)
        }
        replaceTiers(cold: try refreshedRecords(cold))
        try refreshPayload(locations.map(\.row))
    }
}
