import Foundation
import StrataKernels
import StrataStore
import Synchronization

/// The Qdrant collections of a service: the store's collections (``StoreCollections``: rows
/// of its catalog, each a store of its own whose embedding space is the collection's vector
/// size and distance), under Qdrant's names, rules and answers. On a shared store every
/// replica serves every collection.
final class QdrantCollections: Sendable {
    /// The store holding the collections.
    let store: PatternStore
    /// Opened at the first request that needs it: opening reaches the catalog, and may adopt
    /// collection folders an older build left.
    private let opened = Mutex<StoreCollections?>(nil)

    init(store: PatternStore) {
        self.store = store
    }

    /// The store's collections, opened on first use.
    ///
    /// - Throws: the store's error (503 when the catalog cannot be reached).
    var all: StoreCollections {
        get throws(ServerError) {
            try opened.withLock { (opened) throws(ServerError) -> StoreCollections in
                if let opened { return opened }
                do throws(StoreError) {
                    let collections = try StoreCollections(store: store)
                    opened = collections
                    return collections
                } catch {
                    throw ServerError(error.status, "the collections cannot be opened: \(error.description)")
                }
            }
        }
    }

    /// Qdrant's distance names for the store's metrics.
    static func distance(_ metric: Metric) -> String {
        switch metric {
        case .cosine: "Cosine"
        case .innerProduct: "Dot"
        case .l2: "Euclid"
        }
    }

    static func metric(_ distance: String) throws(ServerError) -> Metric {
        switch distance.lowercased() {
        case "cosine": .cosine
        case "dot": .innerProduct
        case "euclid": .l2
        default: throw .badRequest("distance \"\(distance)\" is not supported: expected Cosine, Dot or Euclid")
        }
    }

    /// A collection name is a folder name: 1 to 255 letters, digits, `_`, `-` and `.`, not
    /// starting with `.`.
    static func validate(name: String) throws(ServerError) {
        guard (1...255).contains(name.utf8.count), !name.hasPrefix("."),
              name.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "_-.".unicodeScalars.contains($0) })
        else {
            throw .badRequest("collection name \"\(name.prefix(80))\" is not valid: expected 1 to 255 ASCII letters, digits, _, - or . (not starting with .)")
        }
    }

    /// Names of every collection, sorted.
    func names() throws(ServerError) -> [String] {
        try served { (all) throws(StoreError) in try all.names() }
    }

    func contains(_ name: String) throws(ServerError) -> Bool {
        try Self.validate(name: name)
        return try served { (all) throws(StoreError) in try all.contains(named: name) }
    }

    /// The open store of a collection.
    ///
    /// - Throws: 404 when there is no such collection.
    func store(_ name: String) throws(ServerError) -> PatternStore {
        try Self.validate(name: name)
        guard let store = try served({ (all) throws(StoreError) in try all.store(named: name) }) else {
            throw .notFound("Collection `\(name)` doesn't exist!")
        }
        return store
    }

    /// Creates a collection of `dimension`-long vectors compared by `metric`.
    ///
    /// - Throws: 409 when it exists, 400 for a bad name or size.
    func create(_ name: String, dimension: Int, metric: Metric, vectorName: String? = nil, sparseNames: [String] = []) throws(ServerError) {
        try Self.validate(name: name)
        guard (2...65_536).contains(dimension) else { throw .badRequest("vectors.size \(dimension) is not valid: expected 2 to 65,536") }
        var configuration = StoreConfiguration()
        configuration.vectorName = vectorName
        configuration.sparseVectorNames = sparseNames.isEmpty ? nil : sparseNames
        configuration.dimension = dimension
        configuration.metric = metric
        // Points are the caller's: two close vectors are two points, never merged.
        configuration.nearDuplicateSimilarity = nil
        let collections = try all
        do throws(StoreError) {
            try collections.create(named: name, configuration: configuration)
        } catch .collectionExists {
            throw .conflict("Wrong input: Collection `\(name)` already exists!")
        } catch {
            throw ServerError(error.status, "collection \(name) cannot be created: \(error.description)")
        }
    }

    /// Removes a collection with its points; false when there was none.
    func delete(_ name: String) throws(ServerError) -> Bool {
        try Self.validate(name: name)
        return try served { (all) throws(StoreError) in try all.delete(named: name) }
    }

    /// Closes every open collection (graceful shutdown).
    func closeAll() {
        opened.withLock { $0?.closeAll() }
    }

    /// Runs `body`, a store's failure answered with its own status.
    private func served<T>(_ body: (StoreCollections) throws(StoreError) -> T) throws(ServerError) -> T {
        let collections = try all
        do throws(StoreError) { return try body(collections) } catch { throw ServerError(error) }
    }
}
