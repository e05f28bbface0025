import Foundation

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
    static let schemaVersion = 3

    /// Each migration takes the schema from version `index` to `index + 1`; written in
    /// SQLite's words, translated for PostgreSQL by ``SQLDialect/schema(_:)``.
    private static let migrations: [String] = [
        """
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
        // 2: a JSON object of caller metadata per pattern (Qdrant points' payloads), last
        // because it may be long; filters read it with SQLite's JSON functions.
        """
        ALTER TABLE patterns ADD COLUMN payload TEXT;
        """,
        // 3: the change feed replicas of a shared store follow (see Catalog+Changes): one row
        // per committed write, numbered in commit order.
        """
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
    ]

    /// Opens the catalog at `location`, creating and migrating its schema as needed.
    init(location: CatalogLocation, create: Bool) throws(StoreError) {
        database = try location.connect(create: create)
        feedsChanges = location.isShared
        if database.dialect == .sqlite {
            try database.execute("PRAGMA journal_mode=WAL")
            // FULL: a commit is on disk before it returns, so an acknowledged write survives a
            // power cut, not just a killed process.
            try database.execute("PRAGMA synchronous=FULL")
            try database.execute("PRAGMA foreign_keys=OFF")
            try database.execute("PRAGMA cache_size=-65536")
            try database.execute("PRAGMA temp_store=MEMORY")
        }
        try migrate()
    }

    /// The schema version stored in the catalog: SQLite's `user_version`, or the row of
    /// `catalog_schema` in PostgreSQL.
    func storedSchemaVersion() throws(StoreError) -> Int {
        let sql = database.dialect == .sqlite
            ? "PRAGMA user_version"
            : "SELECT coalesce(max(version), 0) FROM catalog_schema WHERE component = 'patterns'"
        return try database.statement(sql).rows { $0.int(0) }.first ?? 0
    }

    private func migrate() throws(StoreError) {
        // SQLite: the usual open of an up-to-date file takes no write lock.
        if database.dialect == .sqlite, try storedSchemaVersion() == Self.schemaVersion { return }
        // Replicas starting together migrate one at a time.
        try database.exclusiveTransaction { () throws(StoreError) in
            if database.dialect == .postgres {
                try database.execute("CREATE TABLE IF NOT EXISTS catalog_schema(component TEXT PRIMARY KEY, version BIGINT NOT NULL)")
            }
            let current = try storedSchemaVersion()
            guard current <= Self.schemaVersion else {
                throw .noStore(path: database.location, problem: "catalog schema version \(current) is newer than this build reads (\(Self.schemaVersion)); upgrade strata")
            }
            guard current < Self.schemaVersion else { return }
            for version in current..<Self.schemaVersion {
                try database.execute(database.dialect.schema(Self.migrations[version]))
            }
            if database.dialect == .sqlite {
                try database.execute("PRAGMA user_version = \(Self.schemaVersion)")
            } else {
                try database.statement("INSERT INTO catalog_schema(component, version) VALUES('patterns', ?) ON CONFLICT(component) DO UPDATE SET version = excluded.version")
                    .bind(1, Self.schemaVersion).run()
            }
        }
    }

    func close() { database.close() }

    // MARK: manifest

    func manifestValue(_ key: String) throws(StoreError) -> String? {
        let statement = try database.statement("SELECT value FROM manifest WHERE key = ?")
        statement.bind(1, key)
        return try statement.step() ? statement.string(0) : nil
    }

    func setManifestValue(_ key: String, _ value: String) throws(StoreError) {
        try database.statement("INSERT INTO manifest(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .bind(1, key).bind(2, value).run()
    }

    func blob(_ key: String) throws(StoreError) -> [UInt8]? {
        let statement = try database.statement("SELECT value FROM blobs WHERE key = ?")
        statement.bind(1, key)
        return try statement.step() ? statement.bytes(0) : nil
    }

    func setBlob(_ key: String, _ value: [UInt8]) throws(StoreError) {
        try database.statement("INSERT INTO blobs(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").bind(1, key).bind(2, blob: value).run()
    }

    // MARK: log

    /// Records a maintenance run (flush, compaction, promotion, pruning) for `stats` and audits.
    func log(_ operation: String, _ detail: String) throws(StoreError) {
        try database.statement("INSERT INTO maintenance_log(at, operation, detail) VALUES(?, ?, ?)")
            .bind(1, Date().timeIntervalSince1970).bind(2, operation).bind(3, detail).run()
    }
}
