import Foundation

/// Which SQL a catalog database speaks, where SQLite and PostgreSQL differ.
package enum SQLDialect: Sendable, Equatable {
    case sqlite
    case postgres
}

/// One connection to a store of record: the SQLite file of an embedded store
/// (``SQLiteDatabase``) or a PostgreSQL server shared by replicas (``PostgreSQLDatabase``).
///
/// The catalog's queries are written once, against this protocol, in the SQL both speak:
/// `?` placeholders (a PostgreSQL connection numbers them), `INSERT … ON CONFLICT`, `RETURNING`.
/// Where the two really differ (schema types, JSON functions, sequences), the query asks
/// ``dialect``. Not thread-safe: the owner serializes every use of a connection.
package protocol CatalogDatabase: AnyObject {
    associatedtype Statement: CatalogStatement

    /// The SQL this connection speaks.
    var dialect: SQLDialect { get }
    /// Where the data lives, for messages: a file path, or a URL without its password.
    var location: String { get }
    /// Runs one or more statements that return no rows (a schema, a pragma).
    func execute(_ sql: String) throws(StoreError)
    /// A statement for `sql`, with no bindings.
    func statement(_ sql: String) throws(StoreError) -> Statement
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T
    /// Ends the connection; nothing may use it afterwards.
    func close()
}

extension CatalogDatabase {
    /// Runs `body` between `begin` and COMMIT, rolling back when it throws: the one shape of
    /// ``transaction(_:)`` in both databases, which differ only in how they begin.
    package func transaction<T>(beginning begin: String, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try execute(begin)
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// A statement of a ``CatalogDatabase``: bind with 1-based indexes, step through the rows,
/// read columns with 0-based indexes.
package protocol CatalogStatement: AnyObject {
    @discardableResult func bind(_ index: Int32, _ value: String?) -> Self
    @discardableResult func bind(_ index: Int32, _ value: Int64?) -> Self
    @discardableResult func bind(_ index: Int32, _ value: Double?) -> Self
    @discardableResult func bind(_ index: Int32, blob: [UInt8]) -> Self
    /// Advances to the next row; `false` when the statement is done. The first step runs it.
    func step() throws(StoreError) -> Bool
    /// Clears the bindings and any rows not yet read, ready to run again.
    func reset()

    func isNull(_ column: Int32) -> Bool
    func int64(_ column: Int32) -> Int64
    func double(_ column: Int32) -> Double
    func string(_ column: Int32) -> String
    func bytes(_ column: Int32) -> [UInt8]
}

extension CatalogStatement {
    @discardableResult
    package func bind(_ index: Int32, _ value: Int?) -> Self { bind(index, value.map(Int64.init)) }

    @discardableResult
    package func bind(_ index: Int32, floats: [Float]) -> Self {
        bind(index, blob: floats.withUnsafeBytes { Array($0) })
    }

    /// Runs a statement that returns no rows (or whose rows do not matter).
    package func run() throws(StoreError) {
        while try step() {}
    }

    /// Runs a statement ending in `RETURNING` and gives the first column of its first row as
    /// an integer, nil when no row came back (an upsert that did nothing, a delete that found
    /// nothing); the statement is left reset. The portable form of SQLite's
    /// `last_insert_rowid()` and `changes()`.
    package func runReturning() throws(StoreError) -> Int64? {
        defer { reset() }
        return try step() ? int64(0) : nil
    }

    /// Every row, mapped by `row`.
    package func rows<T>(_ row: (Self) throws(StoreError) -> T) throws(StoreError) -> [T] {
        var values: [T] = []
        while try step() { values.append(try row(self)) }
        return values
    }

    package func int(_ column: Int32) -> Int { Int(int64(column)) }
    package func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }
    package func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }
    package func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

    /// The column's bytes as float32 values (a vector stored as a blob).
    package func floats(_ column: Int32) -> [Float] {
        let bytes = bytes(column)
        let count = bytes.count / MemoryLayout<Float>.size
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[..<(count * MemoryLayout<Float>.size)]))
            }
            initialized = count
        }
    }
}

extension SQLDialect {
    /// `sql` with its `?` placeholders numbered `$1, $2, …` as PostgreSQL wants them; question
    /// marks inside quoted literals, quoted identifiers and comments are left alone. `count` is
    /// how many there are: a placeholder left unbound is NULL, as in SQLite.
    package static func numberingPlaceholders(_ sql: String) -> (text: String, count: Int) {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        scan(sql) { character, isCode in
            if isCode && character == "?" {
                number += 1
                out += "$\(number)"
            } else {
                out.append(character)
            }
        }
        return (out, number)
    }

    /// The statements of a script, split at the semicolons that end them (not those inside
    /// quotes or comments), trimmed, empty ones dropped: PostgreSQL's extended protocol takes
    /// one statement at a time.
    package static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        scan(sql) { character, isCode in
            if isCode && character == ";" {
                statements.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        statements.append(current)
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// Walks `sql`, telling `body` each character and whether it is SQL code: false inside a
    /// quoted literal, a quoted identifier or a `--` comment (quotes included).
    private static func scan(_ sql: String, _ body: (Character, Bool) -> Void) {
        var quote: Character?
        var lineComment = false
        var previous: Character?
        for character in sql {
            defer { previous = character }
            if lineComment {
                body(character, false)
                if character == "\n" { lineComment = false }
            } else if let open = quote {
                body(character, false)
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
                body(character, false)
            } else if character == "-" && previous == "-" {
                lineComment = true
                body(character, false)
            } else {
                body(character, true)
            }
        }
    }
}

extension SQLDialect {
    /// The column type of a 64-bit integer.
    package var integerType: String { self == .sqlite ? "INTEGER" : "BIGINT" }
    /// The column type of a 64-bit float.
    package var realType: String { self == .sqlite ? "REAL" : "DOUBLE PRECISION" }
    /// The column type of raw bytes (a vector, a blob).
    package var bytesType: String { self == .sqlite ? "BLOB" : "BYTEA" }
}
