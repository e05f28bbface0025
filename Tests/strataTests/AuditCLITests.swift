import Foundation
import Testing

/// `strata audit` as an operator runs it: the records of what the commands wrote, the chain
/// verified, a tampered record named with exit 1, retention by age.
@Suite final class AuditCLITests {
    let directory: String
    var store: String { directory + "/store" }

    init() throws {
        directory = NSTemporaryDirectory() + "strata-audit-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Runs SQL on the store's catalog behind the tool's back, as an intruder would.
    func tamper(_ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()", store + "/catalog.sqlite", sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func theLogShowsWhoWroteWhatAndTamperingIsNamed() throws {
        #expect(try CLI.run("init", "--store", store, "--dim", "128").status == 0)
        for (index, subject) in ["invoice", "parcel", "ledger"].enumerated() {
            let text = "def store_\(subject)(\(subject)_rows):\n    return \(subject)_table.extend(\(subject)_rows)\n"
            #expect(try CLI.run("add", "--store", store, "--id", "p\(index)", "--text", text).status == 0)
        }
        #expect(try CLI.run("delete", "p1", "--store", store).status == 0)
        let listed = try CLI.run("audit", "--store", store, "--json")
        #expect(listed.status == 0, "\(listed.stderr)")
        let records = listed.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(records.map { $0["action"] as? String } == ["patterns.add", "patterns.add", "patterns.add", "patterns.delete"])
        #expect(records.allSatisfy { ($0["actor"] as? String)?.hasPrefix("local:") == true && $0["tenant"] as? String == "default" })
        #expect(try CLI.run("audit", "--store", store, "--action", "patterns.delete", "--json").stdout.split(separator: "\n").count == 1)
        #expect(try CLI.run("audit", "--store", store, "--since", "1h", "--json").stdout.split(separator: "\n").count == 4)
        #expect(try CLI.run("audit", "--store", store, "--since", "yesterday").stderr.contains("expected a date"))
        let holds = try CLI.run("audit", "verify", "--store", store)
        #expect(holds.status == 0 && holds.stdout.contains("holds: 4 records"))

        try tamper("UPDATE audit_log SET subject = 'p9' WHERE seq = 2")
        let broken = try CLI.run("audit", "verify", "--store", store, "--json")
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("\"first_broken\":2") && broken.stdout.contains("altered"), "\(broken.stdout)")
        try tamper("UPDATE audit_log SET subject = 'p1' WHERE seq = 2")
        #expect(try CLI.run("audit", "verify", "--store", store).status == 0)
        try tamper("DELETE FROM audit_log WHERE seq = 3")
        let gap = try CLI.run("audit", "verify", "--store", store)
        #expect(gap.status == 1 && gap.stdout.contains("record 3 is missing"), "\(gap.stdout)")
    }

    @Test func retentionRemovesOldRecordsAndTheChainStillHolds() throws {
        #expect(try CLI.run("init", "--store", store, "--dim", "128").status == 0)
        #expect(try CLI.run("add", "--store", store, "--id", "a", "--text", "def a():\n    return 1\n").status == 0)
        Thread.sleep(forTimeInterval: 0.05)
        let pruned = try CLI.run("audit", "prune", "--store", store, "--older-than-days", "0", "--json")
        #expect(pruned.status == 0 && pruned.stdout.contains("\"removed\":1"), "\(pruned.stdout)\(pruned.stderr)")
        let left = try CLI.run("audit", "--store", store, "--json").stdout
        #expect(left.contains("audit.prune") && !left.contains("patterns.add"))
        #expect(try CLI.run("audit", "verify", "--store", store).status == 0)
    }
}

/// `strata alerts` as an operator runs it: the rules read against the store, a test message
/// that cannot be delivered said so with exit 1.
@Suite final class AlertsCLITests {
    let directory = NSTemporaryDirectory() + "strata-alerts-cli-\(UUID().uuidString)"

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    @Test func rulesAreListedWithTheirValuesAndAnUndeliveredTestFails() throws {
        let store = directory + "/store"
        #expect(try CLI.run("init", "--store", store, "--dim", "128").status == 0)
        #expect(try CLI.run("budget", "set", "--store", store, "--project", "p", "--period", "month", "--limit", "10").status == 0)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "{\"provider\": \"openai\", \"model\": \"m\", \"project\": \"p\", \"cost\": 9}\n".write(toFile: directory + "/spend.jsonl", atomically: true, encoding: .utf8)
        #expect(try CLI.run("record", directory + "/spend.jsonl", "--store", store).status == 0)
        try """
            webhooks:
              - {url: "http://127.0.0.1:9/closed", format: slack}
            attempts: 1
            rules:
              - {name: spend-80, metric: budget_spent_fraction, above: 0.8}
              - {name: errors, metric: error_rate, above: 0.05}
            """.write(toFile: store + "/alerts.yaml", atomically: true, encoding: .utf8)
        let listed = try CLI.run("alerts", "list", "--store", store)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("spend-80") && listed.stdout.contains("FIRING") && listed.stdout.contains("(read by the server)"), "\(listed.stdout)")
        let tested = try CLI.run("alerts", "test", "--store", store)
        #expect(tested.status == 1 && tested.stdout.contains("NOT delivered"), "\(tested.stdout)\(tested.stderr)")
        #expect(try CLI.run("alerts", "list", "--store", store, "--rules", directory + "/none.yaml").stderr.contains("no alert rules"))
    }
}
