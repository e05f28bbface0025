/// One step of a component's schema, written out for each database: no SQL is translated
/// from one dialect to the other.
public struct CatalogMigration: Sendable, Equatable {
    /// The step in SQLite's words (one or more statements).
    public var sqlite: String
    /// The same step in PostgreSQL's.
    public var postgres: String

    public init(sqlite: String, postgres: String) {
        self.sqlite = sqlite
        self.postgres = postgres
    }

    /// The step in `dialect`'s words.
    public func sql(for dialect: SQLDialect) -> String {
        dialect == .sqlite ? sqlite : postgres
    }
}

/// The tables one component of the catalog owns (the pattern store's, the generation
/// records', the budgets'…), as the migrations that build them: migration `i` takes the
/// component from version `i` to `i + 1`.
///
/// Each component keeps its version in a table of its own choosing (`component`, `version`
/// rows), so components migrate independently; the pattern store's SQLite catalogs keep
/// theirs in `PRAGMA user_version`, as every store written before components existed does.
public struct CatalogSchema: Sendable {
    /// Where a component's version is kept.
    public enum VersionRecord: Sendable, Equatable {
        /// A row (`component`, `version`) of this table, created when missing.
        case table(String)
        /// SQLite's `user_version` on SQLite, a row of `table` on PostgreSQL.
        case userVersionOr(table: String)
    }

    /// The component's name, as recorded beside its version.
    public var component: String
    /// Where its version is kept.
    public var versionRecord: VersionRecord
    /// The steps, oldest first.
    public var migrations: [CatalogMigration]

    public init(component: String, versionRecord: VersionRecord, migrations: [CatalogMigration]) {
        self.component = component
        self.versionRecord = versionRecord
        self.migrations = migrations
    }

    /// The version this build writes.
    public var version: Int { migrations.count }
}

extension CatalogDatabase {
    /// The version of `schema`'s component stored in this catalog (0 when it has none).
    package func storedVersion(of schema: CatalogSchema) throws(CatalogError) -> Int {
        switch (schema.versionRecord, dialect) {
        case (.userVersionOr, .sqlite):
            return try statement("PRAGMA user_version").rows { $0.int(0) }.first ?? 0
        case let (.table(table), _), let (.userVersionOr(table), .postgres):
            guard try tableNames().contains(table) else { return 0 }
            return try statement("SELECT coalesce(max(version), 0) FROM \(table) WHERE component = ?")
                .bind(1, schema.component).rows { $0.int(0) }.first ?? 0
        }
    }

    /// Brings `schema`'s tables to its ``CatalogSchema/version``, one step at a time, each in
    /// an exclusive transaction (replicas starting together migrate one after the other, and
    /// a step another process took meanwhile is not taken again).
    ///
    /// - Throws: ``CatalogError/Code/schemaTooNew`` when the catalog holds a newer version
    ///   than this build writes; whatever a step's SQL fails with (that step is rolled back).
    package func migrate(_ schema: CatalogSchema) throws(CatalogError) {
        // The usual open of an up-to-date catalog takes no write lock.
        let found = try storedVersion(of: schema)
        try checkNotNewer(found, schema)
        guard found < schema.version else { return }
        for step in found..<schema.version {
            try exclusiveTransaction { () throws(CatalogError) in
                let current = try storedVersion(of: schema)
                try checkNotNewer(current, schema)
                guard current == step else { return }
                try execute(schema.migrations[step].sql(for: dialect))
                try recordVersion(step + 1, of: schema)
            }
        }
    }

    private func checkNotNewer(_ found: Int, _ schema: CatalogSchema) throws(CatalogError) {
        // No build writes a negative version: the file's header or version table is damaged
        // (found by the catalog fuzz test, where it indexed the migrations out of range).
        guard found >= 0 else {
            throw CatalogError(.unavailable, "\(location): the \(schema.component) tables record schema version \(found), which no build writes: the catalog is damaged; restore it from a snapshot or a replica")
        }
        guard found > schema.version else { return }
        throw CatalogError(.schemaTooNew, "\(location): the \(schema.component) tables are at version \(found), newer than this build writes (\(schema.version)); upgrade strata")
    }

    private func recordVersion(_ version: Int, of schema: CatalogSchema) throws(CatalogError) {
        switch (schema.versionRecord, dialect) {
        case (.userVersionOr, .sqlite):
            try execute("PRAGMA user_version = \(version)")
        case let (.table(table), _), let (.userVersionOr(table), .postgres):
            try execute("CREATE TABLE IF NOT EXISTS \(table)(component TEXT PRIMARY KEY, version \(dialect.integerType) NOT NULL)")
            try statement("INSERT INTO \(table)(component, version) VALUES(?, ?) ON CONFLICT(component) DO UPDATE SET version = excluded.version")
                .bind(1, schema.component).bind(2, version).run()
        }
    }
}
