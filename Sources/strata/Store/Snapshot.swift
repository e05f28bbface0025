import ArgumentParser
import Foundation
import StrataAnalytics
import StrataStore

extension Strata {
    struct SnapshotCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snapshot", abstract: "Point-in-time copies of a store, taken while it serves, in one archive file; and their restore.",
            subcommands: [CreateSnapshot.self, RestoreSnapshot.self, InspectSnapshot.self])
    }

    struct CreateSnapshot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Write a snapshot of the store to one archive file.",
            discussion: """
            The catalog is copied by SQLite's online backup (a consistent point in time; writers go on), or from a shared \
            store's PostgreSQL database in one read-only REPEATABLE READ transaction into a SQLite catalog (the archive \
            restores as an embedded store; `strata migrate-catalog` moves it back onto a database). The segment files \
            it names are immutable and go in as they are; each file's size and SHA-256 are in the archive's manifest. \
            --json prints {"path","patterns","bytes","seconds","files","created_at"}.
            """)
        @OptionGroup var options: StoreOptions
        @Option(help: "The archive to write (it must not exist).") var out: String

        func run() throws {
            let summary = try StoreSnapshot.create(ofStore: options.path, to: out, components: AnalyticsCatalog.schemas)
            if options.json {
                options.emit(summary.jsonObject)
            } else {
                print("snapshot of \(options.path) as of \(summary.manifest.createdAt): \(summary.patterns) patterns, \(summary.manifest.files.count) files, \(summary.bytes) bytes in \(format(summary.seconds, digits: 2)) s → \(out)")
            }
        }
    }

    struct RestoreSnapshot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore", abstract: "Restore a snapshot into a new store folder, then verify the store.",
            discussion: "Every file is checked against the archive's manifest; a damaged or truncated archive is refused by name and leaves nothing behind. Exits 1 when the restored store does not verify.")
        @Argument(help: "The archive.") var archive: String
        @OptionGroup var options: StoreOptions

        func run() throws {
            let summary = try StoreSnapshot.restore(archive, into: options.path)
            let store = try PatternStore.open(at: options.path)
            let problems = try store.verify()
            let patterns = try store.count()
            try store.close()
            if options.json {
                var object = summary.jsonObject
                object["problems"] = problems
                object["patterns"] = patterns
                options.emit(object)
            } else {
                print("restored \(archive) (as of \(summary.manifest.createdAt)) into \(options.path): \(patterns) patterns, \(summary.bytes) bytes in \(format(summary.seconds, digits: 2)) s")
                for problem in problems { print("problem: \(problem)") }
            }
            if !problems.isEmpty { throw ExitCode(1) }
        }
    }

    struct InspectSnapshot: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Show what a snapshot archive holds.")
        @Argument(help: "The archive.") var archive: String
        @Flag(help: "Print JSON for tools.") var json = false

        func run() throws {
            let manifest = try StoreSnapshot.manifest(of: archive)
            if json {
                printJSON([
                    "created_at": manifest.createdAt, "patterns": manifest.patterns, "bytes": manifest.bytes,
                    "files": manifest.files.map { ["name": $0.name, "bytes": $0.bytes, "sha256": $0.sha256] as [String: Any] },
                ])
            } else {
                print("\(archive): as of \(manifest.createdAt), \(manifest.patterns) patterns")
                print(table(["file", "bytes", "sha256"], manifest.files.map { [$0.name, "\($0.bytes)", String($0.sha256.prefix(16))] }))
            }
        }
    }
}
