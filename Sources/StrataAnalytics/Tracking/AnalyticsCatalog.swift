import Foundation
import StrataStore

/// The analytics tables inside a store's catalog (`<store>/catalog.sqlite`): generation
/// records, prices, budgets, model migrations, cluster runs.
///
/// A connection of its own beside the store's (SQLite WAL lets them share the file), so
/// recording a generation never waits on a pattern search. Each concern owns its tables and
/// migrates them through ``migrate(component:steps:)``, versioned per component in
/// `analytics_schema`, independent of the pattern store's own `user_version`.
///
/// Not thread-safe: the type that owns a catalog serializes its use (a lock, or one thread).
public final class AnalyticsCatalog: @unchecked Sendable {
    package let database: SQLiteDatabase
    /// `:memory:` for a catalog that lives only in this process (simulations, tests).
    public let path: String

    /// Opens the catalog of the store in `storeDirectory` (created by `strata init`).
    public static func open(storeDirectory: String) throws(AnalyticsError) -> AnalyticsCatalog {
        let path = storeDirectory + "/catalog.sqlite"
        guard FileManager.default.fileExists(atPath: path) else {
            throw .store(.noStore(path: storeDirectory, problem: "no store here (no catalog.sqlite); create one with `strata init --store \(storeDirectory)`"))
        }
        return try AnalyticsCatalog(path: path, create: false)
    }

    /// A catalog in memory: nothing survives the process.
    public static func inMemory() throws(AnalyticsError) -> AnalyticsCatalog {
        try AnalyticsCatalog(path: ":memory:", create: true)
    }

    /// Opens (or with `create`, creates) a catalog file at `path`.
    public init(path: String, create: Bool) throws(AnalyticsError) {
        self.path = path
        do {
            database = try SQLiteDatabase(path: path, create: create)
            if path != ":memory:" {
                try database.execute("PRAGMA journal_mode=WAL")
            }
            // An acknowledged record survives power loss and kill -9, like a pattern.
            try database.execute("PRAGMA synchronous=FULL")
            try database.execute("CREATE TABLE IF NOT EXISTS analytics_schema(component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
        } catch {
            throw .store(error)
        }
    }

    /// Brings `component`'s tables to `steps.count`: step `i` (SQL, one or more statements)
    /// takes them from version `i` to `i + 1`. Runs in one transaction per step.
    public func migrate(component: String, steps: [String]) throws(AnalyticsError) {
        try run { () throws(StoreError) in
            let current = try database.statement("SELECT version FROM analytics_schema WHERE component = ?")
                .bind(1, component).rows { $0.int(0) }.first ?? 0
            guard current <= steps.count else {
                throw .noStore(path: path, problem: "the \(component) tables are at version \(current), newer than this build (\(steps.count)); upgrade strata")
            }
            for version in current..<steps.count {
                try database.transaction { () throws(StoreError) in
                    try database.execute(steps[version])
                    try database.statement("INSERT INTO analytics_schema(component, version) VALUES(?, ?) ON CONFLICT(component) DO UPDATE SET version = excluded.version")
                        .bind(1, component).bind(2, version + 1).run()
                }
            }
        }
    }

    /// Runs `body` against the database, turning store errors into analytics errors.
    package func run<T>(_ body: () throws(StoreError) -> T) throws(AnalyticsError) -> T {
        do {
            return try body()
        } catch {
            throw .store(error)
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    package func transaction<T>(_ body: () throws(StoreError) -> T) throws(AnalyticsError) -> T {
        try run { () throws(StoreError) in try database.transaction(body) }
    }
}
