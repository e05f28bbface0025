import Foundation

/// Where a store's catalog lives: a SQLite file inside the store folder (the embedded
/// default), or a PostgreSQL database that several replicas share.
public enum CatalogLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database: `postgres://user[:password]@host[:port]/database[?schema=name]`.
    case postgres(url: String)

    /// Reads `sqlite:PATH`, a plain path (a SQLite file), or a `postgres://` URL.
    ///
    /// - Throws: ``CatalogError`` (``CatalogError/Code/invalidLocation``) for an empty text or
    ///   a PostgreSQL URL missing its user, host or database.
    public init(parsing text: String) throws(CatalogError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            _ = try PostgresTarget(url: text)
            self = .postgres(url: text)
        } else {
            let path = text.hasPrefix("sqlite:") ? String(text.dropFirst("sqlite:".count)) : text
            guard !path.isEmpty, !path.contains("://") else {
                throw .location("catalog", text, expected: "sqlite:PATH, or a URL such as postgres://user@host:5432/database")
            }
            self = .sqlite(path: path)
        }
    }

    /// Where it is, for messages: the path, or the URL without its password.
    public var description: String {
        switch self {
        case let .sqlite(path): return path
        case let .postgres(url): return (try? PostgresTarget(url: url).description) ?? "postgres://…"
        }
    }

    /// Whether the catalog is shared by replicas (PostgreSQL) rather than one process's file.
    public var isShared: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// The location as written in `catalog.url` or given to `--catalog` (password included).
    public var urlText: String {
        switch self {
        case let .sqlite(path): return "sqlite:" + path
        case let .postgres(url): return url
        }
    }

    /// A new connection, with the settings every catalog connection runs with; `create`
    /// allows a SQLite file that does not exist yet.
    package func connect(create: Bool) throws(CatalogError) -> any CatalogDatabase {
        switch self {
        case let .sqlite(path): return try SQLiteDatabase(path: path, create: create)
        case let .postgres(url): return try PostgreSQLDatabase(url: url)
        }
    }

    /// A connection that calls `handler` (in order, on a queue of its own) each time a
    /// transaction that notified `channel` commits, until it is closed; nil for SQLite, where
    /// no other process writes the catalog.
    package func listen(to channel: String, _ handler: @escaping @Sendable () -> Void) throws(CatalogError) -> (any CatalogDatabase)? {
        guard case let .postgres(url) = self else { return nil }
        let connection = try PostgreSQLDatabase(url: url)
        try connection.listen(to: channel, handler)
        return connection
    }
}
