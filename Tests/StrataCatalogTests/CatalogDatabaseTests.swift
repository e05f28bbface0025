import Foundation
import StrataCatalog
import StrataTestSupport
import Testing

/// The connection layer both catalogs stand on, run against each backend: what one stores,
/// the other must give back the same, and fail the same way.
@Suite struct CatalogDatabaseTests {
    static func makeTable(_ database: any CatalogDatabase) throws {
        let d = database.dialect
        try database.execute("""
            CREATE TABLE items(id \(d.integerType) PRIMARY KEY, name TEXT, amount \(d.realType), data \(d.bytesType));
            CREATE TABLE counters(key TEXT PRIMARY KEY, value \(d.integerType) NOT NULL)
            """)
    }

    @Test(arguments: CatalogBackend.available)
    func everyBoundValueComesBackAsItWent(_ backend: CatalogBackend) throws {
        try backend.withDatabase { database in
            try Self.makeTable(database)
            let texts = ["", "plain", "quote ' and \" and ? and $1", "naïve ✓ 😀", String(repeating: "x", count: 100_000)]
            let integers: [Int64] = [0, -1, .max, .min, 42]
            let reals = [0.0, -2.5, 1e-300, 0.1 + 0.2, Double.greatestFiniteMagnitude]
            let blobs: [[UInt8]] = [[], [0], Array(0...255), Array(repeating: 0, count: 4096)]
            let insert = try database.statement("INSERT INTO items(id, name, amount, data) VALUES(?, ?, ?, ?)")
            for index in 0..<5 {
                insert.reset()
                try insert.bind(1, integers[index]).bind(2, texts[index]).bind(3, reals[index]).bind(4, blob: blobs[index % blobs.count]).run()
            }
            insert.reset()
            try insert.bind(1, Int64(7)).bind(2, nil as String?).bind(3, nil as Double?).run()

            let select = try database.statement("SELECT id, name, amount, data FROM items WHERE id = ?")
            for index in 0..<5 {
                select.reset()
                select.bind(1, integers[index])
                #expect(try select.step())
                #expect(select.int64(0) == integers[index])
                #expect(select.string(1) == texts[index])
                #expect(select.double(2) == reals[index])
                #expect(select.bytes(3) == blobs[index % blobs.count])
                #expect(!select.isNull(1) && !select.isNull(3))
                #expect(try !select.step())
            }
            select.reset()
            select.bind(1, 7)
            #expect(try select.step())
            #expect(select.isNull(1) && select.isNull(2) && select.isNull(3))
            #expect(select.optionalString(1) == nil && select.optionalDouble(2) == nil)
        }
    }

    @Test(arguments: CatalogBackend.available)
    func vectorsRoundTripAsBytes(_ backend: CatalogBackend) throws {
        try backend.withDatabase { database in
            try Self.makeTable(database)
            let vector: [Float] = [0, -0, 1.5, -3.25, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1]
            try database.statement("INSERT INTO items(id, data) VALUES(?, ?)").bind(1, 1).bind(2, floats: vector).run()
            let select = try database.statement("SELECT data FROM items WHERE id = 1")
            #expect(try select.step())
            #expect(select.floats(0).map(\.bitPattern) == vector.map(\.bitPattern))
        }
    }

    /// The portable SQL the catalog is written in: upserts, RETURNING, counts and sums.
    @Test(arguments: CatalogBackend.available)
    func upsertsReturningAndAggregatesAgree(_ backend: CatalogBackend) throws {
        try backend.withDatabase { database in
            try Self.makeTable(database)
            let upsert = try database.statement("""
                INSERT INTO counters(key, value) VALUES(?, ?)
                ON CONFLICT(key) DO UPDATE SET value = counters.value + excluded.value RETURNING value
                """)
            var seen: [Int] = []
            for amount in [5, 7, -2] {
                upsert.reset()
                upsert.bind(1, "spend").bind(2, amount)
                #expect(try upsert.step())
                seen.append(upsert.int(0))
            }
            #expect(seen == [5, 12, 10])
            try database.statement("INSERT INTO counters(key, value) VALUES(?, ?) ON CONFLICT(key) DO NOTHING").bind(1, "spend").bind(2, 99).run()
            let totals = try database.statement("SELECT count(*), sum(value), avg(value) FROM counters")
            #expect(try totals.step())
            #expect(totals.int(0) == 1 && totals.int(1) == 10 && totals.double(2) == 10)
            let rows = try database.statement("SELECT key, ? FROM counters WHERE key <> '?'").bind(1, "placeholder").rows { ($0.string(0), $0.string(1)) }
            #expect(rows.map(\.0) == ["spend"] && rows.map(\.1) == ["placeholder"])
        }
    }

    @Test(arguments: CatalogBackend.available)
    func aTransactionThatThrowsLeavesNothingBehind(_ backend: CatalogBackend) throws {
        try backend.withDatabase { database in
            try Self.makeTable(database)
            #expect(throws: CatalogError.self) {
                try database.transaction { () throws(CatalogError) in
                    try database.statement("INSERT INTO items(id, name) VALUES(1, 'kept?')").run()
                    // A duplicate key fails inside the transaction: both rows must be gone.
                    try database.statement("INSERT INTO items(id, name) VALUES(1, 'again')").run()
                }
            }
            try database.transaction { () throws(CatalogError) in
                try database.statement("INSERT INTO items(id, name) VALUES(2, 'committed')").run()
            }
            let names = try database.statement("SELECT name FROM items ORDER BY id").rows { $0.string(0) }
            #expect(names == ["committed"])
        }
    }

    @Test(arguments: CatalogBackend.available)
    func errorsNameTheStatement(_ backend: CatalogBackend) throws {
        try backend.withDatabase { database in
            try Self.makeTable(database)
            do {
                try database.statement("SELECT no_such_column FROM items").run()
                Issue.record("a bad column was accepted")
            } catch {
                #expect(String(describing: error).contains("no_such_column"))
            }
            do {
                try database.execute("CREATE TABLE items(id INTEGER)")
                Issue.record("a second table of one name was accepted")
            } catch {
                #expect(String(describing: error).contains("items"))
            }
        }
    }

    @Test func placeholdersAreNumberedOutsideQuotesAndComments() {
        #expect(SQLDialect.numberingPlaceholders("SELECT ? , '?', \"a?\" -- why?\n, ?").text == "SELECT $1 , '?', \"a?\" -- why?\n, $2" && SQLDialect.numberingPlaceholders("SELECT ? , '?', \"a?\" -- why?\n, ?").count == 2)
        #expect(SQLDialect.numberingPlaceholders("VALUES(?,?,?)").text == "VALUES($1,$2,$3)" && SQLDialect.numberingPlaceholders("VALUES(?,?,?)").count == 3)
        #expect(SQLDialect.numberingPlaceholders("WHERE a = 'it''s ?' AND b = ?").text == "WHERE a = 'it''s ?' AND b = $1" && SQLDialect.numberingPlaceholders("WHERE a = 'it''s ?' AND b = ?").count == 1)
    }

    @Test func numberedPlaceholdersKeepTheirNumbersAndPlainOnesFollowTheHighest() {
        let numbered = SQLDialect.numberingPlaceholders("SET a = ?, b = CASE WHEN ?2 IS NULL THEN b ELSE ?2 END WHERE c = ?10 AND d = ?")
        #expect(numbered.text == "SET a = $1, b = CASE WHEN $2 IS NULL THEN b ELSE $2 END WHERE c = $10 AND d = $11")
        #expect(numbered.count == 11)
        #expect(SQLDialect.numberingPlaceholders("WHERE x = ?1 OR '?1' = ?1").text == "WHERE x = $1 OR '?1' = $1")
    }

    static let twoSteps = CatalogSchema(component: "things", versionRecord: .table("versions"), migrations: [
        CatalogMigration(sqlite: "CREATE TABLE things(id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
                         postgres: "CREATE TABLE things(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name TEXT NOT NULL)"),
        CatalogMigration(sqlite: "ALTER TABLE things ADD COLUMN weight REAL", postgres: "ALTER TABLE things ADD COLUMN weight DOUBLE PRECISION"),
    ])

    /// Each step runs once, in its dialect's words, and is recorded; a second run (another
    /// replica opening) takes none; a catalog newer than the build is refused, untouched.
    @Test(arguments: CatalogBackend.available)
    func migrationsRunOnceEachAndRefuseANewerCatalog(_ backend: CatalogBackend) throws {
        try backend.withDatabase { database in
            let first = CatalogSchema(component: "things", versionRecord: .table("versions"), migrations: [Self.twoSteps.migrations[0]])
            #expect(try database.storedVersion(of: first) == 0)
            try database.migrate(first)
            #expect(try database.storedVersion(of: first) == 1)
            try database.migrate(Self.twoSteps)
            try database.migrate(Self.twoSteps)
            #expect(try database.storedVersion(of: Self.twoSteps) == 2)
            try database.statement("INSERT INTO things(name, weight) VALUES(?, ?)").bind(1, "bolt").bind(2, 0.5).run()
            #expect(try database.nextIdentities(table: "things", column: "id", count: 2).count == 2)
            do throws(CatalogError) {
                try database.migrate(first)
                Issue.record("a catalog newer than the schema was accepted")
            } catch {
                #expect(error.code == .schemaTooNew && error.message.contains("things"))
            }
            #expect(try database.statement("SELECT count(*) FROM things").rows { $0.int(0) } == [1])
        }
    }

    /// Row numbers a database assigns are never handed out twice, and follow every row
    /// already there.
    @Test(arguments: CatalogBackend.available)
    func identitiesFollowTheRowsPresent(_ backend: CatalogBackend) throws {
        try backend.withDatabase { database in
            try database.migrate(Self.twoSteps)
            try database.statement("INSERT INTO things(id, name) VALUES(?, ?)").bind(1, 40).bind(2, "given").run()
            if let postgres = database as? PostgreSQLDatabase { try postgres.advanceIdentities() }
            let next = try database.nextIdentities(table: "things", column: "id", count: 3)
            #expect(next.count == 3 && next.allSatisfy { $0 > 40 } && Set(next).count == 3 && next == next.sorted())
            #expect(try database.nextIdentities(table: "things", column: "id", count: 0).isEmpty)
        }
    }

    /// The locks a store takes: a writer lock runs its body, a maintainer lease is held by
    /// one connection only (on PostgreSQL; SQLite's one process always holds it).
    @Test(arguments: CatalogBackend.available)
    func writerLocksRunTheirBodyAndOneConnectionHoldsTheLease(_ backend: CatalogBackend) throws {
        try backend.withDatabase { database in
            let ran = try database.withWriterLock(key: 7) { () throws(CatalogError) in 42 }
            #expect(ran == 42)
            #expect(try database.tryMaintainerLease(key: 11))
            try database.notify(channel: "strata_test")
            #expect(try database.integrityProblems().isEmpty)
            #expect(try database.storageBytes() >= 0)
            guard backend == .postgres, let url = CatalogBackend.postgresURL else { return }
            let other = try PostgreSQLDatabase(url: url)
            defer { other.close() }
            #expect(try !other.tryMaintainerLease(key: 11))
            #expect(try other.tryMaintainerLease(key: 12))
        }
    }

    @Test func catalogLocationsReadTheirTextAndHideThePassword() throws {
        #expect(try CatalogLocation(parsing: "sqlite:/tmp/a.sqlite") == .sqlite(path: "/tmp/a.sqlite"))
        #expect(try CatalogLocation(parsing: "/tmp/b.sqlite") == .sqlite(path: "/tmp/b.sqlite"))
        let shared = try CatalogLocation(parsing: "postgres://me:secret@db.example:6543/strata?schema=team_a")
        #expect(shared.isShared && shared.description == "postgres://me@db.example:6543/strata?schema=team_a")
        #expect(throws: CatalogError.self) { try CatalogLocation(parsing: "") }
        #expect(throws: CatalogError.self) { try CatalogLocation(parsing: "mysql://me@db/strata") }
        #expect(throws: CatalogError.self) { try CatalogLocation(parsing: "postgres://me@db/strata?schema=Bad-Name") }
    }

    @Test func scriptsSplitAtTheSemicolonsThatEndStatements() {
        let script = "CREATE TABLE a(x TEXT DEFAULT ';');\n-- a comment; still one\nCREATE TABLE \"b;c\"(y TEXT) ;\n\n;"
        #expect(SQLDialect.statements(script) == ["CREATE TABLE a(x TEXT DEFAULT ';')", "-- a comment; still one\nCREATE TABLE \"b;c\"(y TEXT)"])
    }

    @Test func aBadCatalogURLSaysWhatIsMissing() {
        let cases: [(String, String)] = [
            ("mysql://u@h/db", "postgres://"),
            ("postgres:///db", "a host"),
            ("postgres://h:5432/db", "a user"),
            ("postgres://u@h:5432", "one database name"),
            ("postgres://u@h/db?sslmode=sometimes", "disable, prefer, require, verify-ca, verify-full"),
            ("postgres://u@10.0.0.1/db?sslmode=verify-full", "a host name"),
            ("postgres://u@h/db?sslmode=verify-ca&sslrootcert=/nonexistent/ca.pem", "a readable PEM file"),
        ]
        for (url, expected) in cases {
            do {
                _ = try PostgreSQLDatabase(url: url)
                Issue.record("\(url) was accepted")
            } catch {
                #expect(String(describing: error).contains(expected), "\(url): \(String(describing: error))")
            }
        }
    }

    @Test func anUnreachableServerIsAClearError() {
        // Port 1 on loopback: privileged, and nothing here listens on it.
        let port = 1
        do {
            _ = try PostgreSQLDatabase(url: "postgres://strata:secret@127.0.0.1:\(port)/db")
            Issue.record("connected to a closed port")
        } catch {
            #expect(String(describing: error).contains("cannot connect to postgres://strata@127.0.0.1:\(port)/db"))
            #expect(!String(describing: error).contains("secret"))
        }
    }
}
