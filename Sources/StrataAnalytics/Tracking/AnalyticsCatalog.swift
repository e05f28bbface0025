import Foundation
import StrataStore

/// The analytics tables inside a store's catalog (`<store>/catalog.sqlite`, or the shared
/// PostgreSQL database of a replicated store): generation records, prices, budgets, model
/// migrations, cluster runs.
///
/// A connection of its own beside the store's (SQLite WAL lets them share the file), so
/// recording a generation never waits on a pattern search. Each concern owns its tables and
/// migrates them through ``migrate(component:steps:)``, versioned per component in
/// `analytics_schema`, independent of the pattern store's own schema version.
///
/// Not thread-safe: the type that owns a catalog serializes its use (a lock, or one thread).
public final class AnalyticsCatalog: @unchecked Sendable {
    package let database: any CatalogDatabase
    /// Where the tables are; `sqlite(":memory:")` for a catalog that lives only in this
    /// process (simulations, tests).
    public let location: CatalogLocation

    /// Opens the catalog of the store in `storeDirectory` (created by `strata init`), or the
    /// one `catalog` names.
    public static func open(storeDirectory: String, catalog: CatalogLocation? = nil) throws(AnalyticsError) -> AnalyticsCatalog {
        let location: CatalogLocation
        do {
            location = try PatternStore.resolveCatalog(of: storeDirectory, catalog: catalog)
        } catch {
            throw .store(error)
        }
        return try AnalyticsCatalog(location: location, create: false)
    }

    /// A catalog in memory: nothing survives the process.
    public static func inMemory() throws(AnalyticsError) -> AnalyticsCatalog {
        try AnalyticsCatalog(location: .sqlite(path: ":memory:"), create: true)
    }

    /// Opens (or with `create`, creates) a SQLite catalog file at `path`.
    public convenience init(path: String, create: Bool) throws(AnalyticsError) {
        try self.init(location: .sqlite(path: path), create: create)
    }

    /// Opens the catalog at `location`; `create` allows a SQLite file that does not exist yet.
    public init(location: CatalogLocation, create: Bool) throws(AnalyticsError) {
        self.location = location
        do {
            database = try location.connect(create: create)
            if database.dialect == .sqlite {
                if location != .sqlite(path: ":memory:") {
                    try database.execute("PRAGMA journal_mode=WAL")
                }
                // An acknowledged record survives power loss and kill -9, like a pattern.
                try database.execute("PRAGMA synchronous=FULL")
            }
            try database.exclusiveTransaction { () throws(StoreError) in
                try database.execute("CREATE TABLE IF NOT EXISTS analytics_schema(component TEXT PRIMARY KEY, version \(database.dialect.integerType) NOT NULL)")
            }
        } catch {
            throw .store(error)
        }
    }

    /// Brings `component`'s tables to `steps.count`: step `i` (SQL, one or more statements,
    /// in SQLite's words: ``SQLDialect/schema(_:)`` translates them) takes them from version
    /// `i` to `i + 1`. Runs in one transaction per step, one process at a time.
    public func migrate(component: String, steps: [String]) throws(AnalyticsError) {
        try run { () throws(StoreError) in
            func version() throws(StoreError) -> Int {
                let current = try database.statement("SELECT version FROM analytics_schema WHERE component = ?")
                    .bind(1, component).rows { $0.int(0) }.first ?? 0
                guard current <= steps.count else {
                    throw .noStore(path: location.description, problem: "the \(component) tables are at version \(current), newer than this build (\(steps.count)); upgrade strata")
                }
                return current
            }
            // The usual open of up-to-date tables takes no write lock.
            guard try version() < steps.count else { return }
            for step in 0..<steps.count {
                try database.exclusiveTransaction { () throws(StoreError) in
                    // Another process may have taken this step meanwhile.
                    guard try version() == step else { return }
                    try database.execute(database.dialect.schema(steps[step]))
                    try database.statement("INSERT INTO analytics_schema(component, version) VALUES(?, ?) ON CONFLICT(component) DO UPDATE SET version = excluded.version")
                        .bind(1, component).bind(2, step + 1).run()
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

    /// Runs `body` in a transaction no other process runs an exclusive one beside (see
    /// ``CatalogDatabase/exclusiveTransaction(lock:_:)``): a decision read and written at once,
    /// which two replicas must never both make. `body` throws analytics errors to refuse.
    package func exclusiveTransaction<T>(_ body: () throws(AnalyticsError) -> T) throws(AnalyticsError) -> T {
        var refusal: AnalyticsError?
        do {
            return try database.exclusiveTransaction(lock: 0x5354_5241_4E41) { () throws(StoreError) -> T in
                do throws(AnalyticsError) {
                    return try body()
                } catch {
                    if case let .store(inner) = error { throw inner }
                    refusal = error
                    // Rolls the transaction back; the refusal itself is thrown below.
                    throw StoreError.catalog(problem: "refused: \(error)")
                }
            }
        } catch {
            throw refusal ?? .store(error)
        }
    }
}
