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

    /// The newest schema this build writes; older catalogs are migrated forward at open.
    static var schemaVersion: Int { schema.version }

    /// The store's tables: each migration takes them from version `index` to `index + 1`,
    /// written out for each database. SQLite catalogs keep the version in `user_version`, as
    /// every store has since the first; PostgreSQL ones in `catalog_schema`.
    static let schema = CatalogSchema(component: "patterns", versionRecord: .userVersionOr(table: "catalog_schema"), migrations: migrations)

    private static let migrations: [CatalogMigration] = [
        CatalogMigration(
            sqlite: """
            CREATE TABLE manifest(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE blobs(key TEXT PRIMARY KEY, value BLOB NOT NULL);
            CREATE TABLE patterns(
                row INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL DEFAULT '',
                kind TEXT NOT NULL DEFAULT 'code',
                node_type TEXT NOT NULL DEFAULT 'none',
                domain TEXT NOT NULL DEFAULT '',
                language TEXT NOT NULL DEFAULT '',
                tags TEXT NOT NULL DEFAULT '',
                quality REAL NOT NULL DEFAULT 0.5,
                success_rate REAL NOT NULL DEFAULT 0,
                usage_count INTEGER NOT NULL DEFAULT 0,
                outcome_count INTEGER NOT NULL DEFAULT 0,
                lifecycle TEXT NOT NULL DEFAULT 'candidate',
                content_hash TEXT NOT NULL,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL,
                last_used_at REAL,
                tier INTEGER NOT NULL DEFAULT 0,
                segment INTEGER,
                slot INTEGER,
                version INTEGER NOT NULL DEFAULT 1,
                source_path TEXT,
                line_start INTEGER,
                line_end INTEGER,
                -- Long columns last: SQLite reads a row's columns in order, and a text that spills
                -- into overflow pages would be read for every filter and location lookup.
                summary TEXT NOT NULL DEFAULT '',
                text TEXT NOT NULL
            );
            CREATE INDEX patterns_node_type ON patterns(node_type);
            CREATE INDEX patterns_domain ON patterns(domain);
            CREATE INDEX patterns_language ON patterns(language);
            CREATE INDEX patterns_kind ON patterns(kind);
            CREATE INDEX patterns_lifecycle ON patterns(lifecycle);
            CREATE INDEX patterns_quality ON patterns(quality);
            CREATE INDEX patterns_created ON patterns(created_at);
            CREATE INDEX patterns_hash ON patterns(content_hash);
            CREATE INDEX patterns_segment ON patterns(segment, slot);
            CREATE INDEX patterns_source ON patterns(source_path);
            CREATE TABLE pattern_tags(tag TEXT NOT NULL, row INTEGER NOT NULL, PRIMARY KEY(tag, row)) WITHOUT ROWID;
            CREATE INDEX pattern_tags_row ON pattern_tags(row);
            CREATE TABLE hot_vectors(row INTEGER PRIMARY KEY, vector BLOB NOT NULL);
            CREATE TABLE segments(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                file TEXT NOT NULL UNIQUE,
                slots INTEGER NOT NULL,
                dead INTEGER NOT NULL DEFAULT 0,
                bytes INTEGER NOT NULL,
                created_at REAL NOT NULL
            );
            CREATE TABLE tombstones(segment INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY(segment, row)) WITHOUT ROWID;
            CREATE TABLE source_files(path TEXT PRIMARY KEY, content_hash TEXT NOT NULL, patterns INTEGER NOT NULL, ingested_at REAL NOT NULL);
            CREATE TABLE maintenance_log(id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, operation TEXT NOT NULL, detail TEXT NOT NULL);
            """,
            postgres: """
            CREATE TABLE manifest(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE blobs(key TEXT PRIMARY KEY, value BYTEA NOT NULL);
            CREATE TABLE patterns(
                row BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL DEFAULT '',
                kind TEXT NOT NULL DEFAULT 'code',
                node_type TEXT NOT NULL DEFAULT 'none',
                domain TEXT NOT NULL DEFAULT '',
                language TEXT NOT NULL DEFAULT '',
                tags TEXT NOT NULL DEFAULT '',
                quality DOUBLE PRECISION NOT NULL DEFAULT 0.5,
                success_rate DOUBLE PRECISION NOT NULL DEFAULT 0,
                usage_count BIGINT NOT NULL DEFAULT 0,
                outcome_count BIGINT NOT NULL DEFAULT 0,
                lifecycle TEXT NOT NULL DEFAULT 'candidate',
                content_hash TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                updated_at DOUBLE PRECISION NOT NULL,
                last_used_at DOUBLE PRECISION,
                tier BIGINT NOT NULL DEFAULT 0,
                segment BIGINT,
                slot BIGINT,
                version BIGINT NOT NULL DEFAULT 1,
                source_path TEXT,
                line_start BIGINT,
                line_end BIGINT,
                -- Long columns last: SQLite reads a row's columns in order, and a text that spills
                -- into overflow pages would be read for every filter and location lookup.
                summary TEXT NOT NULL DEFAULT '',
                text TEXT NOT NULL
            );
            CREATE INDEX patterns_node_type ON patterns(node_type);
            CREATE INDEX patterns_domain ON patterns(domain);
            CREATE INDEX patterns_language ON patterns(language);
            CREATE INDEX patterns_kind ON patterns(kind);
            CREATE INDEX patterns_lifecycle ON patterns(lifecycle);
            CREATE INDEX patterns_quality ON patterns(quality);
            CREATE INDEX patterns_created ON patterns(created_at);
            CREATE INDEX patterns_hash ON patterns(content_hash);
            CREATE INDEX patterns_segment ON patterns(segment, slot);
            CREATE INDEX patterns_source ON patterns(source_path);
            CREATE TABLE pattern_tags(tag TEXT NOT NULL, row BIGINT NOT NULL, PRIMARY KEY(tag, row)) ;
            CREATE INDEX pattern_tags_row ON pattern_tags(row);
            CREATE TABLE hot_vectors(row BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, vector BYTEA NOT NULL);
            CREATE TABLE segments(
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                file TEXT NOT NULL UNIQUE,
                slots BIGINT NOT NULL,
                dead BIGINT NOT NULL DEFAULT 0,
                bytes BIGINT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL
            );
            CREATE TABLE tombstones(segment BIGINT NOT NULL, row BIGINT NOT NULL, PRIMARY KEY(segment, row)) ;
            CREATE TABLE source_files(path TEXT PRIMARY KEY, content_hash TEXT NOT NULL, patterns BIGINT NOT NULL, ingested_at DOUBLE PRECISION NOT NULL);
            CREATE TABLE maintenance_log(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at DOUBLE PRECISION NOT NULL, operation TEXT NOT NULL, detail TEXT NOT NULL);
            """),
        // 2: a JSON object of caller metadata per pattern (Qdrant points' payloads), last
        // because it may be long; filters read it with SQLite's JSON functions.
        CatalogMigration(
            sqlite: """
            ALTER TABLE patterns ADD COLUMN payload TEXT;
            """,
            postgres: """
            ALTER TABLE patterns ADD COLUMN payload TEXT;
            """),
        // 3: the change feed replicas of a shared store follow (see Catalog+Changes): one row
        // per committed write, numbered in commit order.
        CatalogMigration(
            sqlite: """
            CREATE TABLE changes(
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                at REAL NOT NULL,
                origin TEXT NOT NULL,
                vector_rows BLOB NOT NULL,
                metadata_rows BLOB NOT NULL,
                segments INTEGER NOT NULL DEFAULT 0,
                reload INTEGER NOT NULL DEFAULT 0
            );
            """,
            postgres: """
            CREATE TABLE changes(
                seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                at DOUBLE PRECISION NOT NULL,
                origin TEXT NOT NULL,
                vector_rows BYTEA NOT NULL,
                metadata_rows BYTEA NOT NULL,
                segments BIGINT NOT NULL DEFAULT 0,
                reload BIGINT NOT NULL DEFAULT 0
            );
            """),
    ]

    /// Opens the catalog at `location`, creating and migrating its schema as needed.
    init(location: CatalogLocation, create: Bool) throws(StoreError) {
        database = try inCatalog { () throws(CatalogError) in try location.connect(create: create) }
        feedsChanges = location.isShared
        try inCatalog { () throws(CatalogError) in try database.migrate(Self.schema) }
    }

    /// The schema version stored in the catalog.
    func storedSchemaVersion() throws(StoreError) -> Int {
        try inCatalog { () throws(CatalogError) in try database.storedVersion(of: Self.schema) }
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
