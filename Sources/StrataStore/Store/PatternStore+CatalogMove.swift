import Foundation
import StrataCatalog

extension PatternStore {
    /// Moves the embedded store in `directory` onto a shared PostgreSQL catalog.
    ///
    /// Every table is copied (patterns, hot vectors, payloads, segments, the analytics'
    /// generations, prices, budgets, migrations and cluster runs) in one PostgreSQL
    /// transaction, and each table's rows and content digest are compared with the source's
    /// before it commits. Then the folder names the new catalog in `catalog.url` and keeps the
    /// old file as `catalog.sqlite.migrated` (a store opens the URL from then on); the
    /// segments stay in the folder, which replicas then share. Finally the store is opened
    /// over the new catalog and verified.
    ///
    /// The destination's tables are made by their owners' migrations, never translated from
    /// the source: the store's own (patterns, collections), and those of `components` (the analytics' tables:
    /// `AnalyticsCatalog.schemas`). A source table no migration made is refused by name.
    ///
    /// - Parameters:
    ///   - source: the SQLite catalog to read; nil for the folder's own `catalog.sqlite`.
    ///   - destination: an empty PostgreSQL database (or `?schema=`).
    ///   - components: the schemas of the other components whose tables the catalog holds,
    ///     brought to this build's version on both sides before the copy.
    /// - Returns: the copy's report, and the problems ``verify()`` found (none when sound).
    /// - Throws: ``StoreError/noStore(path:problem:)`` when the folder holds no embedded
    ///   store; ``StoreError/catalog(_:)`` when the destination already holds a store or
    ///   lacks a table, or a table's copy differs (nothing is committed, and the folder is
    ///   left as it was).
    public static func moveCatalog(
        of directory: String, from source: CatalogLocation? = nil, to destination: CatalogLocation, components: [CatalogSchema] = []
    ) throws(StoreError) -> (copy: CatalogCopyReport, problems: [String]) {
        guard case let .postgres(url) = destination else {
            throw .invalidArgument(name: "to", value: destination.description, expected: "a postgres:// URL")
        }
        let found = try catalogLocation(of: directory)
        guard found != nil, case let .sqlite(path) = source ?? found! else {
            throw .noStore(path: directory, problem: "holds no embedded store (no catalog.sqlite) to move; a store already on PostgreSQL stays where it is")
        }
        let report: CatalogCopyReport
        do {
            let lock = try StoreDirectoryLock(directory: directory, timeout: 10)
            defer { lock.release() }
            report = try inCatalog { () throws(CatalogError) in
                let from = try SQLiteDatabase(path: path, create: false)
                defer { from.close() }
                let to = try PostgreSQLDatabase(url: url)
                defer { to.close() }
                // Every table brought to this build's version on both sides first.
                for schema in [StoreTables.schema, CollectionTables.schema] + components {
                    try from.migrate(schema)
                    try to.migrate(schema)
                }
                return try CatalogCopy.copy(from: from, to: to)
            }
            do {
                try StoreFolder(path: directory).writeCatalogURL(destination)
            } catch {
                throw StoreError.file(path: StoreFolder(path: directory).catalogURLFile, problem: "cannot write the catalog's URL; the copy is in \(destination), the store still opens its SQLite file")
            }
            if path == StoreFolder(path: directory).catalogFile {
                for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                    try? FileManager.default.moveItem(atPath: path + suffix, toPath: path + ".migrated" + suffix)
                }
            }
        }
        let store = try open(at: directory, resolvingEmbedder: false)
        defer { try? store.close() }
        return (report, try store.verify())
    }
}
