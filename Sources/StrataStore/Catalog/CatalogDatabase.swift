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
/// ``dialect``. A NULL reaches PostgreSQL without a type, so a parameter nothing else types
/// (`? IS NULL`) is cast where it first appears. Not thread-safe: the owner serializes every
/// use of a connection.
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
    /// Refuses every write from now on: the connection a store reads through.
    func makeReadOnly() throws(StoreError)
    /// Ends any read a statement left open, so the next one sees every committed write.
    func releaseSnapshots()
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

extension CatalogDatabase {
    /// A transaction that no other connection runs an exclusive transaction beside: schema
    /// migrations of replicas starting together, decisions that read and then write. SQLite's
    /// transactions already exclude each other (`BEGIN IMMEDIATE`); a PostgreSQL one takes a
    /// transaction-scoped advisory lock first.
    package func exclusiveTransaction<T>(lock key: Int64 = 0x5354_5241_5441, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try transaction { () throws(StoreError) -> T in
            if dialect == .postgres {
                try statement("SELECT pg_advisory_xact_lock(?)").bind(1, key).run()
            }
            return try body()
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
    /// marks inside quoted literals, quoted identifiers and comments are left alone. A numbered
    /// `?N` keeps its number, and a plain `?` takes the next after the highest so far, as in
    /// SQLite. `count` is how many parameters there are: one left unbound is NULL, as in SQLite.
    package static func numberingPlaceholders(_ sql: String) -> (text: String, count: Int) {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var highest = 0
        // The digits after a `?` in code, while they last.
        var digits: String?
        func endPlaceholder() {
            guard let number = digits else { return }
            digits = nil
            if let given = Int(number) {
                highest = max(highest, given)
                out += "$\(given)"
            } else {
                highest += 1
                out += "$\(highest)"
            }
        }
        scan(sql) { character, isCode in
            if digits != nil, isCode, character.isASCII, character.isNumber {
                digits!.append(character)
                return
            }
            endPlaceholder()
            if isCode && character == "?" {
                digits = ""
            } else {
                out.append(character)
            }
        }
        endPlaceholder()
        return (out, highest)
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
    fileprivate static func scan(_ sql: String, _ body: (Character, Bool) -> Void) {
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
    /// `sql`, a schema written in SQLite's words, in this dialect's: the one place where the
    /// two databases' column types differ. Every schema is written once, for SQLite; for
    /// PostgreSQL, `INTEGER` becomes `BIGINT` (SQLite's integers are 64-bit), `REAL`
    /// `DOUBLE PRECISION`, `BLOB` `BYTEA`, an `INTEGER PRIMARY KEY` (SQLite numbers it when a row
    /// gives none) an identity column, and `WITHOUT ROWID` (a SQLite storage choice) goes.
    /// Words inside quotes and comments are left alone.
    package func schema(_ sql: String) -> String {
        guard self == .postgres else { return sql }
        // The script cut into runs: words of code, and everything else (spaces, punctuation,
        // quoted text, comments) kept as it is.
        var runs: [(text: String, isWord: Bool)] = []
        Self.scan(sql) { character, isCode in
            let isWord = isCode && (character.isLetter || character.isNumber || character == "_")
            if let last = runs.last, last.isWord == isWord {
                runs[runs.count - 1].text.append(character)
            } else {
                runs.append((String(character), isWord))
            }
        }
        // The runs of up to `count` words from `index` on, separated by spaces only: the
        // words that make one phrase with the word before `index`.
        func words(from index: Int, count: Int) -> [Int] {
            var found: [Int] = []
            for position in index..<runs.count where found.count < count {
                if runs[position].isWord {
                    found.append(position)
                } else if !runs[position].text.allSatisfy(\.isWhitespace) {
                    break
                }
            }
            return found
        }
        var out = ""
        var index = 0
        while index < runs.count {
            let run = runs[index]
            index += 1
            guard run.isWord else { out += run.text; continue }
            switch run.text {
            case "INTEGER":
                // INTEGER PRIMARY KEY [AUTOINCREMENT]: a row id the database assigns.
                let next = words(from: index, count: 3)
                let texts = next.map { runs[$0].text }
                if texts.starts(with: ["PRIMARY", "KEY"]) {
                    out += "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
                    index = (texts.count == 3 && texts[2] == "AUTOINCREMENT" ? next[2] : next[1]) + 1
                } else {
                    out += "BIGINT"
                }
            case "REAL": out += "DOUBLE PRECISION"
            case "BLOB": out += "BYTEA"
            case "WITHOUT" where words(from: index, count: 1).first.map({ runs[$0].text }) == "ROWID":
                index = words(from: index, count: 1)[0] + 1
            default: out += run.text
            }
        }
        return out
    }

    /// `expression` (a number) truncated toward zero to a 64-bit integer.
    package func truncatedInteger(_ expression: String) -> String {
        self == .sqlite ? "CAST(\(expression) AS INTEGER)" : "CAST(trunc(\(expression)) AS BIGINT)"
    }

    /// The larger of two values in one row (SQLite's two-argument `max`).
    package func greatest(_ first: String, _ second: String) -> String {
        self == .sqlite ? "max(\(first), \(second))" : "greatest(\(first), \(second))"
    }

    /// The column type of a 64-bit integer.
    package var integerType: String { self == .sqlite ? "INTEGER" : "BIGINT" }
    /// The column type of a 64-bit float.
    package var realType: String { self == .sqlite ? "REAL" : "DOUBLE PRECISION" }
    /// The column type of raw bytes (a vector, a blob).
    package var bytesType: String { self == .sqlite ? "BLOB" : "BYTEA" }
}
