import Foundation
import StrataStore
import Testing
import StrataTestSupport

/// `moveCatalog`: an embedded store moved onto PostgreSQL keeps every pattern, vector,
/// payload, tag and tombstone, answers the same searches, and goes on writing.
@Suite(.enabled(if: CatalogBackend.postgresURL != nil, "needs STRATA_TEST_POSTGRES (make test starts a server)"))
struct PatternStoreCatalogMoveTests {
    @Test func aMovedStoreAnswersAsBeforeAndKeepsWriting() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 260, dimension: 32, seed: 81)
        var patterns = samplePatterns(vectors)
        for index in patterns.indices where index % 7 == 0 { patterns[index].payload = #"{"team":"core","n":\#(index)}"# }
        let queries = (0..<12).map { vectors[$0 * 20] }
        let before: [[String]]
        do {
            let store = try makeVectorStore(directory)
            try store.add(Array(patterns[0..<200]))   // a bulk segment
            try store.add(Array(patterns[200...]))    // hot rows
            try store.delete(id: "p3")                // a tombstone
            try store.recordUse(of: "p4", quality: 0.9)
            before = try queries.map { try store.search(SearchRequest(query: .vector($0), k: 5)).hits.map(\.pattern.id) }
            try store.close()
        }
        let destination = try #require(try CatalogBackend.postgres.storeCatalog())
        let (copy, problems) = try PatternStore.moveCatalog(of: directory, to: destination)
        #expect(problems.isEmpty, "\(problems)")
        let counts = Dictionary(uniqueKeysWithValues: copy.tables.map { ($0.name, $0.rows) })
        // Two segments: the bulk add's, and the hot rows' flushed at close.
        #expect(counts["patterns"] == 259 && counts["tombstones"] == 1 && counts["segments"] == 2)
        #expect(FileManager.default.fileExists(atPath: directory + "/catalog.url"))
        #expect(FileManager.default.fileExists(atPath: directory + "/catalog.sqlite.migrated"))

        let store = try PatternStore.open(at: directory)
        defer { try? store.close() }
        #expect(store.catalogLocation == destination)
        #expect(try queries.map { try store.search(SearchRequest(query: .vector($0), k: 5)).hits.map(\.pattern.id) } == before)
        #expect(try store.pattern(id: "p4").quality == 0.9)
        var filter = PatternFilter()
        filter.payload = .equals(try PayloadKey("team"), .string("core"))
        #expect(try store.count(filter) == patterns.indices.filter { $0 % 7 == 0 }.count)
        // Rows continue after the copied ones.
        try store.add(NewPattern(id: "after-move", text: "def moved():\n    return 1\n", vector: clusteredVectors(count: 1, dimension: 32, seed: 82)[0]))
        #expect(try store.count() == 260)
        #expect(try store.verify() == [])

        // A second move finds no embedded store; a copy into a database holding one is refused.
        #expect(throws: StoreError.self) { try PatternStore.moveCatalog(of: directory, to: destination) }
        let other = temporaryStoreDirectory()
        defer { cleanup(other) }
        try makeVectorStore(other).close()
        #expect(throws: StoreError.self) { try PatternStore.moveCatalog(of: other, to: destination) }
        #expect(FileManager.default.fileExists(atPath: other + "/catalog.sqlite") && !FileManager.default.fileExists(atPath: other + "/catalog.url"))
    }
}
