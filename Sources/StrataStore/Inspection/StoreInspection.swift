import Foundation

/// What a store holds and whether it is sound: the counts and sizes of `strata stats`, and
/// every check of `strata verify` (catalog integrity, segment checksums and structure, rows
/// against slots, tombstone counts, the hot graph against the hot rows).
struct StoreInspection {
    let store: PatternStore

    func stats() throws(StoreError) -> StoreStats {
        try store.ensureOpen()
        let tiers = store.tiers.snapshot
        func grouped(_ column: String) throws(StoreError) -> [String: Int] {
            try store.read { () throws(StoreError) in try store.reader.patternCounts(by: column) }
        }
        let tiersCount = try grouped("tier")
        let log = try store.read { () throws(StoreError) in try store.reader.recentLog(limit: 10) }
        let catalogBytes = try store.read { () throws(StoreError) in try store.reader.storageBytes() }
        let space = store.space
        return StoreStats(
            embedder: space.embedder, dimension: space.dimension, metric: space.metric.rawValue,
            patterns: tiersCount.values.reduce(0, +), hot: tiersCount["0"] ?? 0, cold: tiersCount["1"] ?? 0,
            segments: tiers.cold.map { StoreStats.SegmentStats(file: $0.record.file, slots: $0.record.slots, live: $0.record.live, dead: $0.record.dead, bytes: $0.record.bytes) },
            catalogBytes: catalogBytes, hotMemoryBytes: tiers.hot.memoryBytes,
            byNodeType: try grouped("node_type"), byLanguage: try grouped("language"), byKind: try grouped("kind"),
            recentMaintenance: log.map { StoreStats.LogEntry(at: $0.at, operation: $0.operation, detail: $0.detail) })
    }

    func verify() throws(StoreError) -> [String] {
        try store.ensureOpen()
        return try store.write { () throws(StoreError) in
            var problems: [String] = []
            problems += try store.writer.integrityProblems().map { "catalog: \($0)" }
            let tiers = store.tiers.snapshot
            for cold in tiers.cold {
                let name = "segment \(cold.record.file)"
                problems += cold.segment.verify().map { "\(name): \($0)" }
                let live = try store.writer.liveSlots(segment: cold.record.id)
                for (row, slot) in live {
                    if slot >= cold.segment.slotCount {
                        problems.append("\(name): row \(row) points at slot \(slot), beyond its \(cold.segment.slotCount) slots")
                    } else if cold.segment.id(atSlot: slot) != UInt64(row) || cold.segment.isDeleted(slot: slot) {
                        problems.append("\(name): slot \(slot) does not hold row \(row)")
                    } else if cold.dead.contains(UInt64(row)) {
                        problems.append("\(name): row \(row) is live in the catalog but a tombstone in memory")
                    }
                }
                let tombstones = try store.writer.tombstones(segment: cold.record.id).count
                if tombstones != cold.record.dead {
                    problems.append("\(name): \(tombstones) tombstones, but the segment record counts \(cold.record.dead) dead slots")
                }
                if live.count + cold.record.dead != cold.segment.count {
                    problems.append("\(name): \(live.count) live and \(cold.record.dead) dead rows for \(cold.segment.count) slots")
                }
            }
            let (hotRows, hotVectors) = try store.writer.hotRowsAndVectorCount()
            if hotVectors != hotRows.count {
                problems.append("hot tier: \(hotRows.count) hot patterns but \(hotVectors) stored hot vectors")
            }
            let missing = hotRows.filter { !tiers.hot.contains($0) }
            if !missing.isEmpty { problems.append("hot tier: \(missing.count) hot pattern(s) missing from the graph (rows \(missing.prefix(5).map(String.init).joined(separator: ", ")))") }
            if tiers.hot.count != hotRows.count {
                problems.append("hot tier: the graph holds \(tiers.hot.count) vectors for \(hotRows.count) hot patterns")
            }
            problems += tiers.hot.checkIntegrity().map { "hot graph: \($0)" }
            let orphanCold = try store.writer.coldRowsWithoutSegment()
            if orphanCold > 0 { problems.append("catalog: \(orphanCold) cold pattern(s) point at no segment") }
            return problems
        }
    }
}
