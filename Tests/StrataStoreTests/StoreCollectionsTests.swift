import Foundation
import StrataCatalog
import StrataStore
import StrataTestSupport
import Testing

/// A store's collections: rows of its catalog, each a store of its own, on either backend;
/// adopted from the folders an older build left; shared by the replicas of a shared store.
@Suite struct StoreCollectionsTests {
    static func configuration(dimension: Int = 8) -> StoreConfiguration {
        var configuration = StoreConfiguration()
        configuration.dimension = dimension
        configuration.nearDuplicateSimilarity = nil
        return configuration
    }

    static func points(_ vectors: [[Float]]) -> [NewPattern] {
        vectors.enumerated().map { NewPattern(id: "q\($0.offset)", text: "", kind: "point", vector: $0.element) }
    }

    static func nearest(_ store: PatternStore, _ vector: [Float]) throws -> String? {
        try store.search(SearchRequest(query: .vector(vector), k: 1)).hits.first?.pattern.id
    }

    @Test(arguments: CatalogBackend.available)
    func collectionsAreMadeFoundDeletedAndOutliveAReopen(backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 30, dimension: 8, seed: 5)
        var store = try makeVectorStore(directory, backend: backend)
        var collections = try StoreCollections(store: store)
        let code = try collections.create(named: "code", configuration: Self.configuration())
        try code.add(Self.points(vectors))
        try collections.create(named: "docs", configuration: Self.configuration(dimension: 4))
        #expect(try collections.names() == ["code", "docs"])
        #expect(throws: StoreError.collectionExists(name: "code")) { try collections.create(named: "code", configuration: Self.configuration()) }
        #expect(try collections.store(named: "docs")?.configuration.dimension == 4)
        #expect(try collections.store(named: "nothing") == nil)
        // A collection's vectors are its own: the holding store has none of them.
        #expect(try store.count() == 0)

        // Deleted: gone from the catalog, its folder and (shared) its schema removed.
        let docsFolder = try #require(try collections.store(named: "docs")).directory
        #expect(try collections.delete(named: "docs"))
        #expect(try !collections.delete(named: "docs"))
        #expect(!FileManager.default.fileExists(atPath: docsFolder))
        #expect(try collections.store(named: "docs") == nil)

        collections.closeAll()
        #expect(throws: StoreError.closed(path: directory + "/collections")) { try collections.names() }
        try store.close()
        store = try PatternStore.open(at: directory)
        defer { try? store.close() }
        collections = try StoreCollections(store: store)
        defer { collections.closeAll() }
        #expect(try collections.names() == ["code"])
        let reopened = try #require(try collections.store(named: "code"))
        #expect(try reopened.count() == 30)
        #expect(try Self.nearest(reopened, vectors[17]) == "q17")
    }

    /// Collections an older build kept as folders (`collections/<name>/`, a store each) are
    /// named in the catalog at the first open; on a shared store their catalogs move into
    /// the shared database.
    @Test(arguments: CatalogBackend.available)
    func collectionFoldersOfAnOlderBuildAreAdopted(backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 20, dimension: 8, seed: 6)
        let store = try makeVectorStore(directory, backend: backend)
        defer { try? store.close() }
        let legacy = try PatternStore.create(at: directory + "/collections/legacy", configuration: Self.configuration(), embedder: nil, settings: .external(identifier: "qdrant-collection"))
        try legacy.add(Self.points(vectors))
        try legacy.close()

        let collections = try StoreCollections(store: store)
        defer { collections.closeAll() }
        #expect(try collections.names() == ["legacy"])
        let adopted = try #require(try collections.store(named: "legacy"))
        #expect(try adopted.count() == 20 && Self.nearest(adopted, vectors[3]) == "q3")
        #expect(adopted.catalogLocation.isShared == (backend == .postgres))
        #expect(try adopted.verify() == [])
    }

    /// Two replicas of a shared store: a collection made through one is found through the
    /// other with its points, follows writes within a second, and its deletion shows.
    @Test(.enabled(if: CatalogBackend.postgresURL != nil, "needs STRATA_TEST_POSTGRES (make test starts a server)"))
    func aCollectionMadeThroughOneReplicaServesFromTheOther() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 40, dimension: 8, seed: 7)
        try makeVectorStore(directory, backend: .postgres).close()
        let first = try PatternStore.open(at: directory, follow: true)
        defer { try? first.close() }
        let second = try PatternStore.open(at: directory, follow: true)
        defer { try? second.close() }
        let one = try StoreCollections(store: first)
        defer { one.closeAll() }
        let other = try StoreCollections(store: second)
        defer { other.closeAll() }

        try one.create(named: "shared", configuration: Self.configuration()).add(Self.points(Array(vectors[0..<20])))
        #expect(try other.names() == ["shared"])
        let seen = try #require(try other.store(named: "shared"))
        #expect(try seen.count() == 20 && Self.nearest(seen, vectors[11]) == "q11")
        // Written through one, found through the other.
        try #require(try one.store(named: "shared")).add(Self.points(vectors).suffix(20))
        let followed = try PatternStoreReplicationTests.waitUntil(5) { try seen.count() == 40 && Self.nearest(seen, vectors[33]) == "q33" }
        #expect(followed != nil && followed! < 1)
        // The name is taken for every replica.
        #expect(throws: StoreError.collectionExists(name: "shared")) { try other.create(named: "shared", configuration: Self.configuration()) }

        #expect(try one.delete(named: "shared"))
        let gone = try PatternStoreReplicationTests.waitUntil(5) { try other.store(named: "shared") == nil }
        #expect(gone != nil && gone! <= 1.5)
        #expect(try other.names().isEmpty)
    }
}
