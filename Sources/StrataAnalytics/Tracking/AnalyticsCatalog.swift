import Foundation
import StrataCatalog
import StrataStore

/// The analytics tables inside a store's catalog (`<store>/catalog.sqlite`, or the shared
/// PostgreSQL database of a replicated store): generation records, prices, budgets, model
/// migrations, cluster runs.
///
/// A connection of its own beside the store's (SQLite WAL lets them share the file), so
/// recording a generation never waits on a pattern search. Each concern owns its tables and
/// migrates them through ``migrate(_:)``, versioned per component in `analytics_schema`,
/// independent of the pattern store's own schema version; ``schemas`` lists them all.
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
            // Every analytics write appends to the audit log in its own transaction.
            try database.migrate(AuditTrail.schema)
        } catch {
            throw .catalog(error)
        }
    }

    /// Brings `schema`'s tables to this build's version (``CatalogDatabase/migrate(_:)``):
    /// one transaction per step, one process at a time.
    public func migrate(_ schema: CatalogSchema) throws(AnalyticsError) {
        try run { () throws(CatalogError) in try database.migrate(schema) }
    }

    /// Every analytics component's tables, for a copy of the whole catalog
    /// (`PatternStore.moveCatalog(of:from:to:components:)`), whose destination they must exist in.
    public static let schemas: [CatalogSchema] = [
        PerformanceTracker.generationsSchema, PriceCatalog.schema, BudgetLedger.schema, MigrationLog.schema, ClusterRunHistory.schema,
    ]

    /// Runs `body` against the database, turning catalog errors into analytics errors.
    package func run<T>(_ body: () throws(CatalogError) -> T) throws(AnalyticsError) -> T {
        do {
            return try body()
        } catch {
            throw .catalog(error)
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    package func transaction<T>(_ body: () throws(CatalogError) -> T) throws(AnalyticsError) -> T {
        try run { () throws(CatalogError) in try database.transaction(body) }
    }

    /// Runs `body` in a transaction no other process runs an exclusive one beside (see
    /// ``CatalogDatabase/exclusiveTransaction(lock:_:)``): a decision read and written at once,
    /// which two replicas must never both make. `body` throws analytics errors to refuse.
    package func exclusiveTransaction<T>(_ body: () throws(AnalyticsError) -> T) throws(AnalyticsError) -> T {
        try database.exclusiveTransaction(lock: 0x5354_5241_4E41, body)
    }
}

extension AnalyticsError: CatalogFailure {
    public init(catalog error: CatalogError) { self = .catalog(error) }
}
