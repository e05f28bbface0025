import CSQLite
import Foundation

/// One SQLite connection: prepared statements, transactions, errors that name the statement.
///
/// Not thread-safe: the ``Catalog`` that owns a connection serializes every use of it.
/// Statements are cached by their SQL text, so a hot query is prepared once per connection.
package final class SQLiteDatabase: CatalogDatabase {
    package let path: String
    package var dialect: SQLDialect { .sqlite }
    package var location: String { path }
    private(set) var handle: OpaquePointer?
    private var cache: [String: SQLiteStatement] = [:]
    /// Whether `sqlite_sequence` exists; once created, SQLite never drops it.
    private var hasSequenceTable = false

    /// Opens (creating when `create`) the database at `path`.
    package init(path: String, create: Bool) throws(CatalogError) {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw CatalogError(.unavailable, "cannot open \(path): \(message)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        // Another process (a second `strata` command) may hold the write lock briefly.
        sqlite3_busy_timeout(db, 10_000)
        try applySettings()
    }

    /// The settings every catalog connection runs with, in one place.
    ///
    /// - WAL: readers never wait for the writer, and the store's reader and writer connections
    ///   and the analytics' share the file.
    /// - `synchronous=FULL`: a commit is on disk before it returns, so an acknowledged write
    ///   survives a power cut, not just a killed process.
    /// - A 64 MiB page cache and temporary tables in memory: a store's hot queries (filters,
    ///   locations of hits) stay off the disk.
    private func applySettings() throws(CatalogError) {
        if path != ":memory:" { try execute("PRAGMA journal_mode=WAL") }
        try execute("PRAGMA synchronous=FULL")
        try execute("PRAGMA foreign_keys=OFF")
        try execute("PRAGMA cache_size=-65536")
        try execute("PRAGMA temp_store=MEMORY")
    }

    deinit { close() }

    package func close() {
        cache.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs one or more statements that return no rows.
    package func execute(_ sql: String) throws(CatalogError) {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        if status != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_free(message)
            throw CatalogError(.statementFailed, "\(text) (in: \(sql.prefix(120)))")
        }
    }

    /// A prepared statement for `sql`, reset and with its bindings cleared.
    package func statement(_ sql: String) throws(CatalogError) -> SQLiteStatement {
        if let cached = cache[sql] {
            cached.reset()
            return cached
        }
        var raw: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard status == SQLITE_OK, let raw else {
            throw CatalogError(.statementFailed, "\(errorMessage) (preparing: \(sql.prefix(160)))")
        }
        let statement = SQLiteStatement(raw: raw, database: self)
        cache[sql] = statement
        return statement
    }

    /// `BEGIN IMMEDIATE` takes the write lock up front, so two processes writing at once wait
    /// (busy timeout) instead of failing half-way with SQLITE_BUSY on upgrade.
    package var beginTransaction: String { "BEGIN IMMEDIATE" }

    /// Nothing to take: `BEGIN IMMEDIATE` transactions already exclude each other.
    package func lockTransaction(key: Int64) throws(CatalogError) {}

    package func makeReadOnly() throws(CatalogError) {
        try execute("PRAGMA query_only=1")
    }

    /// Resets every statement left mid-result. A stepped, unreset statement holds its read
    /// transaction open, and the connection keeps seeing the database as of then.
    package func releaseSnapshots() {
        var statement = sqlite3_next_stmt(handle, nil)
        while let current = statement {
            if sqlite3_stmt_busy(current) != 0 { sqlite3_reset(current) }
            statement = sqlite3_next_stmt(handle, current)
        }
    }

    var errorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    // MARK: what differs from PostgreSQL

    /// One process owns an embedded store (the folder's lock), and its write transactions
    /// exclude each other: there is no other writer to wait for.
    package func withWriterLock<T, E: CatalogFailure>(key: Int64, _ body: () throws(E) -> T) throws(E) -> T {
        try body()
    }

    package func tryMaintainerLease(key: Int64) throws(CatalogError) -> Bool { true }

    package func notify(channel: String) throws(CatalogError) {}

    package func nextIdentities(table: String, column: String, count: Int) throws(CatalogError) -> [Int64] {
        guard count > 0 else { return [] }
        // AUTOINCREMENT keeps the highest number ever used in sqlite_sequence, which a table
        // without AUTOINCREMENT lacks: the larger of it and the highest row present.
        // sqlite_sequence exists once some table of the file has AUTOINCREMENT; asked until
        // seen, so an add does not read sqlite_master every time.
        if !hasSequenceTable { hasSequenceTable = try tableNames().contains("sqlite_sequence") }
        let highestEver = hasSequenceTable ? "coalesce((SELECT seq FROM sqlite_sequence WHERE name = '\(table)'), 0)" : "0"
        let last = try self.statement("SELECT max(\(highestEver), coalesce((SELECT max(\(column)) FROM \(table)), 0))").rows { $0.int64(0) }.first ?? 0
        return (1...Int64(count)).map { last + $0 }
    }

    package func storageBytes() throws(CatalogError) -> Int {
        [path, path + "-wal"].reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
    }

    package func integrityProblems() throws(CatalogError) -> [String] {
        let found = try statement("PRAGMA integrity_check").rows { $0.string(0) }
        return found == ["ok"] ? [] : found
    }

    package func tableNames() throws(CatalogError) -> Set<String> {
        Set(try statement("SELECT name FROM sqlite_master WHERE type = 'table'").rows { $0.string(0) })
    }
}

/// A prepared statement. Bind with 1-based indexes, step, read columns with 0-based indexes.
package final class SQLiteStatement: CatalogStatement {
    private let raw: OpaquePointer
    private unowned let database: SQLiteDatabase

    package init(raw: OpaquePointer, database: SQLiteDatabase) {
        self.raw = raw
        self.database = database
    }

    deinit { sqlite3_finalize(raw) }

    package func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    @discardableResult
    package func bind(_ index: Int32, _ value: String?) -> SQLiteStatement {
        if let value {
            var value = value
            value.withUTF8 { bytes in
                _ = strata_sqlite3_bind_text_transient(raw, index, UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(bytes.count))
            }
        } else {
            sqlite3_bind_null(raw, index)
        }
        return self
    }

    @discardableResult
    package func bind(_ index: Int32, _ value: Int64?) -> SQLiteStatement {
        if let value { sqlite3_bind_int64(raw, index, value) } else { sqlite3_bind_null(raw, index) }
        return self
    }

    @discardableResult
    package func bind(_ index: Int32, _ value: Double?) -> SQLiteStatement {
        if let value { sqlite3_bind_double(raw, index, value) } else { sqlite3_bind_null(raw, index) }
        return self
    }

    @discardableResult
    package func bind(_ index: Int32, blob: UnsafeRawBufferPointer) -> SQLiteStatement {
        // A zero-length blob still binds as a blob (not NULL) when given a valid pointer.
        let base = blob.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        strata_sqlite3_bind_blob_transient(raw, index, base, Int32(blob.count))
        return self
    }

    @discardableResult
    package func bind(_ index: Int32, blob: [UInt8]) -> SQLiteStatement {
        blob.withUnsafeBytes { bind(index, blob: $0) }
    }

    @discardableResult
    package func bind(_ index: Int32, floats: [Float]) -> SQLiteStatement {
        floats.withUnsafeBytes { bind(index, blob: $0) }
    }

    /// Advances to the next row; `false` when the statement is done.
    package func step() throws(CatalogError) -> Bool {
        switch sqlite3_step(raw) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let status:
            let message = database.errorMessage
            sqlite3_reset(raw)
            throw CatalogError(.statementFailed, "\(message) (code \(status), running: \(String(cString: sqlite3_sql(raw)).prefix(160)))")
        }
    }

    package func isNull(_ column: Int32) -> Bool { sqlite3_column_type(raw, column) == SQLITE_NULL }
    package func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }
    package func double(_ column: Int32) -> Double { sqlite3_column_double(raw, column) }

    package func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(raw, column) else { return "" }
        let count = Int(sqlite3_column_bytes(raw, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }


    /// The column's bytes, valid until the next step or reset.
    package func withBlob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws(CatalogError) -> T) throws(CatalogError) -> T {
        let base = sqlite3_column_blob(raw, column)
        let count = Int(sqlite3_column_bytes(raw, column))
        return try body(UnsafeRawBufferPointer(start: base, count: base == nil ? 0 : count))
    }

    package func bytes(_ column: Int32) -> [UInt8] {
        let base = sqlite3_column_blob(raw, column)
        let count = Int(sqlite3_column_bytes(raw, column))
        guard let base, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    package func floats(_ column: Int32) -> [Float] {
        let base = sqlite3_column_blob(raw, column)
        let count = Int(sqlite3_column_bytes(raw, column)) / MemoryLayout<Float>.size
        guard let base, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: base.assumingMemoryBound(to: Float.self), count: count))
    }
}
