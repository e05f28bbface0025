import Foundation
import StrataCatalog

/// One collection as its row in the holding store's catalog names it.
struct CollectionRecord: Equatable {
    /// The name clients use.
    var name: String
    /// Its folder under `<store>/collections/`.
    var folder: String
    /// The PostgreSQL schema holding its catalog; nil for the folder's own SQLite file.
    var catalogSchema: String?
}

/// The `collections` table of a store's catalog, read and written through a connection of
/// its own. Not thread-safe: ``StoreCollections`` serializes every use.
final class CollectionRegistry {
    let database: any CatalogDatabase
    /// Serializes the replicas' changes to the table (exclusive transactions of this key).
    let lockKey: Int64
    /// Which registry: its table, and the channel its deletions are announced on.
    let kind: NamedStoreKind
    private var table: String { kind.table }

    init(location: CatalogLocation, lockKey: Int64, kind: NamedStoreKind) throws(StoreError) {
        database = try inCatalog { () throws(CatalogError) in try location.connect(create: false) }
        self.lockKey = lockKey
        self.kind = kind
        do {
            try inCatalog { () throws(CatalogError) in try database.migrate(kind.schema) }
        } catch {
            database.close()
            throw error
        }
    }

    func close() { database.close() }

    /// Every collection, by name.
    func all() throws(StoreError) -> [CollectionRecord] {
        try inCatalog { () throws(CatalogError) in
            try database.statement("SELECT name, folder, catalog_schema FROM \(table) ORDER BY name").rows { CollectionRecord(name: $0.string(0), folder: $0.string(1), catalogSchema: $0.optionalString(2)) }
        }
    }

    /// The collection named `name`, if there is one.
    func record(named name: String) throws(StoreError) -> CollectionRecord? {
        try inCatalog { () throws(CatalogError) in
            try database.statement("SELECT name, folder, catalog_schema FROM \(table) WHERE name = ?").bind(1, name).rows { CollectionRecord(name: $0.string(0), folder: $0.string(1), catalogSchema: $0.optionalString(2)) }.first
        }
    }

    /// Runs `body` in a transaction no other replica changes the table beside.
    func exclusively<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try database.exclusiveTransaction(lock: lockKey, body)
    }

    /// Adds `record`; false when its name is taken. Call inside ``exclusively(_:)``.
    func insert(_ record: CollectionRecord) throws(StoreError) -> Bool {
        guard try self.record(named: record.name) == nil else { return false }
        try inCatalog { () throws(CatalogError) in
            try database.statement("INSERT INTO \(table)(name, folder, catalog_schema, created_at) VALUES(?, ?, ?, ?)")
                .bind(1, record.name).bind(2, record.folder).bind(3, record.catalogSchema).bind(4, Date().timeIntervalSince1970).run()
            try AuditTrail.append([AuditEvent(action: "\(table).create", subject: record.name, after: AuditTrail.digest(record.folder))], in: database)
        }
        return true
    }

    /// Records that the collection's catalog now lives in `catalogSchema`.
    func update(_ name: String, catalogSchema: String) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.statement("UPDATE \(table) SET catalog_schema = ? WHERE name = ?").bind(1, catalogSchema).bind(2, name).run()
        }
    }

    /// Puts `record` in place of the row of its name (or adds it); gives the row replaced.
    func replace(with record: CollectionRecord) throws(StoreError) -> CollectionRecord? {
        try exclusively { () throws(StoreError) -> CollectionRecord? in
            let old = try self.record(named: record.name)
            try inCatalog { () throws(CatalogError) in
                try database.statement("DELETE FROM \(table) WHERE name = ?").bind(1, record.name).run()
                if old != nil { try database.notify(channel: kind.channel) }
            }
            _ = try insert(record)
            return old
        }
    }

    /// Removes the row of `name`; gives what it said, nil when there was none.
    func remove(named name: String) throws(StoreError) -> CollectionRecord? {
        try exclusively { () throws(StoreError) -> CollectionRecord? in
            guard let found = try record(named: name) else { return nil }
            try inCatalog { () throws(CatalogError) in
                try database.statement("DELETE FROM \(table) WHERE name = ?").bind(1, name).run()
                try AuditTrail.append([AuditEvent(action: "\(table).delete", subject: name, before: AuditTrail.digest(found.folder))], in: database)
                // Delivered at commit: replicas that have it open close it.
                try database.notify(channel: kind.channel)
            }
            return found
        }
    }
}
