/// Which SQL a catalog database speaks, where SQLite and PostgreSQL differ.
///
/// The catalog's queries are written once, in the SQL both speak; where the two really
/// differ in an expression, the query asks its dialect for it (``greatest(_:_:)``,
/// ``truncatedInteger(_:)``). Schemas are not translated: each migration is written out for
/// each dialect (``CatalogMigration``).
public enum SQLDialect: Sendable, Equatable {
    case sqlite
    case postgres
}

extension SQLDialect {
    /// The database's name in OpenTelemetry's `db.system.name`: `sqlite`, `postgresql`.
    public var systemName: String { self == .sqlite ? "sqlite" : "postgresql" }

    /// `expression` (a number) truncated toward zero to a 64-bit integer.
    package func truncatedInteger(_ expression: String) -> String {
        self == .sqlite ? "CAST(\(expression) AS INTEGER)" : "CAST(trunc(\(expression)) AS BIGINT)"
    }

    /// The larger of two values in one row (SQLite's two-argument `max`).
    package func greatest(_ first: String, _ second: String) -> String {
        self == .sqlite ? "max(\(first), \(second))" : "greatest(\(first), \(second))"
    }

    /// The column type of a 64-bit integer.
    package var integerType: String { self == .sqlite ? "INTEGER" : "BIGINT" }
    /// The column type of a 64-bit float.
    package var realType: String { self == .sqlite ? "REAL" : "DOUBLE PRECISION" }
    /// The column type of raw bytes (a vector, a blob).
    package var bytesType: String { self == .sqlite ? "BLOB" : "BYTEA" }
}
