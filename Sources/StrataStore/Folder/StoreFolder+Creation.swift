import Foundation
import StrataCatalog

extension StoreFolder {
    /// Makes a new store here: checks the configuration against the embedder, that the folder
    /// (and a shared catalog) holds no store yet, then writes the manifest and, for a shared
    /// catalog, `catalog.url`. Gives where the catalog is, and the folder's lock for an
    /// embedded store (held until the store closes).
    func createStore(
        catalog: CatalogLocation?, configuration: StoreConfiguration, embedder: (any Embedder)?, settings: EmbedderSettings
    ) throws(StoreError) -> (location: CatalogLocation, lock: StoreDirectoryLock?) {
        try configuration.validate()
        if let embedder, embedder.dimension != configuration.dimension {
            throw .invalidArgument(name: "dimension", value: "\(configuration.dimension)", expected: "the embedder's dimension \(embedder.dimension)")
        }
        if holdsStore {
            throw .noStore(path: path, problem: "already holds a store; open it, or pick an empty folder")
        }
        let location = catalog ?? .sqlite(path: catalogFile)
        try create()
        let identifier: String
        switch settings {
        case let .external(name): identifier = name
        default:
            guard let embedder else { throw .invalidArgument(name: "embedder", value: "none", expected: "an embedder for \(settings)") }
            identifier = embedder.identifier
        }
        let lock = location.isShared ? nil : try StoreDirectoryLock(directory: path, timeout: 10)
        let catalog = try Catalog(location: location, create: true)
        defer { catalog.close() }
        if location.isShared {
            guard try catalog.manifestValue("format_version") == nil else {
                throw .noStore(path: location.description, problem: "this catalog already holds a store; open it with `--catalog` from its folder, or use another database or ?schema=")
            }
        }
        try StoreManifest(configuration: configuration, settings: settings, embedder: identifier).write(to: catalog)
        if location.isShared { try writeCatalogURL(location) }
        return (location, lock)
    }
}
