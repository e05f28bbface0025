import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// One connection to a PostgreSQL server holding a store of record shared by replicas.
///
/// The store is synchronous (a write returns once committed), PostgresNIO is not: each call
/// sends its query and waits for the answer. The connection lives on an event loop of its own
/// (``eventLoops``), never on one of the HTTP server's, so a handler that waits here can never
/// be waiting on its own thread. Not thread-safe: the owner serializes every use, as with
/// ``SQLiteDatabase``.
package final class PostgreSQLDatabase: CatalogDatabase {
    package let location: String
    package var dialect: SQLDialect { .postgres }
    private var connection: PostgresConnection?
    private let logger: Logger

    /// The loop every catalog connection of the process runs on. One thread is plenty: it only
    /// moves bytes, and the callers wait anyway.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Connects to `url` (`postgres://user[:password]@host[:port]/database`).
    package init(url: String, logger: Logger = Logger(label: "strata.catalog.postgres")) throws(CatalogError) {
        let target = try PostgresTarget(url: url)
        location = target.description
        self.logger = logger
        let configuration = try target.configuration()
        do {
            connection = try PostgresConnection.connect(
                on: Self.eventLoops.next(), configuration: configuration, id: 1, logger: logger
            ).blockingResult()
        } catch {
            throw CatalogError(.unavailable, "cannot connect to \(location): \(Self.describe(error))")
        }
        if let schema = target.schema {
            // Several stores can share one database, each in a schema of its own.
            try execute("CREATE SCHEMA IF NOT EXISTS \(schema); SET search_path TO \(schema)")
        }
    }

    deinit { close() }

    package func close() {
        guard let connection else { return }
        self.connection = nil
        try? connection.close().blockingResult()
    }

    package func execute(_ sql: String) throws(CatalogError) {
        for statement in SQLDialect.statements(sql) {
            do {
                _ = try open().query(PostgresQuery(unsafeSQL: statement), logger: logger).blockingResult()
            } catch let error as CatalogError {
                throw error
            } catch {
                throw CatalogError(.statementFailed, "\(Self.describe(error)) (in: \(statement.prefix(120)))")
            }
        }
    }

    package func statement(_ sql: String) throws(CatalogError) -> PostgreSQLStatement {
        PostgreSQLStatement(sql: sql, database: self)
    }

    package var beginTransaction: String { "BEGIN" }

    /// A transaction-scoped advisory lock: released by the commit or rollback.
    package func lockTransaction(key: Int64) throws(CatalogError) {
        try statement("SELECT pg_advisory_xact_lock(?)").bind(1, key).run()
    }

    package func makeReadOnly() throws(CatalogError) {
        try execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    }

    /// Nothing to do: a statement's rows are read whole when it runs, and each runs in a
    /// snapshot of its own (outside a transaction).
    package func releaseSnapshots() {}

    /// Calls `handler` for every notification on `channel` (LISTEN), until the connection
    /// closes: in order, on a queue of its own, never on the event loop every catalog
    /// connection answers on (a handler that queried the catalog there would wait forever).
    package func listen(to channel: String, _ handler: @escaping @Sendable () -> Void) throws(CatalogError) {
        let connection = try open()
        let queue = DispatchQueue(label: "strata.catalog.listen." + channel)
        connection.addListener(channel: channel) { _, _ in queue.async(execute: handler) }
        try execute("LISTEN \(channel)")
    }

    // MARK: what differs from SQLite

    /// A session advisory lock: held across the transactions `body` runs, released after it
    /// (or when the connection ends, should the process die holding it).
    package func withWriterLock<T, E: CatalogFailure>(key: Int64, _ body: () throws(E) -> T) throws(E) -> T {
        do throws(CatalogError) {
            try statement("SELECT pg_advisory_lock(?)").bind(1, key).run()
        } catch {
            throw E(catalog: error)
        }
        defer { if connection != nil { try? statement("SELECT pg_advisory_unlock(?)").bind(1, key).run() } }
        return try body()
    }

    package func tryMaintainerLease(key: Int64) throws(CatalogError) -> Bool {
        try statement("SELECT pg_try_advisory_lock(?)").bind(1, key).rows { $0.int64(0) != 0 || $0.string(0) == "true" }.first ?? false
    }

    package func notify(channel: String) throws(CatalogError) {
        try statement("SELECT pg_notify(?, '')").bind(1, channel).run()
    }

    package func nextIdentities(table: String, column: String, count: Int) throws(CatalogError) -> [Int64] {
        guard count > 0 else { return [] }
        return try statement("SELECT nextval(pg_get_serial_sequence(?, ?)) FROM generate_series(1, ?)")
            .bind(1, table).bind(2, column).bind(3, count).rows { $0.int64(0) }.sorted()
    }

    /// Tables and their indexes in the connection's schema.
    package func storageBytes() throws(CatalogError) -> Int {
        try statement("""
            SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'
            """).rows { $0.int(0) }.first ?? 0
    }

    /// PostgreSQL checks its own pages (and its operators, their replicas).
    package func integrityProblems() throws(CatalogError) -> [String] { [] }

    package func tableNames() throws(CatalogError) -> Set<String> {
        Set(try statement("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").rows { $0.string(0) })
    }

    /// Moves the sequence of every identity column past the highest value its table holds:
    /// after rows were copied in with their own keys, new rows continue after them.
    package func advanceIdentities() throws(CatalogError) {
        let identities = try statement("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND is_identity = 'YES'
            """).rows { ($0.string(0), $0.string(1)) }
        for (table, column) in identities {
            try statement("SELECT setval(pg_get_serial_sequence(?, ?), coalesce((SELECT max(\(column)) FROM \(table)), 0) + 1, false)")
                .bind(1, table).bind(2, column).run()
        }
    }

    /// The highest number each table's identity column has given out: its sequence's last
    /// value (sequences are outside transactions, so it may be past the rows a snapshot sees),
    /// or the highest key present when larger.
    package func identityHighWaterMarks() throws(CatalogError) -> [(table: String, highest: Int64)] {
        let identities = try statement("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND is_identity = 'YES'
            """).rows { ($0.string(0), $0.string(1)) }
        var marks: [(table: String, highest: Int64)] = []
        for (table, column) in identities {
            let highest = try statement(
                "SELECT greatest(coalesce(pg_sequence_last_value(pg_get_serial_sequence(?, ?)::regclass), 0), coalesce((SELECT max(\(column)) FROM \(table)), 0))"
            ).bind(1, table).bind(2, column).rows { $0.int64(0) }.first ?? 0
            marks.append((table, highest))
        }
        return marks
    }

    /// Runs `sql` (numbered placeholders) with `bindings` and returns every row.
    func query(_ sql: String, _ bindings: PostgresBindings) throws(CatalogError) -> [PostgresRow] {
        do {
            return try open().query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).blockingResult().rows
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError(.statementFailed, "\(Self.describe(error)) (running: \(sql.prefix(160)))")
        }
    }

    private func open() throws(CatalogError) -> PostgresConnection {
        guard let connection else { throw CatalogError(.unavailable, "the connection to \(location) is closed") }
        return connection
    }

    /// The server's own words when it sent some (message, detail, SQL state), else the
    /// client's description of what failed.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo, let message = info[.message] {
            var text = message
            if let detail = info[.detail] { text += " (\(detail))" }
            if let state = info[.sqlState] { text += " [SQLSTATE \(state)]" }
            return text
        }
        return String(describing: error.code)
    }
}

/// A statement of a ``PostgreSQLDatabase``. Bindings collect until the first ``step()``,
/// which runs the query and keeps its rows; the following steps walk them.
package final class PostgreSQLStatement: CatalogStatement {
    private let sql: String
    private let parameterCount: Int
    private unowned let database: PostgreSQLDatabase
    private var values: [Value?] = []
    private var rows: [PostgresRandomAccessRow]?
    private var position = -1

    private enum Value {
        case text(String)
        case integer(Int64)
        case real(Double)
        case bytes([UInt8])
    }

    init(sql: String, database: PostgreSQLDatabase) {
        (self.sql, parameterCount) = SQLDialect.numberingPlaceholders(sql)
        self.database = database
    }

    private func set(_ index: Int32, _ value: Value?) -> Self {
        let slot = Int(index) - 1
        if values.count <= slot { values += Array(repeating: nil, count: slot + 1 - values.count) }
        values[slot] = value
        return self
    }

    @discardableResult
    package func bind(_ index: Int32, _ value: String?) -> Self { set(index, value.map(Value.text)) }
    @discardableResult
    package func bind(_ index: Int32, _ value: Int64?) -> Self { set(index, value.map(Value.integer)) }
    @discardableResult
    package func bind(_ index: Int32, _ value: Double?) -> Self { set(index, value.map(Value.real)) }
    @discardableResult
    package func bind(_ index: Int32, blob: [UInt8]) -> Self { set(index, .bytes(blob)) }

    package func step() throws(CatalogError) -> Bool {
        if rows == nil {
            var bindings = PostgresBindings(capacity: parameterCount)
            for index in 0..<max(parameterCount, values.count) {
                let value = index < values.count ? values[index] : nil
                switch value {
                case nil: bindings.appendNull()
                case let .text(text)?: bindings.append(text)
                case let .integer(number)?: bindings.append(number)
                case let .real(number)?: bindings.append(number)
                case let .bytes(bytes)?: bindings.append(ByteBuffer(bytes: bytes))
                }
            }
            rows = try database.query(sql, bindings).map { $0.makeRandomAccess() }
            position = -1
        }
        position += 1
        return position < rows!.count
    }

    package func reset() {
        values.removeAll(keepingCapacity: true)
        rows = nil
        position = -1
    }

    private func cell(_ column: Int32) -> PostgresCell? {
        guard let rows, position >= 0, position < rows.count, Int(column) < rows[position].count else { return nil }
        return rows[position][Int(column)]
    }

    package func isNull(_ column: Int32) -> Bool { cell(column)?.bytes == nil }

    package func int64(_ column: Int32) -> Int64 {
        guard let cell = cell(column), cell.bytes != nil else { return 0 }
        switch cell.dataType {
        case .int2, .int4, .int8: return (try? cell.decode(Int64.self)) ?? 0
        case .float4, .float8, .numeric: return Int64(double(column))
        case .bool: return (try? cell.decode(Bool.self)) == true ? 1 : 0
        default: return Int64((try? cell.decode(String.self)) ?? "") ?? 0
        }
    }

    package func double(_ column: Int32) -> Double {
        guard let cell = cell(column), cell.bytes != nil else { return 0 }
        switch cell.dataType {
        case .float4, .float8: return (try? cell.decode(Double.self)) ?? 0
        case .int2, .int4, .int8: return Double((try? cell.decode(Int64.self)) ?? 0)
        case .numeric: return (try? cell.decode(Decimal.self)).map { NSDecimalNumber(decimal: $0).doubleValue } ?? 0
        default: return Double((try? cell.decode(String.self)) ?? "") ?? 0
        }
    }

    package func string(_ column: Int32) -> String {
        guard let cell = cell(column), cell.bytes != nil else { return "" }
        switch cell.dataType {
        case .int2, .int4, .int8: return String(int64(column))
        case .float4, .float8, .numeric: return String(double(column))
        default: return (try? cell.decode(String.self)) ?? ""
        }
    }

    package func bytes(_ column: Int32) -> [UInt8] {
        guard let cell = cell(column), var buffer = cell.bytes else { return [] }
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}

