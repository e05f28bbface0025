import Foundation
import StrataCatalog

extension Catalog {
    /// The notification channel of the change feed.
    static let feedChannel = "strata_changes"

    /// Runs `body` in one transaction. The audit records its writes note are appended to the
    /// audit log in it (``AuditTrail``); on a shared catalog, what the catalog's writers
    /// record goes into the change feed in it too, and the replicas are notified when it
    /// commits.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try database.transaction { () throws(StoreError) -> T in
            pendingChanges = feedsChanges ? ChangeSet() : nil
            pendingAudit = []
            defer { (pendingChanges, pendingAudit) = (nil, nil) }
            let value = try body()
            if let changes = pendingChanges, !changes.isEmpty { try appendToFeed(changes) }
            if let audit = pendingAudit, !audit.isEmpty { try inCatalog { () throws(CatalogError) in try AuditTrail.append(audit, in: database) } }
            return value
        }
    }

    /// Notes a write for the audit log of the running transaction.
    func noteAudit(_ event: AuditEvent) { pendingAudit?.append(event) }

    /// Notes that `row`'s vector changed, for the feed (nothing outside a feeding transaction).
    func noteVectorChange(_ row: Int64) { pendingChanges?.vectorRows.insert(row) }
    /// Notes that `row`'s metadata changed.
    func noteMetadataChange(_ row: Int64) { pendingChanges?.metadataRows.insert(row) }
    /// Notes that the segment list or tombstones changed.
    func noteSegmentChange() { pendingChanges?.segments = true }
    /// Notes that every tier must be reloaded.
    func noteReload() { pendingChanges?.reload = true }

    private func appendToFeed(_ changes: ChangeSet) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.statement("INSERT INTO changes(at, origin, vector_rows, metadata_rows, segments, reload) VALUES(?, ?, ?, ?, ?, ?)")
                .bind(1, Date().timeIntervalSince1970).bind(2, origin)
                .bind(3, blob: ChangeSet.encode(changes.vectorRows)).bind(4, blob: ChangeSet.encode(changes.metadataRows.subtracting(changes.vectorRows)))
                .bind(5, changes.segments ? 1 : 0).bind(6, changes.reload ? 1 : 0).run()
            // Delivered at commit, to every listening replica; a lost one is caught up by sequence.
            try database.notify(channel: Self.feedChannel)
        }
    }

    /// The feed after `sequence`, oldest first, at most `limit` entries.
    func feed(after sequence: Int64, limit: Int = 1000) throws(StoreError) -> [FeedEntry] {
        try inCatalog { () throws(CatalogError) -> [FeedEntry] in
            try database.statement("SELECT seq, at, origin, vector_rows, metadata_rows, segments, reload FROM changes WHERE seq > ? ORDER BY seq LIMIT ?")
                .bind(1, sequence).bind(2, limit)
                .rows { row in
                    FeedEntry(sequence: row.int64(0), committedAt: Date(timeIntervalSince1970: row.double(1)), origin: row.string(2),
                              changes: ChangeSet(vectorRows: ChangeSet.decode(row.bytes(3)), metadataRows: ChangeSet.decode(row.bytes(4)),
                                                 segments: row.int(5) != 0, reload: row.int(6) != 0))
                }
        }
    }

    /// The newest sequence number in the feed, and the oldest still kept (0 when empty).
    func feedBounds() throws(StoreError) -> (oldest: Int64, newest: Int64) {
        try inCatalog { () throws(CatalogError) -> (oldest: Int64, newest: Int64) in
            try database.statement("SELECT coalesce(min(seq), 0), coalesce(max(seq), 0) FROM changes")
                .rows { ($0.int64(0), $0.int64(1)) }.first ?? (0, 0)
        }
    }

    /// Forgets feed entries committed before `date` and returns the highest one forgotten
    /// (nil when none was); a replica further behind than that reloads.
    func pruneFeed(before date: Date) throws(StoreError) -> Int64? {
        try inCatalog { () throws(CatalogError) -> Int64? in
            // The newest entry stays, so the next sequence number is never below a replica's.
            try database.statement("DELETE FROM changes WHERE at < ? AND seq < (SELECT max(seq) FROM changes) RETURNING seq")
                .bind(1, date.timeIntervalSince1970).rows { $0.int64(0) }.max()
        }
    }
}
