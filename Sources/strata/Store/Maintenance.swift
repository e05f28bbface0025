import ArgumentParser
import Foundation
import StrataStore

/// Runs one maintenance operation and prints its report.
private func runMaintenance(_ options: StoreOptions, _ operation: (PatternStore) throws -> MaintenanceReport) throws {
    let store = try options.open()
    let report = try operation(store)
    try store.close()
    if options.json {
        options.emit(report.jsonObject)
    } else {
        print("\(report.operation): \(report.patterns) pattern(s), \(report.segmentsWritten) segment(s) written, \(report.segmentsRemoved) removed, \(format(report.seconds, digits: 2)) s")
    }
}

extension Strata {
    struct Flush: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the hot tier (except busy patterns) to a new cold segment.")
        @OptionGroup var options: StoreOptions
        func run() throws { try runMaintenance(options) { try $0.flush() } }
    }

    struct Compact: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite segments with many dead slots and merge small ones.",
            discussion: "--force rewrites every segment with a dead slot and merges all segments into one.")
        @OptionGroup var options: StoreOptions
        @Flag(help: "Merge everything into one segment.")
        var force = false
        func run() throws { try runMaintenance(options) { try $0.compact(force: force) } }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete low-quality, unused, idle patterns that are not validated (thresholds set at init).")
        @OptionGroup var options: StoreOptions
        @Flag(help: "List what would be removed, remove nothing.")
        var dryRun = false
        func run() throws {
            try runMaintenance(options) { try $0.prune(dryRun: dryRun) }
        }
    }

    struct Promote: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Bring often-used cold patterns into the hot tier.")
        @OptionGroup var options: StoreOptions
        func run() throws { try runMaintenance(options) { try $0.promote() } }
    }

    struct Demote: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move idle hot patterns to a cold segment.")
        @OptionGroup var options: StoreOptions
        func run() throws { try runMaintenance(options) { try $0.demote() } }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Counts and sizes of the store's tiers and segments, and its recent maintenance.")
        @OptionGroup var options: StoreOptions

        func run() throws {
            let store = try options.openForReading()
            let stats = try store.stats()
            try store.close()
            if options.json {
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(stats), as: UTF8.self))
                return
            }
            print("store       \(options.path)")
            print("space       \(stats.embedder), \(stats.dimension) dimensions, \(stats.metric)")
            print("patterns    \(stats.patterns) (\(stats.hot) hot, \(stats.cold) cold)")
            print("catalog     \(stats.catalogBytes) bytes; hot graph \(stats.hotMemoryBytes) bytes in RAM")
            if !stats.segments.isEmpty {
                print("")
                print(table(["segment", "slots", "live", "dead", "bytes"], stats.segments.map { [$0.file, "\($0.slots)", "\($0.live)", "\($0.dead)", "\($0.bytes)"] }))
            }
            for (title, counts) in [("node types", stats.byNodeType), ("languages", stats.byLanguage), ("kinds", stats.byKind)] where !counts.isEmpty {
                print("\(title.padding(toLength: 12, withPad: " ", startingAt: 0))\(counts.sorted { $0.value > $1.value }.map { "\($0.key.isEmpty ? "-" : $0.key) \($0.value)" }.joined(separator: ", "))")
            }
            if !stats.recentMaintenance.isEmpty {
                print("")
                print(table(["when", "operation", "detail"], stats.recentMaintenance.map { [ISO8601DateFormatter().string(from: $0.at), $0.operation, cell($0.detail, width: 90)] }))
            }
        }
    }
}
