import Foundation
import PostgresNIO

/// Where a PostgreSQL catalog is, read from its URL.
struct PostgresTarget: CustomStringConvertible {
    let host: String
    let port: Int
    let user: String
    let password: String?
    let database: String
    /// The schema the store's tables live in (`?schema=name`), nil for the user's default.
    let schema: String?

    /// Reads `postgres://user[:password]@host[:port]/database` (or `postgresql://`).
    init(url: String) throws(CatalogError) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw .location("catalog", url, expected: "a URL such as postgres://user@host:5432/database")
        }
        guard let host = parts.host, !host.isEmpty else {
            throw .location("catalog", url, expected: "a host: postgres://user@host:5432/database")
        }
        guard let user = parts.user, !user.isEmpty else {
            throw .location("catalog", url, expected: "a user: postgres://user@\(host):5432/database")
        }
        let database = String(parts.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw .location("catalog", url, expected: "one database name after the host: postgres://\(user)@\(host):5432/database")
        }
        let schema = parts.queryItems?.first(where: { $0.name == "schema" })?.value
        if let schema, schema.isEmpty || schema.count > 63 || !schema.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) || schema.first!.isNumber {
            throw .location("catalog schema", schema, expected: "a lower-case name of letters, digits and underscores, not starting with a digit, at most 63 characters")
        }
        self.schema = schema
        if let mode = parts.queryItems?.first(where: { $0.name == "sslmode" })?.value, mode != "disable" {
            throw .location("catalog sslmode", mode, expected: "disable (TLS to the catalog is not supported yet; reach PostgreSQL over a trusted network or a local tunnel)")
        }
        self.host = host
        self.port = parts.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = parts.password?.removingPercentEncoding
        self.database = database
    }

    var configuration: PostgresConnection.Configuration {
        PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
    }

    /// The URL without its password.
    var description: String { "postgres://\(user)@\(host):\(port)/\(database)" + (schema.map { "?schema=\($0)" } ?? "") }
}

extension CatalogError {
    /// A location that does not parse: `name` (which setting), `value` and what was expected.
    static func location(_ name: String, _ value: String, expected: String) -> CatalogError {
        CatalogError(.invalidLocation, "\(name) = \(value) is not valid: expected \(expected)")
    }
}
