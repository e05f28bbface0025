import Foundation
import StrataStore
import Testing

@Suite struct StoreErrorTests {
    @Test func badInputIsRefusedAndChangesNothing() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let store = try makeVectorStore(directory)
        let vectors = clusteredVectors(count: 5, dimension: 32, seed: 11)
        try store.add(samplePatterns(vectors))
        let space = "test-vectors, 32 dimensions, cosine"
        #expect(throws: StoreError.dimensionMismatch(space: space + " (pattern bad)", got: 3)) {
            try store.add(NewPattern(id: "bad", text: "x", vector: [1, 2, 3]))
        }
        var nan = vectors[0]
        nan[4] = .nan
        #expect(throws: StoreError.nonFiniteVector(space: space, position: 4)) {
            try store.add([NewPattern(id: "ok", text: "fine", vector: vectors[1]), NewPattern(id: "nan", text: "y", vector: nan)])
        }
        #expect(throws: StoreError.emptyText(id: "blank")) { try store.add(NewPattern(id: "blank", text: "  \n", vector: vectors[0])) }
        #expect(throws: StoreError.self) { try store.add(NewPattern(id: "p1", text: "other", vector: vectors[1])) }
        #expect(throws: StoreError.self) { try store.add(NewPattern(id: "q", text: "t", quality: 2, vector: vectors[1])) }
        #expect(throws: StoreError.self) { try store.search(SearchRequest(query: .vector([1]), k: 3)) }
        #expect(throws: StoreError.self) { try store.search(SearchRequest(query: .vector(vectors[0]), k: 0)) }
        #expect(throws: StoreError.embedder(problem: "the store (\(space)) takes vectors only; pass a vector, or re-embed with a text embedder")) {
            try store.search(SearchRequest(query: .text("anything"), mode: .dense))
        }
        // Without an embedder a text is still matched by its words.
        #expect(try store.search(text: "anything").mode == .lexical)
        #expect(throws: StoreError.self) { try store.search(SearchRequest(query: .vector(vectors[0]), mode: .lexical)) }
        #expect(try store.count() == 5)
        #expect(throws: StoreError.unknownID("ok")) { try store.pattern(id: "ok") }
        #expect(try store.verify() == [])
    }

    /// A store open in one place is refused in another, and a closed store says so: each
    /// its own error, not a catch-all.
    @Test func anOpenStoreIsRefusedElsewhereAndAClosedOneSaysItIsClosed() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let store = try makeVectorStore(directory)
        #expect(throws: StoreError.alreadyOpen(path: directory, waited: 0.1)) {
            try PatternStore.open(at: directory, lockTimeout: 0.1)
        }
        try store.close()
        #expect(throws: StoreError.closed(path: directory)) { try store.count() }
        #expect(StoreError.closed(path: directory).description.contains("open it again"))
        let reopened = try PatternStore.open(at: directory, lockTimeout: 1)
        #expect(try reopened.count() == 0)
        try reopened.close()
    }

    @Test func filterExpressionsParseOrSayWhatIsWrong() throws {
        let filter = try PatternFilter(expression: "node_type=effect|compute, quality>=0.7, language=Python, tags=a+b, created>=2026-01-01")
        #expect(filter.nodeTypes == [.effect, .compute])
        #expect(filter.minQuality == 0.7)
        #expect(filter.languages == ["python"])
        #expect(filter.tagsAll == ["a", "b"])
        #expect(filter.createdAfter != nil)
        #expect(try PatternFilter(expression: "").isEmpty)
        #expect(try PatternFilter(expression: "tags!=env:prod|env:staging").tagsNone == ["env:prod", "env:staging"])
        for bad in ["tags!=a+b", "node_type=effekt", "quality>=high", "colour=red", "node_type", "quality>=0.5,,x=1", "created>yesterday", "domain>=x"] {
            let error = #expect(throws: StoreError.self) { try PatternFilter(expression: bad) }
            guard case let .invalidFilter(expression, problem) = error else {
                Issue.record("expected invalidFilter for \(bad), got \(String(describing: error))")
                continue
            }
            #expect(expression == bad)
            #expect(!problem.isEmpty)
        }
    }

    @Test func malformedJSONLNamesItsLineAndImportsNothing() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let store = try makeVectorStore(directory, dimension: 8)
        let file = directory + "/in.jsonl"
        let good = #"{"id": "a", "text": "def a(): pass", "vector": [1,0,0,0,0,0,0,0]}"#
        let cases: [(String, Int)] = [
            (good + "\n\n{not json}\n", 3),
            (good + "\n" + #"{"id": "b"}"#, 2),
            (good + "\n" + #"{"id": "c", "text": "x", "node_type": "gizmo"}"#, 2),
            (good + "\n" + #"{"id": "d", "text": "x", "quality": "high"}"#, 2),
            // A boolean is not a number (JSONSerialization on Linux would cast it to 1).
            (good + "\n" + #"{"id": "f", "text": "x", "quality": true}"#, 2),
            (good + "\n" + #"{"id": true, "text": "x"}"#, 2),
            (good + "\n" + #"[1, 2]"#, 2),
            (good + "\n" + #"{"id": "e", "text": "   ", "vector": [1,0,0,0,0,0,0,0]}"#, 2),
        ]
        for (contents, line) in cases {
            try contents.write(toFile: file, atomically: true, encoding: .utf8)
            let error = #expect(throws: StoreError.self) { try store.importJSONL(path: file) }
            guard case let .malformedLine(path, number, _) = error else {
                Issue.record("expected malformedLine, got \(String(describing: error))")
                continue
            }
            #expect(path == file)
            #expect(number == line)
            #expect(try store.count() == 0)
        }
    }

    @Test func orphanAndCorruptedSegmentsAtOpen() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 250, dimension: 32, seed: 12)
        do {
            let store = try makeVectorStore(directory) { $0.nearDuplicateSimilarity = nil }
            try store.add(samplePatterns(vectors))
            try store.close()
        }
        let segments = directory + "/segments"
        let orphan = segments + "/orphan.seg"
        try Data(repeating: 7, count: 1_000).write(to: URL(fileURLWithPath: orphan))
        do {
            let store = try PatternStore.open(at: directory)
            #expect(!FileManager.default.fileExists(atPath: orphan))
            #expect(try store.count() == 250)
            #expect(try store.stats().recentMaintenance.first?.operation == "orphans")
            try store.close()
        }
        let file = try FileManager.default.contentsOfDirectory(atPath: segments).first { $0.hasSuffix(".seg") }!
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: segments + "/" + file))
        try handle.truncate(atOffset: 100)
        try handle.close()
        let error = #expect(throws: StoreError.self) { try PatternStore.open(at: directory) }
        #expect(String(describing: error!).contains(file))
        #expect(throws: StoreError.self) { try PatternStore.open(at: directory + "/nothing-here") }
    }

    @Test func exportImportRoundTrip() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 60, dimension: 16, seed: 13)
        let source = try makeVectorStore(directory + "/a", dimension: 16) { $0.nearDuplicateSimilarity = nil }
        try source.add(samplePatterns(vectors))
        try source.recordUse(of: "p3", outcome: .success, quality: 0.8)
        #expect(try source.exportJSONL(to: directory + "/out.jsonl", vectorsPath: directory + "/out.fvecs") == 60)
        let target = try makeVectorStore(directory + "/b", dimension: 16) { $0.nearDuplicateSimilarity = nil }
        let report = try target.importJSONL(path: directory + "/out.jsonl", vectorsPath: directory + "/out.fvecs")
        #expect(report.added == 60)
        for id in ["p0", "p3", "p59"] {
            let a = try source.pattern(id: id), b = try target.pattern(id: id)
            #expect(a.text == b.text && a.tags == b.tags && a.nodeType == b.nodeType && a.quality == b.quality)
            #expect(a.usageCount == b.usageCount && a.successRate == b.successRate)
            #expect(a.source == b.source && abs(a.createdAt.timeIntervalSince(b.createdAt)) < 0.01)
            #expect(try source.vector(id: id) == target.vector(id: id))
        }
        let again = try target.importJSONL(path: directory + "/out.jsonl", vectorsPath: directory + "/out.fvecs")
        #expect(again.unchanged == 60)
        #expect(try target.count() == 60)
    }
}
