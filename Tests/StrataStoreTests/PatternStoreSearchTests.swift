import Foundation
import StrataKernels
import StrataStore
import Testing
import StrataTestSupport

@Suite struct PatternStoreSearchTests {
    /// The in-RAM payload index (search) and the catalog's SQL (list) must agree on every filter.
    @Test(arguments: CatalogBackend.available) func payloadIndexAndCatalogAgreeOnEveryFilter(_ backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 300, dimension: 16, seed: 21)
        let store = try makeVectorStore(directory, backend: backend, dimension: 16) { $0.flushThreshold = 200; $0.bulkSegmentMinimum = 10_000 }
        var patterns = samplePatterns(vectors)
        for index in patterns.indices {
            patterns[index].lifecycle = Lifecycle.allCases[index % 4]
            patterns[index].kind = index % 2 == 0 ? .function : .method
            patterns[index].createdAt = Date(timeIntervalSince1970: 1_700_000_000 + Double(index) * 86_400)
        }
        try store.add(Array(patterns[0..<150]))
        try store.flush()
        try store.add(Array(patterns[150...]))
        try store.delete(id: "p3")
        try store.recordUse(of: "p4", quality: 0.95)
        let expressions = [
            "", "node_type=effect", "tags=io|pure", "tags=io+db", "tags=missing", "tags!=io", "tags!=db|missing,node_type=effect", "kind=method,lifecycle=validated",
            "quality>0.5,quality<=0.8", "quality=0.95", "created>=2023-12-01,created<2024-01-15", "tier=hot", "tier=cold",
            "language=go|swift,domain=http", "domain=nowhere", "lifecycle=candidate|deprecated,node_type=none",
        ]
        for expression in expressions {
            let filter = try PatternFilter(expression: expression)
            let listed = try Set(store.list(filter, limit: 10_000).patterns.map(\.id))
            let response = try store.search(SearchRequest(query: .vector(vectors[0]), k: 10_000, filter: filter, exact: true))
            #expect(Set(response.hits.map(\.pattern.id)) == listed, "\(expression)")
            #expect(try store.count(filter) == listed.count, "\(expression)")
        }
        #expect(try store.stats().hot > 0)
        #expect(try store.stats().cold > 0)
    }

    /// Hits come from a cache between searches: every committed change must show at once.
    @Test(arguments: CatalogBackend.available) func searchHitsShowEveryCommittedChange(_ backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 20, dimension: 16, seed: 23)
        let store = try makeVectorStore(directory, backend: backend, dimension: 16)
        defer { try? store.close() }
        try store.add(samplePatterns(vectors))
        func hit() throws -> Pattern? {
            try store.search(SearchRequest(query: .vector(vectors[4]), k: 1)).hits.first.map(\.pattern)
        }
        #expect(try hit()?.id == "p4")
        try store.recordUse(of: "p4", quality: 0.93)
        #expect(try hit()?.quality == 0.93 && hit()?.usageCount == 1)
        var replaced = samplePatterns(vectors)[4]
        replaced.text = "def replaced():\n    return 4\n"
        try store.upsert(replaced)
        #expect(try hit()?.text == replaced.text)
        try store.flush()
        #expect(try hit()?.tier == .cold)
        try store.delete(id: "p4")
        #expect(try hit()?.id != "p4")
    }

    @Test(arguments: CatalogBackend.available) func textSearchAndReranking(_ backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        var configuration = StoreConfiguration()
        configuration.dimension = 64
        configuration.nearDuplicateSimilarity = nil
        let embedder = WordHashEmbedder(dimension: 64)
        let store = try PatternStore.create(at: directory, catalog: backend.storeCatalog(), configuration: configuration, embedder: embedder, settings: .external(identifier: "test-words"))
        try store.add([
            NewPattern(id: "low", text: "write rows to postgres table", quality: 0.1),
            NewPattern(id: "high", text: "write rows to postgres table quickly", quality: 0.9),
            NewPattern(id: "other", text: "parse json configuration file", quality: 0.5),
        ])
        let plain = try store.search(text: "write rows postgres", k: 3)
        #expect(Set(plain.hits.prefix(2).map(\.pattern.id)) == ["low", "high"])
        #expect(plain.hits.last?.pattern.id == "other")
        let byQuality = try store.search(SearchRequest(query: .text("write rows postgres"), k: 2, rerank: RerankWeights(semantic: 1, quality: 1)))
        #expect(byQuality.hits.map(\.pattern.id) == ["high", "low"])
        #expect(byQuality.hits[0].score > byQuality.hits[0].similarity)
        let byKeyword = try store.search(SearchRequest(query: .text("json configuration"), k: 1, rerank: RerankWeights(semantic: 0, keyword: 1)))
        #expect(byKeyword.hits.first?.pattern.id == "other")
        #expect(byKeyword.hits.first?.score == 1)
        #expect(throws: StoreError.emptyText(id: "query")) { try store.search(text: "   ") }
        let embedded = try store.embed(["write rows"])
        #expect(embedded.count == 64)
        try store.close()
        #expect(throws: StoreError.self) { try store.search(text: "x") }
        // Reopening with the wrong embedder is refused, naming the store's.
        #expect(throws: StoreError.self) { try PatternStore.open(at: directory, embedder: WordHashEmbedder(dimension: 32)) }
    }

    @Test(arguments: CatalogBackend.available) func l2StoresScoreByDistance(_ backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = (0..<50).map { index in (0..<8).map { Float(index) + Float($0) * 0.01 } }
        let store = try makeVectorStore(directory, backend: backend, dimension: 8) { $0.metric = .l2 }
        try store.add(vectors.enumerated().map { NewPattern(id: "v\($0.offset)", text: "vector \($0.offset)", vector: $0.element) })
        let query = vectors[20].map { $0 + 0.1 }
        let graph = try store.search(SearchRequest(query: .vector(query), k: 3)).hits.map(\.pattern.id)
        let exact = try store.search(SearchRequest(query: .vector(query), k: 3, exact: true))
        #expect(exact.hits.map(\.pattern.id) == ["v20", "v21", "v19"])
        #expect(graph == exact.hits.map(\.pattern.id))
        #expect(abs(exact.hits[0].similarity - Double((Float(8) * 0.01)).squareRoot()) < 1e-3)
    }
}
