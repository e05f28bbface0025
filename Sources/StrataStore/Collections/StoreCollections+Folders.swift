import Foundation
import Logging
import StrataCatalog

extension StoreCollections {
    /// Names in the catalog every collection folder no row names yet: those of a build that
    /// kept collections as folders only (`collections/<name>/`). On a shared store a
    /// collection whose catalog is still a SQLite file (adopted folders, or rows copied by
    /// `migrate-catalog`) is moved into a schema of the shared database first, so every
    /// replica serves it. Replicas opening together adopt one after the other.
    ///
    /// - Returns: the folders the catalog names afterwards.
    static func adoptFolders(in directory: String, location: CatalogLocation, registry: CollectionRegistry, logger: Logger) throws(StoreError) -> Set<String> {
        let found = try registry.all()
        guard registry.kind.adoptsFolders || location.isShared, needsAdoption(directory, location: location, records: found) else { return Set(found.map(\.folder)) }
        return try registry.exclusively { () throws(StoreError) -> Set<String> in
            let records = try registry.all()
            let named = Set(records.map(\.folder))
            for folder in storeFolders(directory) where registry.kind.adoptsFolders && !folder.hasPrefix(".") && !named.contains(folder) {
                let record = CollectionRecord(name: folder, folder: folder, catalogSchema: try movedCatalog(directory + "/" + folder, location: location, schemaPrefix: registry.kind.schemaPrefix))
                if try registry.insert(record) {
                    logger.info("collection adopted into the catalog", metadata: ["collection": "\(folder)"])
                } else {
                    logger.warning("collection folder not adopted: its name is taken by another collection", metadata: ["folder": "\(folder)"])
                }
            }
            for record in records where location.isShared && record.catalogSchema == nil {
                if let schema = try movedCatalog(directory + "/" + record.folder, location: location, schemaPrefix: registry.kind.schemaPrefix) {
                    try registry.update(record.name, catalogSchema: schema)
                }
            }
            return Set(try registry.all().map(\.folder))
        }
    }

    /// Whether a folder or a row waits for ``adoptFolders(in:location:registry:logger:)``,
    /// judged from rows read without a lock, so the usual open takes none.
    private static func needsAdoption(_ directory: String, location: CatalogLocation, records: [CollectionRecord]) -> Bool {
        let named = Set(records.map(\.folder))
        return storeFolders(directory).contains { !$0.hasPrefix(".") && !named.contains($0) }
            || (location.isShared && records.contains { $0.catalogSchema == nil })
    }

    /// On a shared store, moves the SQLite catalog of the collection in `folder` into a new
    /// schema of the shared database and gives the schema; nil for an embedded store.
    private static func movedCatalog(_ folder: String, location: CatalogLocation, schemaPrefix: String) throws(StoreError) -> String? {
        guard location.isShared else { return nil }
        if let found = try PatternStore.catalogLocation(of: folder), found.isShared {
            return found.schema  // moved already, by an adoption a crash cut short
        }
        let schema = schemaPrefix + newToken()
        let destination = try inCatalog { () throws(CatalogError) in try location.inSchema(schema) }
        _ = try PatternStore.moveCatalog(of: folder, to: destination)
        return schema
    }

    /// The entries of `directory` that hold a store.
    private static func storeFolders(_ directory: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.filter { StoreFolder(path: directory + "/" + $0).holdsStore }.sorted()
    }

    /// Removes what a crash left: deletions half done (`.deleted-*`), and collection folders
    /// no row names, older than ``orphanAge`` (a younger one may be another replica's
    /// creation, not yet named), with their catalogs.
    static func sweep(_ directory: String, registered: Set<String>, location: CatalogLocation, schemaPrefix: String) {
        let manager = FileManager.default
        for entry in (try? manager.contentsOfDirectory(atPath: directory)) ?? [] {
            let path = directory + "/" + entry
            if entry.hasPrefix(".deleted-") {
                try? manager.removeItem(atPath: path)
            } else if entry.hasPrefix(".store-"), !registered.contains(entry),
                      let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                      Date().timeIntervalSince(modified) > orphanAge {
                let token = String(entry.dropFirst(".store-".count))
                discard(path, catalog: location.isShared ? try? inCatalog({ () throws(CatalogError) in try location.inSchema(schemaPrefix + token) }) : nil)
            }
        }
    }

    /// Removes a collection's catalog and folder. The folder is renamed first, so a crash
    /// midway leaves nothing under a collection's folder name (the next open sweeps it).
    static func discard(_ folder: String, catalog: CatalogLocation?) {
        if let catalog, catalog.isShared { try? catalog.destroy() }
        let doomed = (folder as NSString).deletingLastPathComponent + "/.deleted-" + UUID().uuidString.lowercased()
        guard (try? FileManager.default.moveItem(atPath: folder, toPath: doomed)) != nil else { return }
        try? FileManager.default.removeItem(atPath: doomed)
    }
}
