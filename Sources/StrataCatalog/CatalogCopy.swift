import Crypto
import Foundation

/// What ``CatalogCopy/copy(from:to:)`` moved, table by table, with the digests that show the
/// copy holds what the source held.
public struct CatalogCopyReport: Sendable, Equatable {
    public struct Table: Sendable, Equatable {
        public var name: String
        public var rows: Int
        /// SHA-256 over the table's rows (order-independent), the same on both sides.
        public var digest: String
    }

    public var tables: [Table]
    public var seconds: Double

    public var rows: Int { tables.reduce(0) { $0 + $1.rows } }
}

/// Copies every table of a SQLite catalog (the store's and the analytics') into an empty
/// PostgreSQL one, and proves the copy: each table's row count and content digest are
/// computed on both sides and must agree.
///
/// The destination's tables are built first by the migrations of the components that own
/// them (``CatalogDatabase/migrate(_:)``), never translated from the source's SQL: a table
/// the destination lacks is refused by name. Identity sequences are moved past the copied
/// rows. The change feed is not copied: replicas start following from the copy.
package enum CatalogCopy {
    /// Tables never copied: SQLite's own bookkeeping, the feed, which starts anew, and the
    /// version records, which the destination's own migrations wrote.
    static let skipped: Set<String> = ["sqlite_sequence", "changes", "catalog_schema", "analytics_schema"]

    package static func copy(from source: SQLiteDatabase, to destination: PostgreSQLDatabase) throws(CatalogError) -> CatalogCopyReport {
        let started = Date()
        let tables = try source.statement("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
            .rows { $0.string(0) }
            .filter { !skipped.contains($0) }  // in creation order: a table comes after those it references
        let existing = try destination.tableNames()
        let missing = tables.filter { !existing.contains($0) }
        guard missing.isEmpty else {
            throw CatalogError(.missingTables, "\(destination.location) lacks the tables \(missing.joined(separator: ", ")) of \(source.location); open the destination with the components that own them first (their migrations create them), then copy")
        }
        if existing.contains("manifest"), try destination.statement("SELECT count(*) FROM manifest").rows({ $0.int(0) }).first ?? 0 > 0 {
            throw CatalogError(.copyMismatch, "\(destination.location) already holds a store; copy into an empty database or a new ?schema=")
        }
        var report: [CatalogCopyReport.Table] = []
        try destination.transaction { () throws(CatalogError) in
            for table in tables {
                let columns = try source.statement("SELECT name, type FROM pragma_table_info(?) ORDER BY cid").bind(1, table)
                    .rows { (name: $0.string(0), type: ColumnType(declared: $0.string(1))) }
                report.append(try copyProved(table, columns, from: source, to: destination))
            }
            // Identity columns continue after the copied rows.
            try destination.advanceIdentities()
        }
        return CatalogCopyReport(tables: report, seconds: Date().timeIntervalSince(started))
    }

    /// How a column's values are read and bound, from its declared type (SQLite's affinity
    /// rules, as far as the catalog's schemas use them).
    enum ColumnType {
        case integer, real, text, bytes

        init(declared: String) {
            let type = declared.uppercased()
            if type.contains("INT") { self = .integer }
            else if type.contains("CHAR") || type.contains("TEXT") || type.contains("CLOB") { self = .text }
            else if type.contains("BLOB") || type.isEmpty { self = .bytes }
            else { self = .real }
        }
    }

    /// Copies `table` and proves the copy: both sides' row counts and content digests must
    /// agree, or the transaction the copy runs in is rolled back.
    private static func copyProved(
        _ table: String, _ columns: [(name: String, type: ColumnType)], from source: some CatalogDatabase, to destination: some CatalogDatabase
    ) throws(CatalogError) -> CatalogCopyReport.Table {
        let rows = try copyRows(table, columns, from: source, to: destination)
        let sourceDigest = try digest(table, columns, in: source)
        let copiedDigest = try digest(table, columns, in: destination)
        guard sourceDigest.rows == rows, copiedDigest == sourceDigest else {
            throw CatalogError(.copyMismatch, "the copy of \(table) differs from the source (\(copiedDigest.rows) rows, digest \(copiedDigest.digest.prefix(12)); source \(sourceDigest.rows) rows, \(sourceDigest.digest.prefix(12))); nothing was committed")
        }
        return .init(name: table, rows: rows, digest: sourceDigest.digest)
    }

    private static func copyRows(
        _ table: String, _ columns: [(name: String, type: ColumnType)], from source: some CatalogDatabase, to destination: some CatalogDatabase
    ) throws(CatalogError) -> Int {
        let names = columns.map(\.name).joined(separator: ", ")
        let select = try source.statement("SELECT \(names) FROM \(table)")
        // Many rows per INSERT: one round trip each, far fewer than one per row.
        let batch = max(1, min(200, 30_000 / max(columns.count, 1)))
        let rowPlaceholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        var pending: [[Value]] = []
        var copied = 0
        func flush() throws(CatalogError) {
            guard !pending.isEmpty else { return }
            let insert = try destination.statement("INSERT INTO \(table)(\(names)) VALUES " + Array(repeating: rowPlaceholders, count: pending.count).joined(separator: ", "))
            var index: Int32 = 1
            for row in pending {
                for value in row {
                    value.bind(to: insert, at: index)
                    index += 1
                }
            }
            try insert.run()
            copied += pending.count
            pending.removeAll(keepingCapacity: true)
        }
        while try select.step() {
            pending.append(columns.indices.map { Value(select, Int32($0), columns[$0].type) })
            if pending.count == batch { try flush() }
        }
        try flush()
        return copied
    }

    /// A cell read by its column's type.
    enum Value: Hashable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        case bytes([UInt8])

        init(_ statement: some CatalogStatement, _ column: Int32, _ type: ColumnType) {
            if statement.isNull(column) { self = .null; return }
            switch type {
            case .integer: self = .integer(statement.int64(column))
            case .real: self = .real(statement.double(column))
            case .text: self = .text(statement.string(column))
            case .bytes: self = .bytes(statement.bytes(column))
            }
        }

        func bind(to statement: some CatalogStatement, at index: Int32) {
            switch self {
            case .null: statement.bind(index, Optional<String>.none)
            case let .integer(value): statement.bind(index, value)
            case let .real(value): statement.bind(index, value)
            case let .text(value): statement.bind(index, value)
            case let .bytes(value): statement.bind(index, blob: value)
            }
        }

        /// The bytes the digest takes: a tag and the value, so 1 and "1" differ.
        func feed(_ hasher: inout SHA256) {
            switch self {
            case .null: hasher.update(data: [0])
            case let .integer(value): hasher.update(data: [1]); withUnsafeBytes(of: value.littleEndian) { hasher.update(bufferPointer: $0) }
            case let .real(value): hasher.update(data: [2]); withUnsafeBytes(of: value.bitPattern.littleEndian) { hasher.update(bufferPointer: $0) }
            case let .text(value): hasher.update(data: [3]); hasher.update(data: Array(value.utf8)); hasher.update(data: [0])
            case let .bytes(value):
                hasher.update(data: [4])
                withUnsafeBytes(of: UInt64(value.count).littleEndian) { hasher.update(bufferPointer: $0) }
                hasher.update(data: value)
            }
        }
    }

    /// The row count and an order-independent digest of `table`: each row's SHA-256, summed
    /// per byte position modulo 2^64 in four lanes, then hashed once more.
    static func digest(_ table: String, _ columns: [(name: String, type: ColumnType)], in database: some CatalogDatabase) throws(CatalogError) -> (rows: Int, digest: String) {
        let statement = try database.statement("SELECT \(columns.map(\.name).joined(separator: ", ")) FROM \(table)")
        var lanes = [UInt64](repeating: 0, count: 4)
        var rows = 0
        while try statement.step() {
            var hasher = SHA256()
            for (index, column) in columns.enumerated() { Value(statement, Int32(index), column.type).feed(&hasher) }
            let row = Array(hasher.finalize())
            for lane in 0..<4 {
                lanes[lane] &+= row[(lane * 8)..<(lane * 8 + 8)].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            }
            rows += 1
        }
        var final = SHA256()
        for lane in lanes { withUnsafeBytes(of: lane.littleEndian) { final.update(bufferPointer: $0) } }
        return (rows, final.finalize().map { String(format: "%02x", $0) }.joined())
    }
}

extension CatalogCopy {
    /// Copies a PostgreSQL catalog, as one read-only REPEATABLE READ transaction sees it (a
    /// single point in time while replicas go on writing), into the empty SQLite catalog
    /// `destination`, and proves the copy as ``copy(from:to:)`` does: each table's rows and
    /// content digest compared.
    ///
    /// The destination's tables, made by the migrations of the components that own them,
    /// decide what is copied: a table or column the source lacks (an older store) stays empty
    /// or at its default; a source table the destination lacks is refused by name. Each
    /// identity's high-water mark goes into `sqlite_sequence`, so the copy never gives out a
    /// number the source had used.
    package static func snapshot(from source: PostgreSQLDatabase, to destination: SQLiteDatabase) throws(CatalogError) -> CatalogCopyReport {
        let started = Date()
        let tables = try destination.statement("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
            .rows { $0.string(0) }
            .filter { !skipped.contains($0) }
        let existing = try source.tableNames()
        let unknown = existing.subtracting(tables).subtracting(skipped).sorted()
        guard unknown.isEmpty else {
            throw CatalogError(.missingTables, "the snapshot's catalog lacks the tables \(unknown.joined(separator: ", ")) of \(source.location); take it with the components that own them (`strata snapshot create` names them all)")
        }
        try source.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do throws(CatalogError) {
            var report: [CatalogCopyReport.Table] = []
            try destination.transaction { () throws(CatalogError) in
                for table in tables where existing.contains(table) {
                    let present = Set(try source.statement(
                        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?"
                    ).bind(1, table).rows { $0.string(0) })
                    let columns = try destination.statement("SELECT name, type FROM pragma_table_info(?) ORDER BY cid").bind(1, table)
                        .rows { (name: $0.string(0), type: ColumnType(declared: $0.string(1))) }
                        .filter { present.contains($0.name) }
                    report.append(try copyProved(table, columns, from: source, to: destination))
                }
                for (table, highest) in try source.identityHighWaterMarks() where tables.contains(table) {
                    try destination.statement("DELETE FROM sqlite_sequence WHERE name = ?").bind(1, table).run()
                    try destination.statement("INSERT INTO sqlite_sequence(name, seq) VALUES (?, ?)").bind(1, table).bind(2, highest).run()
                }
            }
            try source.execute("COMMIT")
            return CatalogCopyReport(tables: report, seconds: Date().timeIntervalSince(started))
        } catch {
            try? source.execute("ROLLBACK")
            throw error
        }
    }
}
