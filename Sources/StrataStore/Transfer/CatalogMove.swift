import Foundation
import StrataCatalog

/// An embedded store's catalog moved onto PostgreSQL (``PatternStore/moveCatalog(of:from:to:components:)``):
/// every table copied in one transaction and compared, then the folder pointed at the copy.
struct CatalogMove {
    let directory: String
    /// The SQLite catalog to read; nil for the folder's own.
    let source: CatalogLocation?
    let destination: CatalogLocation
    /// The other components whose tables the catalog holds.
    let components: [CatalogSchema]

    func run() throws(StoreError) -> (copy: CatalogCopyReport, problems: [String]) {
        guard case let .postgres(url) = destination else {
            throw .invalidArgument(name: "to", value: destination.description, expected: "a postgres:// URL")
        }
        let found = try PatternStore.catalogLocation(of: directory)
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
                for schema in StoreTables.catalogSchemas + components {
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
        let store = try PatternStore.open(at: directory, resolvingEmbedder: false)
        defer { try? store.close() }
        return (report, try store.verify())
    }
}
