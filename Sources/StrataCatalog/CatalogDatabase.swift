import Foundation
import StrataTracing

/// One connection to a store of record: the SQLite file of an embedded store
/// (``SQLiteDatabase``) or a PostgreSQL server shared by replicas (``PostgreSQLDatabase``).
///
/// The catalog's queries are written once, against this protocol, in the SQL both speak:
/// `?` placeholders (a PostgreSQL connection numbers them), `INSERT … ON CONFLICT`, `RETURNING`.
/// What really differs between the two is an operation of the protocol, not SQL a caller
/// writes: how a write transaction begins, the locks replicas take (``withWriterLock(key:_:)``,
/// ``tryMaintainerLease(key:)``), row numbers from a table's sequence
/// (``nextIdentities(table:column:count:)``), notifications, size and integrity checks. A NULL
/// reaches PostgreSQL without a type, so a parameter nothing else types (`? IS NULL`) is cast
/// where it first appears.
///
/// - Important: Not thread-safe: the owner serializes every use of a connection.
package protocol CatalogDatabase: AnyObject {
    associatedtype Statement: CatalogStatement

    /// The SQL this connection speaks.
    var dialect: SQLDialect { get }
    /// Where the data lives, for messages: a file path, or a URL without its password.
    var location: String { get }
    /// Runs one or more statements that return no rows (a schema, a pragma).
    func execute(_ sql: String) throws(CatalogError)
    /// A statement for `sql`, with no bindings.
    func statement(_ sql: String) throws(CatalogError) -> Statement
    /// The statement that opens a write transaction: SQLite takes its write lock up front
    /// (`BEGIN IMMEDIATE`), so two processes wait for each other instead of failing half-way.
    var beginTransaction: String { get }
    /// Within an open transaction, waits until no other connection holds transaction lock
    /// `key`, and holds it until the transaction ends. SQLite's write transactions already
    /// exclude each other, so there it does nothing.
    func lockTransaction(key: Int64) throws(CatalogError)
    /// Refuses every write from now on: the connection a store reads through.
    func makeReadOnly() throws(CatalogError)
    /// Ends any read a statement left open, so the next one sees every committed write.
    func releaseSnapshots()
    /// Ends the connection; nothing may use it afterwards.
    func close()

    // MARK: locks across processes

    /// Waits for the session lock `key` (no other connection of any process holds it), then
    /// runs `body` and releases it. A PostgreSQL advisory lock, which serializes the writers
    /// of replicas sharing one database; on SQLite `body` just runs, since one process owns
    /// the file (the store folder's lock) and its write transactions exclude each other.
    func withWriterLock<T, E: CatalogFailure>(key: Int64, _ body: () throws(E) -> T) throws(E) -> T
    /// Takes session lock `key` if no other connection holds it, and keeps it until the
    /// connection ends (a killed holder frees it at once): the maintainer lease of a shared
    /// store. Always `true` on SQLite, whose one process is its only maintainer.
    func tryMaintainerLease(key: Int64) throws(CatalogError) -> Bool
    /// Tells every connection listening on `channel` that something committed; delivered at
    /// the commit of the transaction it runs in. Does nothing on SQLite, where no other
    /// process follows the catalog.
    func notify(channel: String) throws(CatalogError)

    // MARK: what differs in the data

    /// Numbers for `count` new rows of `table`, whose integer key `column` the database
    /// assigns, ascending. A number is never given twice: SQLite's follow the highest ever
    /// used (its one writer at a time); PostgreSQL's come from the column's sequence, so
    /// replicas writing at once never share one.
    func nextIdentities(table: String, column: String, count: Int) throws(CatalogError) -> [Int64]
    /// The bytes the catalog takes on disk: the SQLite file and its write-ahead log, or the
    /// tables and indexes of the PostgreSQL schema.
    func storageBytes() throws(CatalogError) -> Int
    /// What the database's own integrity check finds wrong (empty when sound). PostgreSQL
    /// checks its own pages, so there it finds nothing to report here.
    func integrityProblems() throws(CatalogError) -> [String]
    /// The names of the tables in the connection's schema.
    func tableNames() throws(CatalogError) -> Set<String>
}

extension CatalogDatabase {
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// A failure to begin or commit is thrown as `E`.
    package func transaction<T, E: CatalogFailure>(_ body: () throws(E) -> T) throws(E) -> T {
        // A read just before (a lookup whose statement was left mid-result) holds an old
        // snapshot, from which SQLite refuses to write at once (SQLITE_BUSY_SNAPSHOT, no busy
        // wait) when another connection of the file, such as the tracker's, committed since.
        releaseSnapshots()
        return try EngineTrace.span("catalog.write") { (span) throws(E) -> T in
            span.set("db.system.name", dialect.systemName)
            do throws(CatalogError) { try execute(beginTransaction) } catch { throw E(catalog: error) }
            do throws(E) {
                let value = try body()
                do throws(CatalogError) { try execute("COMMIT") } catch { throw E(catalog: error) }
                return value
            } catch {
                try? execute("ROLLBACK")
                throw error
            }
        }
    }

    /// A transaction that no other connection runs an exclusive transaction of the same
    /// `key` beside: schema migrations of replicas starting together, decisions that read
    /// and then write.
    package func exclusiveTransaction<T, E: CatalogFailure>(
        lock key: Int64 = 0x5354_5241_5441, _ body: () throws(E) -> T
    ) throws(E) -> T {
        try transaction { () throws(E) -> T in
            do throws(CatalogError) { try lockTransaction(key: key) } catch { throw E(catalog: error) }
            return try body()
        }
    }
}
