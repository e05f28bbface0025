import ArgumentParser
import Foundation
import StrataAnalytics
import StrataStore

extension Strata {
    struct MigrateCatalog: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate-catalog",
            abstract: "Move an embedded store's catalog to PostgreSQL, so replicas can share it, and verify the copy.",
            discussion: """
            Every table (patterns, vectors, segments, generations, prices, budgets, migrations, cluster runs) is copied in \
            one PostgreSQL transaction; each table's row count and content digest must match the source's before it commits. \
            The store folder then names the new catalog in catalog.url, keeps the old file as catalog.sqlite.migrated, and \
            keeps its segments: put the folder on a file system every replica mounts. Stop every process using the store first.
            """)

        @Option(name: .customLong("store"), help: "The store folder. Default: $STRATA_STORE, else ./.strata")
        var storeFolder: String?
        @Option(help: ArgumentHelp("The SQLite catalog to copy (default: the store folder's catalog.sqlite).", valueName: "sqlite:PATH"))
        var from: String?
        @Option(help: ArgumentHelp("The empty PostgreSQL database to copy into.", valueName: "postgres://user@host:port/db[?schema=name]"))
        var to: String
        @Flag(help: "Print JSON for tools.")
        var json = false

        func run() throws {
            let path = StoreOptions.path(storeFolder)
            let source = try from.map { try CatalogLocation(parsing: $0) }
            if let source, source.isShared { throw ValidationError("--from takes the SQLite catalog to copy (sqlite:PATH); got \(source)") }
            let destination = try CatalogLocation(parsing: to)
            guard destination.isShared else { throw ValidationError("--to takes a postgres:// URL; got \(to)") }
            let (copy, problems) = try PatternStore.moveCatalog(of: path, from: source, to: destination, components: AnalyticsCatalog.schemas)
            if json {
                printJSON([
                    "store": path, "catalog": destination.description, "rows": copy.rows, "seconds": copy.seconds, "problems": problems,
                    "tables": copy.tables.map { ["name": $0.name, "rows": $0.rows, "digest": $0.digest] as [String: Any] },
                ])
            } else {
                print(table(["table", "rows", "digest (source = copy)"], copy.tables.map { [$0.name, "\($0.rows)", String($0.digest.prefix(16))] }))
                print("copied \(copy.rows) rows to \(destination) in \(format(copy.seconds, digits: 2)) s; the store now opens it")
                print(problems.isEmpty ? "verify: ok" : "verify found \(problems.count) problem(s):\n" + problems.map { "  " + $0 }.joined(separator: "\n"))
            }
            if !problems.isEmpty { throw ExitCode(1) }
        }
    }
}
