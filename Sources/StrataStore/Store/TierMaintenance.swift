import Foundation
import Logging
import StrataIndex

/// Maintenance carried out: the moves between tiers that ``MaintenancePlanner`` decides
/// (flush, compaction, promotion) and the removal of deleted vectors, each as one catalog
/// transaction followed by the tiers. Runs under the store's write lock; the store refreshes
/// the payload index for the rows each move reports.
struct TierMaintenance {
    /// What a run did, and the rows whose place changed.
    struct Done {
        var report: MaintenanceReport
        var changedRows: [Int64] = []

        init(_ report: MaintenanceReport, _ changedRows: [Int64] = []) {
            self.report = report
            self.changedRows = changedRows
        }
    }

    /// The store's writing connection, under its write lock.
    let catalog: Catalog
    let tiers: TierSet
    let folder: StoreFolder
    let configuration: StoreConfiguration
    let logger: Logger

    var planner: MaintenancePlanner { MaintenancePlanner(configuration: configuration) }

    /// Moves `rows` (nil: every hot pattern but the busy ones) into one new segment.
    func flush(rows selected: [Int64]?, reason: String) throws(StoreError) -> Done {
        let started = Date()
        let rows: [Int64]
        if let selected {
            rows = selected
        } else {
            rows = try catalog.flushableHotRows(
                minimumUses: configuration.promoteMinimumUses,
                usedSince: planner.busySince(started))
        }
        guard !rows.isEmpty else { return Done(MaintenanceReport(operation: "flush")) }
        let snapshot = tiers.snapshot
        var ids: [UInt64] = []
        var flat: [Float] = []
        flat.reserveCapacity(rows.count * configuration.dimension)
        for row in rows {
            guard let vector = snapshot.hot.vector(for: UInt64(row)) else { continue }
            ids.append(UInt64(row))
            flat += vector
        }
        guard !ids.isEmpty else { return Done(MaintenanceReport(operation: "flush")) }
        let graph = try configuration.makeGraph(holding: flat, ids: ids)
        var documents: [UInt64: LexicalDocument] = [:]
        for document in snapshot.hotLexical.documents(ids) { documents[document.row] = document }
        let written = try folder.writeOpenedSegment(graph, documents: documents)
        let detail = "\(ids.count) hot pattern(s) to segment \(written.file) (\(reason))"
        let segmentID = try catalog.transaction { () throws(StoreError) -> Int64 in
            let segmentID = try catalog.insertSegment(file: written.file, slots: written.segment.slotCount, bytes: written.segment.fileBytes)
            for id in ids {
                let row = Int64(id)
                try catalog.markCold(row: row, segment: segmentID, slot: written.slots[row]!)
                try catalog.retireVector(VectorLocation(row: row, tier: .hot))
            }
            try catalog.log("flush", detail)
            return segmentID
        }
        // The new segment is published before the rows leave the hot graph, which searches
        // share (a class, changed in place): a search in between then finds a row in both
        // tiers (TierSnapshot.nearest keeps one), never in neither.
        let records = try catalog.segments()
        var cold = snapshot.cold
        if let record = records.first(where: { $0.id == segmentID }) {
            cold.append(ColdSegment(record: record, segment: written.segment, lexical: written.lexical, dead: []))
        }
        tiers.replace(cold: try catalog.refreshed(cold))
        var hot = snapshot.hot
        do {
            for id in ids { try hot.delete(id) }
            if hot.deletedCount > hot.count { hot = try hot.compacted() }
        } catch {
            throw .index(error)
        }
        tiers.replace(hot: hot)
        logger.info("flush", metadata: ["patterns": "\(ids.count)", "segment": "\(written.file)", "reason": "\(reason)"])
        return Done(MaintenanceReport(operation: "flush", patterns: ids.count, segmentsWritten: 1, seconds: Date().timeIntervalSince(started)), ids.map { Int64($0) })
    }

    /// Rewrites the segments the planner picks (dead share, count over `maxSegments`) into one.
    func compact(force: Bool) throws(StoreError) -> Done {
        let started = Date()
        let snapshot = tiers.snapshot
        let selected = Set(planner.compaction(
            of: snapshot.cold.map { MaintenancePlanner.Occupancy(id: $0.record.id, live: $0.record.live, dead: $0.record.dead) }, force: force))
        let chosen = snapshot.cold.filter { selected.contains($0.record.id) }
        guard !chosen.isEmpty else { return Done(MaintenanceReport(operation: "compact")) }
        var ids: [UInt64] = []
        var flat: [Float] = []
        var documents: [UInt64: LexicalDocument] = [:]
        for cold in chosen {
            let live = try catalog.liveSlots(segment: cold.record.id).filter { $0.slot < cold.segment.slotCount }
            for (row, slot) in live {
                ids.append(UInt64(row))
                flat.append(contentsOf: cold.segment.vector(atSlot: slot))
            }
            let liveRows = Set(live.map { UInt64($0.row) })
            for document in cold.lexical.documents() where liveRows.contains(document.row) { documents[document.row] = document }
        }
        var written: WrittenSegment?
        if !ids.isEmpty {
            let graph = try configuration.makeGraph(holding: flat, ids: ids)
            written = try folder.writeOpenedSegment(graph, documents: documents)
        }
        let detail = "\(chosen.count) segment(s) [\(chosen.map(\.record.file).joined(separator: ", "))] into \(written?.file ?? "nothing"): \(ids.count) live pattern(s)"
        let newID = try catalog.transaction { () throws(StoreError) -> Int64? in
            var newID: Int64?
            if let written {
                let id = try catalog.insertSegment(file: written.file, slots: written.segment.slotCount, bytes: written.segment.fileBytes)
                for row in ids { try catalog.markCold(row: Int64(row), segment: id, slot: written.slots[Int64(row)]!) }
                newID = id
            }
            for cold in chosen { try catalog.deleteSegment(cold.record.id) }
            try catalog.log("compact", detail)
            return newID
        }
        var cold = snapshot.cold.filter { !selected.contains($0.record.id) }
        if let written, let newID, let record = try catalog.segments().first(where: { $0.id == newID }) {
            cold.append(ColdSegment(record: record, segment: written.segment, lexical: written.lexical, dead: []))
        }
        tiers.replace(cold: try catalog.refreshed(cold))
        folder.removeSegments(chosen.map(\.record.file))
        logger.info("compact", metadata: ["detail": "\(detail)"])
        return Done(MaintenanceReport(operation: "compact", patterns: ids.count, segmentsWritten: written == nil ? 0 : 1, segmentsRemoved: chosen.count, seconds: Date().timeIntervalSince(started)), ids.map { Int64($0) })
    }

    /// Brings the busy cold patterns into the hot tier.
    func promote(now: Date) throws(StoreError) -> Done {
        let started = Date()
        let busy = try catalog.busyColdRows(minimumUses: configuration.promoteMinimumUses, usedSince: planner.busySince(now))
        let snapshot = tiers.snapshot
        let segments = Dictionary(uniqueKeysWithValues: snapshot.cold.map { ($0.record.id, $0) })
        var moved: [(location: VectorLocation, vector: [Float])] = []
        for location in busy {
            guard let id = location.segment, let slot = location.slot, let cold = segments[id], slot < cold.segment.slotCount else { continue }
            moved.append((location, Array(cold.segment.vector(atSlot: slot))))
        }
        guard !moved.isEmpty else { return Done(MaintenanceReport(operation: "promote")) }
        try catalog.transaction { () throws(StoreError) in
            for (location, vector) in moved {
                try catalog.retireVector(location)
                try catalog.insertHotVector(row: location.row, vector)
                try catalog.markHot(row: location.row)
            }
            try catalog.log("promote", "\(moved.count) busy cold pattern(s) to the hot tier")
        }
        do throws(IndexError) {
            for (location, vector) in moved { try snapshot.hot.insert(vector, id: UInt64(location.row)) }
        } catch {
            throw .index(error)
        }
        var cold = snapshot.cold
        for (location, _) in moved { cold.markDead(location.row, inSegment: location.segment) }
        tiers.replace(cold: try catalog.refreshed(cold))
        logger.info("promote", metadata: ["patterns": "\(moved.count)"])
        return Done(MaintenanceReport(operation: "promote", patterns: moved.count, seconds: Date().timeIntervalSince(started)), moved.map(\.location.row))
    }

    /// Drops deleted patterns' vectors from the in-memory tiers (after the commit).
    func forget(_ locations: [VectorLocation]) throws(StoreError) {
        let snapshot = tiers.snapshot
        var cold = snapshot.cold
        do throws(IndexError) {
            for location in locations {
                if location.tier == .hot {
                    if snapshot.hot.contains(UInt64(location.row)) { try snapshot.hot.delete(UInt64(location.row)) }
                } else {
                    cold.markDead(location.row, inSegment: location.segment)
                }
            }
        } catch {
            throw .index(error)
        }
        tiers.replace(cold: try catalog.refreshed(cold))
    }

    /// Deletes the patterns the planner finds prunable (none on a dry run: the report lists
    /// them).
    func prune(now: Date, dryRun: Bool) throws(StoreError) -> Done {
        let started = Date()
        let victims = try catalog.prunable(
            maximumQuality: configuration.pruneMaximumQuality, maximumUses: configuration.pruneMaximumUses,
            idleSince: planner.prunableSince(now))
        var report = MaintenanceReport(operation: "prune", patterns: victims.count, removedIDs: victims.map(\.id))
        guard !dryRun, !victims.isEmpty else { return Done(report) }
        try catalog.transaction { () throws(StoreError) in
            for victim in victims { try catalog.delete(victim.location) }
            try catalog.log("prune", "removed \(victims.count) pattern(s) (quality <= \(configuration.pruneMaximumQuality), uses <= \(configuration.pruneMaximumUses), idle >= \(configuration.pruneIdleDays) days): \(victims.map(\.id).prefix(50).joined(separator: ", "))")
        }
        try forget(victims.map(\.location))
        report.seconds = Date().timeIntervalSince(started)
        logger.info("prune", metadata: ["patterns": "\(victims.count)"])
        return Done(report, victims.map(\.location.row))
    }
}
