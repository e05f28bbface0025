import Foundation
import StrataCatalog

/// A cold segment as the catalog records it.
struct SegmentRecord: Sendable, Equatable {
    var id: Int64
    /// File name inside `<store>/segments/`.
    var file: String
    var slots: Int
    /// Slots whose pattern was deleted, promoted or moved by a later compaction.
    var dead: Int
    var bytes: Int
    var createdAt: Date

    var live: Int { slots - dead }
    var deadRatio: Double { slots == 0 ? 0 : Double(dead) / Double(slots) }
}

extension Catalog {
    /// Cold segments with their catalog records re-read (dead counts change with deletes).
    func refreshed(_ cold: [ColdSegment]) throws(StoreError) -> [ColdSegment] {
        let records = Dictionary(uniqueKeysWithValues: try segments().map { ($0.id, $0) })
        return cold.compactMap { segment in
            guard let record = records[segment.record.id] else { return nil }
            return ColdSegment(record: record, segment: segment.segment, lexical: segment.lexical, dead: segment.dead)
        }
    }

    func segments() throws(StoreError) -> [SegmentRecord] {
        try inCatalog { () throws(CatalogError) -> [SegmentRecord] in
            let statement = try database.statement("SELECT id, file, slots, dead, bytes, created_at FROM segments ORDER BY id")
            return try statement.rows { s in
                SegmentRecord(id: s.int64(0), file: s.string(1), slots: s.int(2), dead: s.int(3), bytes: s.int(4), createdAt: Date(timeIntervalSince1970: s.double(5)))
            }
        }
    }

    func insertSegment(file: String, slots: Int, bytes: Int) throws(StoreError) -> Int64 {
        try inCatalog { () throws(CatalogError) -> Int64 in
            let id = try database.statement("INSERT INTO segments(file, slots, dead, bytes, created_at) VALUES(?, ?, 0, ?, ?) RETURNING id")
                .bind(1, file).bind(2, slots).bind(3, bytes).bind(4, Date().timeIntervalSince1970).runReturning()
            guard let id else { throw CatalogError(.statementFailed, "the segment \(file) was not recorded (no id came back)") }
            noteSegmentChange()
            return id
        }
    }

    /// Forgets a segment and its tombstones; the caller removes the file after commit.
    func deleteSegment(_ id: Int64) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.statement("DELETE FROM tombstones WHERE segment = ?").bind(1, id).run()
            try database.statement("DELETE FROM segments WHERE id = ?").bind(1, id).run()
            noteSegmentChange()
        }
    }

    /// Rows of a segment's dead slots.
    func tombstones(segment: Int64) throws(StoreError) -> [UInt64] {
        try inCatalog { () throws(CatalogError) -> [UInt64] in
            let statement = try database.statement("SELECT row FROM tombstones WHERE segment = ?")
            statement.bind(1, segment)
            return try statement.rows { UInt64($0.int64(0)) }
        }
    }

    /// Live rows of a segment and their slots.
    func liveSlots(segment: Int64) throws(StoreError) -> [(row: Int64, slot: Int)] {
        try inCatalog { () throws(CatalogError) -> [(row: Int64, slot: Int)] in
            let statement = try database.statement("SELECT row, slot FROM patterns WHERE segment = ? AND tier = 1 ORDER BY slot")
            statement.bind(1, segment)
            return try statement.rows { ($0.int64(0), $0.int(1)) }
        }
    }
}
