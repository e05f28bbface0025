import ArgumentParser
import Foundation
import StrataStore

extension Strata {
    struct AuditCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit", abstract: "The store's audit log: who wrote what, when, hash-chained.",
            discussion: """
            Every write, delete, re-embed, budget change, migration decision, generation and key change appends one record \
            (who, tenant, what, when, request id, digests before and after) in the write's own transaction. \
            `strata audit verify` walks the chain; `strata audit prune` applies retention by age.
            """,
            subcommands: [ListAudit.self, VerifyAudit.self, PruneAudit.self], defaultSubcommand: ListAudit.self)
    }

    struct ListAudit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Print audit records, oldest first (--json: one object per line).")
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp("Records from this instant: 2026-12-01, an ISO 8601 time, or an age such as 7d or 12h.", valueName: "time")) var since: String?
        @Option(help: ArgumentHelp("Records before this instant (same forms).", valueName: "time")) var until: String?
        @Option(help: "Only this action (patterns.add), or actions starting so when it ends in a dot (patterns.).") var action: String?
        @Option(help: "Only this actor (key:<id>, local:<user>).") var actor: String?
        @Option(help: "At most this many records.") var limit = 1000

        func run() throws {
            let store = try options.openForReading()
            defer { try? store.close() }
            let query = AuditQuery(since: try since.map { try AuditTime.parse($0, "--since") }, until: try until.map { try AuditTime.parse($0, "--until") },
                                   action: action, actor: actor, limit: limit)
            let entries = try StoreAudit(store: store).entries(query)
            if options.json {
                for entry in entries { printJSON(entry.jsonObject) }
            } else {
                let format = ISO8601DateFormatter()
                print(table(["seq", "at", "tenant", "actor", "action", "subject"], entries.map { entry in
                    ["\(entry.sequence)", format.string(from: entry.date), entry.tenant, entry.actor, entry.event.action, String(entry.event.subject.prefix(80))]
                }))
            }
        }
    }

    struct VerifyAudit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Check the audit chain: exit 0 when it holds, 1 naming the first broken record.")
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.openForReading()
            let verdict = try StoreAudit(store: store).verify()
            try store.close()
            if options.json {
                options.emit(["holds": verdict.holds, "checked": verdict.checked, "first_broken": verdict.firstBroken ?? NSNull(), "problem": verdict.problem ?? NSNull()] as [String: Any])
            } else if verdict.holds {
                print("audit chain holds: \(verdict.checked) records")
            } else {
                print("audit chain broken at record \(verdict.firstBroken!): \(verdict.problem ?? "")")
            }
            if !verdict.holds { throw ExitCode(1) }
        }
    }

    struct PruneAudit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune", abstract: "Remove audit records older than an age; the chain stays verifiable and the removal is recorded.")
        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp("Keep this many days of records.", valueName: "days")) var olderThanDays: Double

        func run() throws {
            guard olderThanDays >= 0 else { throw ValidationError("--older-than-days must be 0 or more; got \(olderThanDays)") }
            let store = try options.open()
            defer { try? store.close() }
            let removed = try StoreAudit(store: store).prune(before: Date().addingTimeInterval(-olderThanDays * 86_400))
            if options.json { options.emit(["removed": removed]) } else { print("removed \(removed) audit records older than \(olderThanDays) days") }
        }
    }
}

/// The instants the audit filters take: a date, an ISO 8601 time, or an age back from now.
enum AuditTime {
    static func parse(_ text: String, _ option: String) throws -> Date {
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let day = DateFormatter()
        day.dateFormat = "yyyy-MM-dd"
        day.timeZone = TimeZone(identifier: "UTC")
        if let date = day.date(from: text) { return date }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        if let unit = text.last.flatMap({ units[$0] }), let amount = Double(text.dropLast()), amount >= 0 {
            return Date().addingTimeInterval(-amount * unit)
        }
        throw ValidationError("\(option) \(text): expected a date (2026-12-01), an ISO 8601 time, or an age such as 7d, 12h or 30m")
    }
}
