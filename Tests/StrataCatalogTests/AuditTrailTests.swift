import Foundation
import StrataCatalog
import StrataTestSupport
import Testing

/// The audit chain on each catalog: appended in the writer's transaction, verified from its
/// anchor, and every kind of tampering found and named.
@Suite struct AuditTrailTests {
    static func write(_ events: Int, in database: any CatalogDatabase, as actor: String = "key:test") throws {
        try AuditContext.$current.withValue(AuditContext(actor: actor, tenant: "alpha", requestID: "req-1")) {
            for index in 0..<events {
                try database.transaction { () throws(CatalogError) in
                    try AuditTrail.append([AuditEvent(action: index % 2 == 0 ? "patterns.add" : "budget.set", subject: "item \(index)", after: AuditTrail.digest("\(index)"))], in: database)
                }
            }
        }
    }

    @Test(arguments: CatalogBackend.available)
    func theChainHoldsAndEveryTamperingIsNamed(_ backend: CatalogBackend) throws {
        try backend.withDatabase { database in
            try database.migrate(AuditTrail.schema)
            #expect(try AuditTrail.verify(in: database).checked == 0 && AuditTrail.verify(in: database).holds)
            try Self.write(10, in: database)
            let verdict = try AuditTrail.verify(in: database)
            #expect(verdict.holds && verdict.checked == 10)
            let entries = try AuditTrail.entries(AuditQuery(), in: database)
            #expect(entries.map(\.sequence) == Array(1...10))
            #expect(entries.allSatisfy { $0.tenant == "alpha" && $0.actor == "key:test" && $0.requestID == "req-1" })
            #expect(entries[0].previousHash == AuditTrail.genesis && entries[1].previousHash == entries[0].hash)
            #expect(try AuditTrail.entries(AuditQuery(action: "budget."), in: database).count == 5)
            #expect(try AuditTrail.entries(AuditQuery(after: 7), in: database).map(\.sequence) == [8, 9, 10])
            #expect(try AuditTrail.entries(AuditQuery(actor: "key:other"), in: database).isEmpty)

            // An altered field.
            try database.execute("UPDATE audit_log SET subject = 'item 99' WHERE seq = 4")
            var broken = try AuditTrail.verify(in: database)
            #expect(broken.firstBroken == 4 && broken.problem?.contains("altered") == true)
            try database.execute("UPDATE audit_log SET subject = 'item 3' WHERE seq = 4")
            #expect(try AuditTrail.verify(in: database).holds)
            // A record removed from the middle.
            try database.execute("DELETE FROM audit_log WHERE seq = 6")
            broken = try AuditTrail.verify(in: database)
            #expect(broken.firstBroken == 6 && broken.problem?.contains("missing") == true)
            // A whole record rewritten to fit: its hash no longer chains on.
            let sixth = entries[5]
            try database.statement("INSERT INTO audit_log(seq, at_us, tenant, actor, request_id, action, subject, before_digest, after_digest, previous_hash, hash) VALUES(6, ?, 'alpha', 'key:test', 'req-1', 'budget.set', 'forged', NULL, NULL, ?, ?)")
                .bind(1, sixth.microseconds).bind(2, sixth.previousHash).bind(3, sixth.hash).run()
            broken = try AuditTrail.verify(in: database)
            #expect(broken.firstBroken == 6)
            try database.execute("DELETE FROM audit_log WHERE seq = 6")
            try database.statement("INSERT INTO audit_log(seq, at_us, tenant, actor, request_id, action, subject, before_digest, after_digest, previous_hash, hash) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(1, sixth.sequence).bind(2, sixth.microseconds).bind(3, sixth.tenant).bind(4, sixth.actor).bind(5, sixth.requestID)
                .bind(6, sixth.event.action).bind(7, sixth.event.subject).bind(8, sixth.event.before).bind(9, sixth.event.after)
                .bind(10, sixth.previousHash).bind(11, sixth.hash).run()
            #expect(try AuditTrail.verify(in: database).holds)
            // The newest record removed: the head the anchor keeps says so.
            try database.execute("DELETE FROM audit_log WHERE seq = 10")
            broken = try AuditTrail.verify(in: database)
            #expect(broken.firstBroken == 10 && broken.problem?.contains("missing") == true)
        }
    }

    @Test(arguments: CatalogBackend.available)
    func retentionKeepsTheChainVerifiableAndIsRecorded(_ backend: CatalogBackend) throws {
        try backend.withDatabase { database in
            try database.migrate(AuditTrail.schema)
            try Self.write(6, in: database)
            let cutoff = Date().addingTimeInterval(0.01)
            Thread.sleep(forTimeInterval: 0.02)
            try Self.write(3, in: database)
            let removed = try database.transaction { () throws(CatalogError) -> Int in try AuditTrail.prune(before: cutoff, in: database) }
            #expect(removed == 6)
            let left = try AuditTrail.entries(AuditQuery(), in: database)
            #expect(left.map(\.sequence) == [7, 8, 9, 10] && left.last?.event.action == "audit.prune")
            #expect(try AuditTrail.verify(in: database).holds)
            try Self.write(1, in: database)
            #expect(try AuditTrail.verify(in: database).checked == 5)
            // The first record kept, removed: found, though the anchor moved.
            try database.execute("DELETE FROM audit_log WHERE seq = 7")
            #expect(try AuditTrail.verify(in: database).firstBroken == 7)
        }
    }

    @Test(arguments: CatalogBackend.available)
    func aRolledBackWriteLeavesNoRecord(_ backend: CatalogBackend) throws {
        struct Refused: Error {}
        try backend.withDatabase { database in
            try database.migrate(AuditTrail.schema)
            try Self.write(2, in: database)
            #expect(throws: CatalogError.self) {
                try database.transaction { () throws(CatalogError) in
                    try AuditTrail.append([AuditEvent(action: "patterns.add", subject: "doomed")], in: database)
                    throw CatalogError(.statementFailed, "the write failed after its record was noted")
                }
            }
            #expect(try AuditTrail.entries(AuditQuery(), in: database).map(\.event.subject) == ["item 0", "item 1"])
            #expect(try AuditTrail.verify(in: database).holds)
        }
    }
}
