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

    @Option(help: ArgumentHelp(
        "Work in this tenant's store. Default: $STRATA_TENANT, else the key's tenant, else the store's own (the default tenant).",
        valueName: "name"))
    var tenant: String?

    @Option(help: ArgumentHelp(
        "An API key of the store (`strata tenant create` issues them): the command acts as its tenant, and a read key cannot write. Default: $STRATA_KEY.",
        valueName: "key"))
    var key: String?

    /// Set by ``validate()`` when the key given has the read role.
    @Flag(help: .private) var readOnlyKey = false

    /// The folder the command works on: after ``validate()``, the tenant's.
    var path: String { Self.path(storeFolder) }

    /// Points the options at the store of the tenant `--tenant` or `--key` names, checking
    /// the key: an unknown, revoked or expired key, or another tenant's without the admin
    /// role, is refused before the command touches anything.
    mutating func validate() throws {
        let environment = ProcessInfo.processInfo.environment
        let key = self.key ?? environment["STRATA_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        var tenant = self.tenant ?? environment["STRATA_TENANT"].flatMap { $0.isEmpty ? nil : $0 }
        let user = "local:" + (environment["USER"] ?? "unknown")
        guard key != nil || tenant != nil else { return }
        let root = path, rootCatalog = try catalog()
        // No store yet (`strata init` with $STRATA_KEY set): nothing to check the key against.
        guard rootCatalog != nil || PatternStore.exists(at: root) else { return }
        if let key {
            switch try TenantDirectory.check(key, inStore: root, catalog: rootCatalog) {
            case let .valid(principal):
                if let tenant, tenant != principal.tenant, principal.role != .admin {
                    throw ValidationError("the key is tenant \(principal.tenant)'s with the \(principal.role.rawValue) role: only an admin key acts in tenant \(tenant)")
                }
                tenant = tenant ?? principal.tenant
                readOnlyKey = principal.role == .read
                AuditContext.processDefault = AuditContext(actor: "key:" + principal.keyID, tenant: tenant!)
            case .unknown: throw ValidationError("the key is not a key of the store at \(root): check --key (or $STRATA_KEY)")
            case let .revoked(at): throw ValidationError("the key was revoked at \(at): ask an admin for a new one (`strata tenant create`)")
            case let .expired(at): throw ValidationError("the key expired at \(at): ask an admin for a new one (`strata tenant create`)")
            }
        }
        guard let tenant else { return }
        if key == nil { AuditContext.processDefault = AuditContext(actor: user, tenant: tenant) }
        let (folder, catalog) = try TenantDirectory.locate(tenant, inStore: root, catalog: rootCatalog)
        storeFolder = folder
        catalogText = catalog?.urlText
    }

    /// Refuses a command that writes when the key given can only read.
    func requireWrite() throws {
        if readOnlyKey { throw ValidationError("the key has the read role: this command writes; use a key with the write role") }
    }

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

    /// Opens the store for a command that writes (refused to a read key).
    func open() throws -> PatternStore {
        try requireWrite()
        return try openForReading()
    }

    /// Opens the store for a command that only reads.
    func openForReading() throws -> PatternStore { try PatternStore.open(at: path, catalog: catalog()) }

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
