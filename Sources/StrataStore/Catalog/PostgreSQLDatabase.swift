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
    package init(url: String, logger: Logger = Logger(label: "strata.catalog.postgres")) throws(StoreError) {
        let target = try PostgresTarget(url: url)
        location = target.description
        self.logger = logger
        do {
            connection = try PostgresConnection.connect(
                on: Self.eventLoops.next(), configuration: target.configuration, id: 1, logger: logger
            ).blockingResult()
        } catch {
            throw .catalog(problem: "cannot connect to \(location): \(Self.describe(error))")
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

    package func execute(_ sql: String) throws(StoreError) {
        for statement in SQLDialect.statements(sql) {
            do {
                _ = try open().query(PostgresQuery(unsafeSQL: statement), logger: logger).blockingResult()
            } catch let error as StoreError {
                throw error
            } catch {
                throw .catalog(problem: "\(Self.describe(error)) (in: \(statement.prefix(120)))")
            }
        }
    }

    package func statement(_ sql: String) throws(StoreError) -> PostgreSQLStatement {
        PostgreSQLStatement(sql: sql, database: self)
    }

    package func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try transaction(beginning: "BEGIN", body)
    }

    package func makeReadOnly() throws(StoreError) {
        try execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    }

    /// Nothing to do: a statement's rows are read whole when it runs, and each runs in a
    /// snapshot of its own (outside a transaction).
    package func releaseSnapshots() {}

    /// Calls `handler` on the connection's event loop for every notification on `channel`
    /// (LISTEN), until the connection closes.
    package func listen(to channel: String, _ handler: @escaping @Sendable () -> Void) throws(StoreError) {
        let connection = try open()
        connection.addListener(channel: channel) { _, _ in handler() }
        try execute("LISTEN \(channel)")
    }

    /// Runs `sql` (numbered placeholders) with `bindings` and returns every row.
    func query(_ sql: String, _ bindings: PostgresBindings) throws(StoreError) -> [PostgresRow] {
        do {
            return try open().query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).blockingResult().rows
        } catch let error as StoreError {
            throw error
        } catch {
            throw .catalog(problem: "\(Self.describe(error)) (running: \(sql.prefix(160)))")
        }
    }

    private func open() throws(StoreError) -> PostgresConnection {
        guard let connection else { throw .catalog(problem: "the connection to \(location) is closed") }
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

    package func step() throws(StoreError) -> Bool {
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
    init(url: String) throws(StoreError) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw .invalidArgument(name: "catalog", value: url, expected: "a URL such as postgres://user@host:5432/database")
        }
        guard let host = parts.host, !host.isEmpty else {
            throw .invalidArgument(name: "catalog", value: url, expected: "a host: postgres://user@host:5432/database")
        }
        guard let user = parts.user, !user.isEmpty else {
            throw .invalidArgument(name: "catalog", value: url, expected: "a user: postgres://user@\(host):5432/database")
        }
        let database = String(parts.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw .invalidArgument(name: "catalog", value: url, expected: "one database name after the host: postgres://\(user)@\(host):5432/database")
        }
        let schema = parts.queryItems?.first(where: { $0.name == "schema" })?.value
        if let schema, schema.isEmpty || schema.count > 63 || !schema.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) || schema.first!.isNumber {
            throw .invalidArgument(name: "catalog schema", value: schema, expected: "a lower-case name of letters, digits and underscores, not starting with a digit, at most 63 characters")
        }
        self.schema = schema
        if let mode = parts.queryItems?.first(where: { $0.name == "sslmode" })?.value, mode != "disable" {
            throw .invalidArgument(name: "catalog sslmode", value: mode, expected: "disable (TLS to the catalog is not supported yet; reach PostgreSQL over a trusted network or a local tunnel)")
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

extension EventLoopFuture {
    /// Blocks the calling thread until the future completes, and gives its result.
    ///
    /// NIO's own `wait()` refuses to run on any event loop thread, and the HTTP server calls
    /// the store from its loops (`StrataService.runTasksOnEventLoops()`). Waiting there is safe
    /// here: the catalog's connections live on ``PostgreSQLDatabase/eventLoops``, a group no
    /// handler runs on, so the future never needs the blocked thread to complete; the block
    /// costs that loop one round trip, as a SQLite call costs it one disk read.
    func blockingResult() throws -> Value {
        precondition(!eventLoop.inEventLoop, "a catalog call made on the catalog's own event loop would wait forever")
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<Value, any Error>?
        whenComplete { result in
            outcome = result
            done.signal()
        }
        done.wait()
        return try outcome!.get()
    }
}
