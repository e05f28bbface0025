import Foundation
import StrataCatalog

/// The store's source of truth, holding patterns, hot-tier vectors, payload indexes, the
/// segment list, tombstones, the maintenance log and the manifest: a SQLite database in WAL
/// mode (embedded), or a PostgreSQL database that replicas share.
///
/// A write is acknowledged only after its transaction commits (SQLite: `synchronous=FULL`;
/// PostgreSQL: its own commit, durable by default), and a hot vector commits together with
/// its metadata: the catalog is the store's write-ahead log. Not thread-safe;
/// ``PatternStore`` serializes access.
final class Catalog {
    let database: any CatalogDatabase
    /// Whether writes are logged to the change feed: a shared (PostgreSQL) catalog, whose
    /// other replicas follow it.
    let feedsChanges: Bool
    /// Names this connection's writes in the feed, so its own replica skips them.
    let origin = UUID().uuidString
    /// What the open transaction changed, while one is open on a feeding catalog.
    var pendingChanges: ChangeSet?
    /// What the open transaction's writes noted for the audit log.
    var pendingAudit: [AuditEvent]?

    /// Opens the catalog at `location`, creating and migrating its schema as needed.
    init(location: CatalogLocation, create: Bool) throws(StoreError) {
        database = try inCatalog { () throws(CatalogError) in try location.connect(create: create) }
        feedsChanges = location.isShared
        try inCatalog { () throws(CatalogError) in
            try database.migrate(StoreTables.schema)
            try database.migrate(AuditTrail.schema)
        }
    }

    /// The schema version stored in the catalog.
    func storedSchemaVersion() throws(StoreError) -> Int {
        try inCatalog { () throws(CatalogError) in try database.storedVersion(of: StoreTables.schema) }
    }

    func close() { database.close() }

    /// Refuses every write through this connection from now on: the store's reader.
    func makeReadOnly() throws(StoreError) {
        try inCatalog { () throws(CatalogError) in try database.makeReadOnly() }
    }

    // MARK: manifest

    func manifestValue(_ key: String) throws(StoreError) -> String? {
        try inCatalog { () throws(CatalogError) -> String? in
            let statement = try database.statement("SELECT value FROM manifest WHERE key = ?")
            statement.bind(1, key)
            return try statement.step() ? statement.string(0) : nil
        }
    }

    func setManifestValue(_ key: String, _ value: String) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.statement("INSERT INTO manifest(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
                .bind(1, key).bind(2, value).run()
        }
    }

    func blob(_ key: String) throws(StoreError) -> [UInt8]? {
        try inCatalog { () throws(CatalogError) -> [UInt8]? in
            let statement = try database.statement("SELECT value FROM blobs WHERE key = ?")
            statement.bind(1, key)
            return try statement.step() ? statement.bytes(0) : nil
        }
    }

    func setBlob(_ key: String, _ value: [UInt8]) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.statement("INSERT INTO blobs(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").bind(1, key).bind(2, blob: value).run()
        }
    }

    func removeBlob(_ key: String) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.statement("DELETE FROM blobs WHERE key = ?").bind(1, key).run()
        }
    }

    // MARK: log

    /// Records a maintenance run (flush, compaction, promotion, pruning) for `stats` and audits.
    func log(_ operation: String, _ detail: String) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.statement("INSERT INTO maintenance_log(at, operation, detail) VALUES(?, ?, ?)")
                .bind(1, Date().timeIntervalSince1970).bind(2, operation).bind(3, detail).run()
        }
    }
}
