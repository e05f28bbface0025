import Foundation

extension CatalogLocation {
    /// The PostgreSQL schema the catalog's tables live in (`?schema=`), nil for SQLite or the
    /// user's default schema.
    public var schema: String? {
        guard case let .postgres(url) = self else { return nil }
        return try? PostgresTarget(url: url).schema
    }

    /// The same PostgreSQL database with the tables in `schema` instead: where a shared store
    /// keeps the catalogs of the stores it holds (its collections), reached with the
    /// store's own credentials.
    ///
    /// - Throws: ``CatalogError/Code/invalidLocation`` for a SQLite location, or a schema
    ///   name PostgreSQL would not take unquoted.
    package func inSchema(_ schema: String) throws(CatalogError) -> CatalogLocation {
        guard case let .postgres(url) = self, var parts = URLComponents(string: url) else {
            throw .location("catalog", description, expected: "a postgres:// URL (a SQLite catalog has no schemas)")
        }
        var items = (parts.percentEncodedQueryItems ?? []).filter { $0.name != "schema" }
        items.append(URLQueryItem(name: "schema", value: schema))
        parts.percentEncodedQueryItems = items
        guard let text = parts.string else { throw .location("catalog", description, expected: "a URL that takes a schema") }
        _ = try PostgresTarget(url: text)
        return .postgres(url: text)
    }

    /// Removes the catalog and everything in it: a SQLite file with its journal, or a
    /// PostgreSQL schema with every table in it. What a store that held another one (a
    /// collection) does once that one is deleted.
    ///
    /// - Throws: ``CatalogError/Code/invalidLocation`` for a PostgreSQL location without a
    ///   schema of its own (a whole database is never dropped);
    ///   ``CatalogError/Code/unavailable`` when the server cannot be reached.
    package func destroy() throws(CatalogError) {
        switch self {
        case let .sqlite(path):
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        case let .postgres(url):
            guard let schema = try PostgresTarget(url: url).schema else {
                throw .location("catalog", description, expected: "a ?schema= of its own to remove (a database's default schema is never dropped)")
            }
            let database = try PostgreSQLDatabase(url: url)
            defer { database.close() }
            try database.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        }
    }

    /// The key of the catalog-wide lock for `purpose` (writers, the maintainer, the
    /// collections): derived from the location, so stores in different schemas or databases
    /// never share one.
    package func lockKey(_ purpose: String) -> Int64 {
        // FNV-1a: stable across processes and builds, which Hasher is not.
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in (purpose + "|" + description).utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return Int64(bitPattern: hash)
    }
}
