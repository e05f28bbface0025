import Foundation
import StrataCatalog
import StrataStore

/// A store of record the shared catalog tests run against: SQLite always, PostgreSQL when
/// `STRATA_TEST_POSTGRES` names a server (`make test` starts one: Tests/with-postgres.sh).
package enum CatalogBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    package static let postgresURL = ProcessInfo.processInfo.environment["STRATA_TEST_POSTGRES"]

    /// The backends this run can reach.
    package static var available: [CatalogBackend] { postgresURL == nil ? [.sqlite] : allCases }

    package var description: String { rawValue }

    struct Unreachable: Error, CustomStringConvertible {
        var description: String { "STRATA_TEST_POSTGRES is not set; run the tests through Tests/with-postgres.sh" }
    }

    /// A name no other test uses, fit for a PostgreSQL schema.
    static func uniqueSchema() -> String {
        "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// Where a new store of this backend keeps its catalog: nil (the folder's SQLite file),
    /// or a PostgreSQL schema of its own, so tests never see each other's tables. The schemas
    /// stay until the test server is removed at the end of the run.
    package func storeCatalog() throws -> CatalogLocation? {
        switch self {
        case .sqlite: return nil
        case .postgres:
            guard let url = Self.postgresURL else { throw Unreachable() }
            return .postgres(url: url + "?schema=" + Self.uniqueSchema())
        }
    }

    /// A fresh, empty database of this backend for one test: a SQLite file in a temporary
    /// folder, or a PostgreSQL schema of its own (dropped afterwards).
    package func withDatabase(_ body: (any CatalogDatabase) throws -> Void) throws {
        switch self {
        case .sqlite:
            let folder = NSTemporaryDirectory() + "strata-catalogdb-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let database = try SQLiteDatabase(path: folder + "/catalog.sqlite", create: true)
            defer { database.close() }
            try body(database)
        case .postgres:
            guard let url = Self.postgresURL else { throw Unreachable() }
            let database = try PostgreSQLDatabase(url: url)
            defer { database.close() }
            let schema = Self.uniqueSchema()
            try database.execute("CREATE SCHEMA \(schema); SET search_path TO \(schema)")
            defer { try? database.execute("DROP SCHEMA \(schema) CASCADE") }
            try body(database)
        }
    }
}
