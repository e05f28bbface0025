import ArgumentParser
import Foundation
import StrataStore

/// The options every store command shares: which store, and whether to print JSON.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("store"), help: "The store folder. Default: $STRATA_STORE, else ./.strata")
    var storeFolder: String?

    @Option(name: .customLong("catalog"), help: ArgumentHelp(
        "Where the store's catalog is: postgres://user@host:port/db[?schema=name] for a store replicas share. Default: $STRATA_CATALOG, else what the store folder holds (catalog.sqlite, or the URL in catalog.url).",
        valueName: "url"))
    var catalogText: String?

    @Flag(help: "Print JSON for tools instead of tables.")
    var json = false

    /// The folder the command works on.
    var path: String { Self.path(storeFolder) }

    /// The catalog `--catalog` (or $STRATA_CATALOG) names; nil to use the folder's own.
    func catalog() throws -> CatalogLocation? { try Self.catalog(catalogText) }

    /// `text`, else $STRATA_CATALOG, as a catalog location.
    static func catalog(_ text: String?) throws -> CatalogLocation? {
        guard let text = text ?? ProcessInfo.processInfo.environment["STRATA_CATALOG"].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        return try CatalogLocation(parsing: text)
    }

    /// Whether there is a store to open: the folder holds one, or a catalog is named.
    func exists() throws -> Bool { try catalog() != nil || PatternStore.exists(at: path) }

    /// `folder`, else $STRATA_STORE, else ./.strata: for commands whose `--json` takes a file
    /// and so cannot pull in these options whole.
    static func path(_ folder: String?) -> String {
        if let folder { return folder }
        if let environment = ProcessInfo.processInfo.environment["STRATA_STORE"], !environment.isEmpty { return environment }
        return "./.strata"
    }

    func open() throws -> PatternStore { try PatternStore.open(at: path, catalog: catalog()) }

    /// Prints `object` as one line of JSON (keys sorted).
    func emit(_ object: Any) {
        printJSON(object)
    }
}

/// Prints `object` as one line of JSON with sorted keys.
func printJSON(_ object: Any) {
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
        print("{}")
        return
    }
    print(String(decoding: data, as: UTF8.self))
}

/// Writes a progress line to standard error.
func note(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Rows of text under a header, columns padded to their widest cell.
func table(_ header: [String], _ rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    return all.map { row in
        row.enumerated().map { column, cell in
            column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}

extension NodeType: ExpressibleByArgument {}
extension Lifecycle: ExpressibleByArgument {}
extension UseOutcome: ExpressibleByArgument {}

extension PatternKind: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
}

/// Parses an optional `--filter` expression, reporting a bad one in the filter's own words.
func parseFilter(_ expression: String?) throws -> PatternFilter {
    guard let expression else { return PatternFilter() }
    return try PatternFilter(expression: expression)
}

/// A short text for a table cell: first line, at most `width` characters.
func cell(_ text: String, width: Int = 48) -> String {
    let line = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
    return line.count > width ? String(line.prefix(width - 1)) + "…" : line
}

func format(_ value: Double, digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }
