import Foundation
import StrataKernels
import StrataStore
import Synchronization

/// The Qdrant collections of a service: each one a store of its own (its embedding space is
/// the collection's vector size and distance), in `<store>/collections/<name>/`, opened on
/// first use and kept open.
final class QdrantCollections: Sendable {
    /// The folder holding one store folder per collection.
    let directory: String
    private let stores = Mutex<[String: PatternStore]>([:])

    /// Serves the collections in `directory`, removing what a crash left of a deletion.
    init(directory: String) {
        self.directory = directory
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where entry.hasPrefix(".deleted-") {
            try? FileManager.default.removeItem(atPath: directory + "/" + entry)
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

    private func path(_ name: String) -> String { directory + "/" + name }

    private func exists(_ name: String) -> Bool {
        PatternStore.exists(at: path(name))
    }

    /// Names of every collection, sorted.
    func names() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.filter { (try? Self.validate(name: $0)) != nil && exists($0) }.sorted()
    }

    func contains(_ name: String) -> Bool {
        (try? Self.validate(name: name)) != nil && exists(name)
    }

    /// The open store of a collection.
    ///
    /// - Throws: 404 when there is no such collection.
    func store(_ name: String) throws(ServerError) -> PatternStore {
        try Self.validate(name: name)
        return try stores.withLock { (stores) throws(ServerError) -> PatternStore in
            if let store = stores[name] { return store }
            guard exists(name) else { throw .notFound("Collection `\(name)` doesn't exist!") }
            do throws(StoreError) {
                let store = try PatternStore.open(at: path(name))
                stores[name] = store
                return store
            } catch {
                throw ServerError(error.status, "collection \(name) cannot be opened: \(error.description)")
            }
        }
    }

    /// Creates a collection of `dimension`-long vectors compared by `metric`.
    ///
    /// - Throws: 409 when it exists, 400 for a bad name or size.
    func create(_ name: String, dimension: Int, metric: Metric) throws(ServerError) {
        try Self.validate(name: name)
        guard (2...65_536).contains(dimension) else { throw .badRequest("vectors.size \(dimension) is not valid: expected 2 to 65,536") }
        try stores.withLock { (stores) throws(ServerError) in
            guard !exists(name) else { throw .conflict("Wrong input: Collection `\(name)` already exists!") }
            var configuration = StoreConfiguration()
            configuration.dimension = dimension
            configuration.metric = metric
            // Points are the caller's: two close vectors are two points, never merged.
            configuration.nearDuplicateSimilarity = nil
            do throws(StoreError) {
                let store = try PatternStore.create(at: path(name), configuration: configuration, embedder: nil, settings: .external(identifier: "qdrant-collection"))
                stores[name] = store
            } catch {
                try? FileManager.default.removeItem(atPath: path(name))
                throw ServerError(error.status, "collection \(name) cannot be created: \(error.description)")
            }
        }
    }

    /// Closes and removes a collection; false when there was none.
    func delete(_ name: String) throws(ServerError) -> Bool {
        try Self.validate(name: name)
        return try stores.withLock { (stores) throws(ServerError) -> Bool in
            guard exists(name) else { return false }
            if let store = stores.removeValue(forKey: name) { try? store.close() }
            // Renamed first, so a crash mid-removal leaves no half collection under its name.
            let doomed = directory + "/.deleted-" + UUID().uuidString.lowercased()
            do {
                try FileManager.default.moveItem(atPath: path(name), toPath: doomed)
            } catch {
                throw .internal("collection \(name) cannot be removed: \(error.localizedDescription)")
            }
            try? FileManager.default.removeItem(atPath: doomed)
            return true
        }
    }

    /// Closes every open collection (graceful shutdown). Closing flushes a hot tier large
    /// enough to be worth a segment; a smaller one is rebuilt from the catalog at the next open.
    func closeAll() {
        let open = stores.withLock { stores in
            defer { stores.removeAll() }
            return Array(stores.values)
        }
        for store in open { try? store.close() }
    }
}
