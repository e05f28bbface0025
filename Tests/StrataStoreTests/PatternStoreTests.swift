import Foundation
import StrataKernels
import StrataStore
import Testing
import StrataTestSupport

@Suite struct PatternStoreTests {
    @Test(arguments: CatalogBackend.available) func addGetAndReopenThroughTheCatalog(_ backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 30, dimension: 32, seed: 1)
        do {
            let store = try makeVectorStore(directory, backend: backend)
            let outcomes = try store.add(samplePatterns(vectors))
            #expect(outcomes.allSatisfy { $0.action == .added })
            #expect(try store.count() == 30)
            try store.close()
        }
        // 30 hot patterns stay below flushOnCloseMinimum (50): reopened from hot vectors.
        let store = try PatternStore.open(at: directory)
        let pattern = try store.pattern(id: "p7")
        #expect(pattern.name == "function_7")
        #expect(pattern.nodeType == .reducer)
        #expect(pattern.tier == .hot)
        #expect(pattern.tags == ["pure"])
        let stored = try store.vector(id: "p7")
        var expected = vectors[7]
        Kernels.normalize(&expected)
        #expect(zip(stored, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        let hits = try store.search(SearchRequest(query: .vector(vectors[7]), k: 3)).hits
        #expect(hits.first?.pattern.id == "p7")
        #expect(try store.verify() == [])
    }

    @Test(arguments: CatalogBackend.available) func bulkAddGoesToASegmentAndSearchMatchesExact(_ backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 1_200, dimension: 32, seed: 2)
        let store = try makeVectorStore(directory, backend: backend) { $0.nearDuplicateSimilarity = nil }
        try store.add(samplePatterns(vectors))
        let stats = try store.stats()
        #expect(stats.cold == 1_200)
        #expect(stats.segments.count == 1)
        let queries = clusteredVectors(count: 50, dimension: 32, seed: 99)
        let candidates = vectors.enumerated().map { ("p\($0.offset)", $0.element) }
        var found = 0
        for query in queries {
            let truth = Set(exactNearest(query, among: candidates, k: 10))
            let hits = try store.search(SearchRequest(query: .vector(query), k: 10, ef: 64)).hits
            found += hits.filter { truth.contains($0.pattern.id) }.count
            let exact = try store.search(SearchRequest(query: .vector(query), k: 10, exact: true))
            #expect(exact.plan == .exact)
            #expect(Set(exact.hits.map(\.pattern.id)) == truth)
        }
        #expect(Double(found) / 500 >= 0.95)
        try store.close()
        let reopened = try PatternStore.open(at: directory)
        #expect(try reopened.count() == 1_200)
        #expect(try reopened.verify() == [])
    }

    @Test(arguments: CatalogBackend.available) func filteredSearchMatchesExactFilteredSearch(_ backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 3_000, dimension: 32, seed: 3)
        let store = try makeVectorStore(directory, backend: backend) {
            $0.nearDuplicateSimilarity = nil
            $0.exactScanLimit = 100
        }
        let patterns = samplePatterns(vectors)
        try store.add(patterns)
        let filters = ["node_type=effect", "language=python,quality>=0.5", "tags=io", "node_type=effect|compute,domain=http"]
        for expression in filters {
            let filter = try PatternFilter(expression: expression)
            let allowed = try Set(store.list(filter, limit: 10_000).patterns.map(\.id))
            #expect(try store.count(filter) == allowed.count)
            let candidates = patterns.filter { allowed.contains($0.id!) }.map { ($0.id!, $0.vector!) }
            var found = 0, total = 0
            for query in clusteredVectors(count: 20, dimension: 32, seed: 7) {
                let response = try store.search(SearchRequest(query: .vector(query), k: 10, filter: filter))
                #expect(response.plan == .graph)
                #expect(response.hits.allSatisfy { allowed.contains($0.pattern.id) })
                let truth = Set(exactNearest(query, among: candidates, k: 10))
                found += response.hits.filter { truth.contains($0.pattern.id) }.count
                total += truth.count
            }
            #expect(Double(found) / Double(total) >= 0.95, "recall for \(expression)")
        }
        // A selective filter takes the exact path and is exact.
        let narrow = try PatternFilter(expression: "node_type=effect,language=python,quality>=0.9")
        let query = vectors[5]
        let response = try store.search(SearchRequest(query: .vector(query), k: 5, filter: narrow))
        #expect(response.plan == .exact)
        let allowed = try store.list(narrow, limit: 10_000).patterns.map(\.id)
        let candidates = patterns.filter { allowed.contains($0.id!) }.map { ($0.id!, $0.vector!) }
        #expect(response.hits.map(\.pattern.id) == exactNearest(query, among: candidates, k: 5))
    }

    @Test(arguments: CatalogBackend.available) func exactAndNearDuplicatesMergeIntoTheStoredPattern(_ backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let store = try makeVectorStore(directory, backend: backend) { $0.nearDuplicateSimilarity = 0.95 }
        var base = clusteredVectors(count: 2, dimension: 32, seed: 4)
        try store.add(NewPattern(id: "a", text: "def f(x):\n    return x\n", tags: ["one"], vector: base[0]))
        let exact = try store.add(NewPattern(id: "b", text: "def f(x):   \r\n    return x\n\n", tags: ["two"], vector: base[1]))
        #expect(exact.action == .mergedExact)
        #expect(exact.storedAs == "a")
        var near = base[0]
        near[0] += 0.01
        let nearOutcome = try store.add(NewPattern(id: "c", text: "def g(y):\n    return y\n", tags: ["three"], vector: near))
        #expect(nearOutcome.action == .mergedNear)
        #expect(nearOutcome.storedAs == "a")
        #expect((nearOutcome.similarity ?? 0) >= 0.95)
        let a = try store.pattern(id: "a")
        #expect(a.usageCount == 2)
        #expect(a.tags == ["one", "two", "three"])
        #expect(try store.count() == 1)
        #expect(throws: StoreError.unknownID("b")) { try store.pattern(id: "b") }
        // Within one batch, too.
        base = clusteredVectors(count: 3, dimension: 32, seed: 5)
        let batch = try store.add([
            NewPattern(id: "x", text: "x = 1", vector: base[0]),
            NewPattern(id: "y", text: "x = 1", vector: base[1]),
            NewPattern(id: "z", text: "z = 2", vector: base[0].map { $0 * 2 }),
        ])
        #expect(batch.map(\.action) == [.added, .mergedExact, .mergedNear])
        #expect(batch.map(\.storedAs) == ["x", "x", "x"])
        #expect(try store.pattern(id: "x").usageCount == 2)
        #expect(try store.verify() == [])
    }

    @Test(arguments: CatalogBackend.available) func deletesFlushesCompactionAndTombstones(_ backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 400, dimension: 32, seed: 6)
        let store = try makeVectorStore(directory, backend: backend) {
            $0.nearDuplicateSimilarity = nil
            $0.bulkSegmentMinimum = 10_000
            $0.flushThreshold = 150
        }
        for start in stride(from: 0, to: 400, by: 100) {
            try store.add(Array(samplePatterns(vectors)[start..<start + 100]))
        }
        var stats = try store.stats()
        #expect(stats.segments.count >= 2)
        #expect(stats.patterns == 400)
        for index in stride(from: 0, to: 400, by: 3) { try store.delete(id: "p\(index)") }
        #expect(throws: StoreError.unknownID("p0")) { try store.delete(id: "p0") }
        #expect(try store.count() == 400 - 134)
        for index in stride(from: 0, to: 400, by: 3) {
            let hits = try store.search(SearchRequest(query: .vector(vectors[index]), k: 5)).hits
            #expect(!hits.contains { $0.pattern.id == "p\(index)" })
        }
        #expect(try store.verify() == [])
        let report = try store.compact()
        #expect(report.segmentsRemoved >= 1)
        stats = try store.stats()
        #expect(stats.segments.allSatisfy { $0.dead == 0 || Double($0.dead) / Double($0.slots) < 0.2 })
        #expect(try store.verify() == [])
        let hits = try store.search(SearchRequest(query: .vector(vectors[1]), k: 1)).hits
        #expect(hits.first?.pattern.id == "p1")
        try store.flush()
        _ = try store.compact(force: true)
        stats = try store.stats()
        #expect(stats.segments.count == 1)
        #expect(stats.hot == 0)
        #expect(try store.verify() == [])
        try store.close()
        let reopened = try PatternStore.open(at: directory)
        #expect(try reopened.count() == 266)
        #expect(try reopened.search(SearchRequest(query: .vector(vectors[2]), k: 1)).hits.first?.pattern.id == "p2")
    }

    @Test(arguments: CatalogBackend.available) func feedbackMovesUsageSuccessRateAndQuality(_ backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let store = try makeVectorStore(directory, backend: backend) { $0.successRateSmoothing = 0.5 }
        try store.add(samplePatterns(clusteredVectors(count: 1, dimension: 32, seed: 8)))
        var pattern = try store.recordUse(of: "p0", outcome: .success)
        #expect(pattern.usageCount == 1)
        #expect(pattern.successRate == 1)
        #expect(pattern.lastUsedAt != nil)
        pattern = try store.recordUse(of: "p0", outcome: .failure)
        #expect(pattern.successRate == 0.5)
        pattern = try store.recordUse(of: "p0", outcome: .used, quality: 0.9)
        #expect(pattern.successRate == 0.5)
        #expect(pattern.quality == 0.9)
        #expect(pattern.usageCount == 3)
        #expect(throws: StoreError.unknownID("nope")) { try store.recordUse(of: "nope") }
        #expect(throws: StoreError.invalidArgument(name: "quality", value: "1.5", expected: "a number from 0 to 1")) {
            try store.recordUse(of: "p0", quality: 1.5)
        }
    }

    @Test(arguments: CatalogBackend.available) func promotionDemotionAndPruning(_ backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 300, dimension: 32, seed: 9)
        let store = try makeVectorStore(directory, backend: backend) {
            $0.nearDuplicateSimilarity = nil
            $0.promoteMinimumUses = 2
        }
        try store.add(samplePatterns(vectors))
        #expect(try store.pattern(id: "p1").tier == .cold)
        try store.recordUse(of: "p1", outcome: .success)
        try store.recordUse(of: "p1", outcome: .success)
        let promoted = try store.promote()
        #expect(promoted.patterns == 1)
        #expect(try store.pattern(id: "p1").tier == .hot)
        #expect(try store.search(SearchRequest(query: .vector(vectors[1]), k: 1)).hits.first?.pattern.id == "p1")
        #expect(try store.verify() == [])
        let later = Date().addingTimeInterval(40 * 86_400)
        let demoted = try store.demote(now: later)
        #expect(demoted.patterns == 1)
        #expect(try store.pattern(id: "p1").tier == .cold)
        // Quality 0.0 and 0.1 … 0.2 are at or below the default 0.2; p1 was used, so it stays.
        let dry = try store.prune(now: Date().addingTimeInterval(100 * 86_400), dryRun: true)
        #expect(dry.patterns == 89)
        #expect(try store.count() == 300)
        let pruned = try store.prune(now: Date().addingTimeInterval(100 * 86_400))
        #expect(pruned.patterns == 89)
        #expect(!pruned.removedIDs.contains("p1"))
        #expect(try store.count() == 211)
        #expect(try store.stats().recentMaintenance.first?.operation == "prune")
        #expect(try store.verify() == [])
    }

    @Test(arguments: CatalogBackend.available) func searchesRunWhileWritesCommit(_ backend: CatalogBackend) async throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 1_000, dimension: 32, seed: 10)
        let store = try makeVectorStore(directory, backend: backend) {
            $0.nearDuplicateSimilarity = nil
            $0.flushThreshold = 300
            $0.bulkSegmentMinimum = 100_000
        }
        let patterns = samplePatterns(vectors)
        try store.add(Array(patterns[0..<200]))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for start in stride(from: 200, to: 1_000, by: 50) { try store.add(Array(patterns[start..<start + 50])) }
            }
            for reader in 0..<2 {
                group.addTask {
                    for index in 0..<300 {
                        let target = (index * 7 + reader) % 200
                        let hits = try store.search(SearchRequest(query: .vector(vectors[target]), k: 1)).hits
                        #expect(hits.first?.pattern.id == "p\(target)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.count() == 1_000)
        #expect(try store.verify() == [])
    }
}
