import Foundation
import StrataCatalog

/// What a store's catalog says about the store itself (its `manifest` table): the folder
/// format, the embedder and how to rebuild it, the embedding space and the configuration the
/// store was created with. Written once, at creation; read at every open.
struct StoreManifest {
    var configuration: StoreConfiguration
    var settings: EmbedderSettings
    /// The embedder's identifier, which every stored vector comes from.
    var embedder: String

    /// Writes the manifest of a new store, in one transaction.
    func write(to catalog: Catalog) throws(StoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let configurationJSON = String(decoding: (try? encoder.encode(configuration)) ?? Data(), as: UTF8.self)
        let settingsJSON = String(decoding: (try? encoder.encode(settings)) ?? Data(), as: UTF8.self)
        try catalog.transaction { () throws(StoreError) in
            try catalog.setManifestValue("format_version", "\(PatternStore.formatVersion)")
            try catalog.setManifestValue("embedder", embedder)
            try catalog.setManifestValue("embedder_settings", settingsJSON)
            try catalog.setManifestValue("dimension", "\(configuration.dimension)")
            try catalog.setManifestValue("metric", configuration.metric.rawValue)
            try catalog.setManifestValue("configuration", configurationJSON)
            try catalog.setManifestValue("created_at", ISO8601DateFormatter().string(from: Date()))
        }
    }

    /// Reads the manifest of the store in `directory` whose catalog is at `location`.
    ///
    /// - Throws: ``StoreError/noStore(path:problem:)`` when there is none, when its format is
    ///   newer than this build reads, or when it is incomplete.
    static func read(from catalog: Catalog, directory: String, location: CatalogLocation) throws(StoreError) -> StoreManifest {
        guard let format = try catalog.manifestValue("format_version"), let formatNumber = Int(format) else {
            throw .noStore(path: location.description, problem: "the catalog has no manifest; it was not made by strata (create a store with `strata init`)")
        }
        guard formatNumber <= PatternStore.formatVersion else {
            throw .noStore(path: directory, problem: "store format \(formatNumber) is newer than this build reads (\(PatternStore.formatVersion)); upgrade strata")
        }
        let decoder = JSONDecoder()
        guard let configurationText = try catalog.manifestValue("configuration"),
              let configuration = try? decoder.decode(StoreConfiguration.self, from: Data(configurationText.utf8)),
              let settingsText = try catalog.manifestValue("embedder_settings"),
              let settings = try? decoder.decode(EmbedderSettings.self, from: Data(settingsText.utf8)),
              let identifier = try catalog.manifestValue("embedder")
        else {
            throw .noStore(path: directory, problem: "the manifest is incomplete or unreadable; restore the catalog from a backup")
        }
        return StoreManifest(configuration: configuration, settings: settings, embedder: identifier)
    }

    /// The embedder of the store: `given` (tests, custom models), checked against the space;
    /// none when not `resolving` (a re-embed replaces it, and the old one may be unreachable);
    /// else the one ``settings`` builds.
    ///
    /// - Throws: ``StoreError/dimensionMismatch(space:got:)`` or
    ///   ``StoreError/invalidArgument(name:value:expected:)`` for an embedder of another space.
    func embedder(given: (any Embedder)?, resolving: Bool, catalog: Catalog) throws(StoreError) -> (any Embedder)? {
        let resolved: (any Embedder)?
        if let given {
            resolved = given
        } else if !resolving {
            resolved = nil
        } else {
            resolved = try settings.makeEmbedder(catalog: catalog, dimension: configuration.dimension)
        }
        if let resolved {
            guard resolved.dimension == configuration.dimension else {
                let space = EmbeddingSpace(embedder: embedder, dimension: configuration.dimension, metric: configuration.metric)
                throw .dimensionMismatch(space: space.description, got: resolved.dimension)
            }
            if resolved.identifier != embedder {
                throw .invalidArgument(name: "embedder", value: resolved.identifier, expected: "the store's embedder \(embedder); switch with `strata reembed`")
            }
        }
        return resolved
    }
}
