import ArgumentParser
import Foundation
import StrataStore

extension Strata {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add one pattern.",
            discussion: "Exits 0 only once the pattern is durable (its catalog transaction has committed). A duplicate merges into the stored pattern, and the output says so.")

        @OptionGroup var options: StoreOptions
        @Option(help: "The pattern's id (default: a new UUID).")
        var id: String?
        @Option(help: "The pattern's source text, or - to read it from standard input.")
        var text: String
        @Option(help: "A human name.")
        var name: String = ""
        @Option(help: "Kind: code, function, method, class, workflow, naming, architecture, errorHandling, testing, …")
        var kind: PatternKind = .code
        @Option(name: .customLong("node-type"), help: "ONEX node type: effect, compute, reducer, orchestrator or none.")
        var nodeType: NodeType = .none
        @Option(help: "Business domain, such as database.")
        var domain: String = ""
        @Option(help: "Programming language, such as python.")
        var language: String = ""
        @Option(help: "A one-paragraph description.")
        var summary: String = ""
        @Option(help: "Tags, comma-separated. Format: io,db")
        var tags: String = ""
        @Option(help: "Quality from 0 to 1 (default 0.5).")
        var quality: Double?
        @Option(help: "Lifecycle: candidate, provisional, validated or deprecated.")
        var lifecycle: Lifecycle = .candidate
        @Flag(help: "Replace the pattern if the id exists (upsert) instead of failing.")
        var replace = false

        func run() throws {
            var body = text
            if text == "-" {
                body = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            }
            let pattern = NewPattern(
                id: id, text: body, name: name, kind: kind, nodeType: nodeType, domain: domain, language: language,
                summary: summary, tags: tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                quality: quality, lifecycle: lifecycle)
            let store = try options.open()
            let outcome = try replace ? store.upsert(pattern) : store.add(pattern)
            try store.close()
            if options.json { options.emit(outcome.jsonObject) } else { print(outcome.sentence) }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one pattern.")

        @OptionGroup var options: StoreOptions
        @Argument(help: "The pattern's id.")
        var id: String

        func run() throws {
            let store = try options.openForReading()
            let pattern = try store.pattern(id: id)
            try store.close()
            if options.json { options.emit(pattern.jsonObject()) } else { print(pattern.details) }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete one pattern.")

        @OptionGroup var options: StoreOptions
        @Argument(help: "The pattern's id.")
        var id: String

        func run() throws {
            let store = try options.open()
            try store.delete(id: id)
            try store.close()
            if options.json { options.emit(["id": id, "deleted": true]) } else { print("deleted \(id)") }
        }
    }

    struct Use: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a use of a pattern: usage count, success rate (moving average), optionally a new quality.")

        @OptionGroup var options: StoreOptions
        @Argument(help: "The pattern's id.")
        var id: String
        @Option(help: "success, failure or used (outcome unknown).")
        var outcome: UseOutcome = .used
        @Option(help: "A new quality from 0 to 1.")
        var quality: Double?

        func run() throws {
            let store = try options.open()
            let pattern = try store.recordUse(of: id, outcome: outcome, quality: quality)
            try store.close()
            if options.json {
                options.emit(pattern.jsonObject(includeText: false))
            } else {
                print("\(id): \(pattern.usageCount) uses, success rate \(format(pattern.successRate, digits: 2)), quality \(format(pattern.quality, digits: 2))")
            }
        }
    }
}
