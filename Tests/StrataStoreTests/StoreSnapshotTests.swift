import Foundation
import StrataStore
import StrataTestSupport
import Synchronization
import Testing

/// Snapshots: one archive per point in time, taken while the store is written, restored into
/// a new folder whole or not at all.
@Suite struct StoreSnapshotTests {
    /// A store with a segment and hot patterns; its folder and the vectors added.
    static func filledStore(_ directory: String) throws -> (PatternStore, [[Float]]) {
        let store = try makeVectorStore(directory + "/store")
        let vectors = clusteredVectors(count: 340, dimension: 32, seed: 7)
        _ = try store.add(Array(samplePatterns(Array(vectors.prefix(300)))))
        _ = try store.flush()
        _ = try store.add(samplePatterns(Array(vectors.suffix(40)), prefix: "hot"))
        return (store, vectors)
    }

    @Test func aSnapshotRestoresToTheSameStore() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let (store, vectors) = try Self.filledStore(directory)
        defer { try? store.close() }
        let summary = try StoreSnapshot.create(ofStore: directory + "/store", to: directory + "/snap.strata")
        #expect(summary.patterns == 340)
        #expect(summary.manifest.files.first?.name == "catalog.sqlite")
        #expect(summary.manifest.files.contains { $0.name.hasPrefix("segments/") && $0.name.hasSuffix(".seg") })
        #expect(summary.bytes > summary.manifest.bytes, "the archive holds every file and its manifest")
        #expect(try StoreSnapshot.manifest(of: directory + "/snap.strata") == summary.manifest)

        let restored = try StoreSnapshot.restore(directory + "/snap.strata", into: directory + "/restored")
        #expect(restored.patterns == 340 && restored.bytes == summary.manifest.bytes)
        let copy = try PatternStore.open(at: directory + "/restored")
        defer { try? copy.close() }
        #expect(try copy.verify().isEmpty)
        #expect(try copy.count() == 340)
        for query in vectors.prefix(12) {
            let request = SearchRequest(query: .vector(query), k: 10)
            #expect(try copy.search(request).hits.map(\.pattern.id) == (try store.search(request)).hits.map(\.pattern.id))
        }
    }

    @Test func aSnapshotTakenWhileAWriterAddsHasEveryPatternAcknowledgedBefore() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let (store, _) = try Self.filledStore(directory)
        defer { try? store.close() }
        let vectors = clusteredVectors(count: 400, dimension: 32, seed: 11)
        let acknowledged = Mutex<[String]>([])
        let stop = Atomic<Bool>(false)
        let writer = Thread {
            for (index, pattern) in samplePatterns(vectors, prefix: "live").enumerated() where !stop.load(ordering: .relaxed) {
                guard (try? store.add(pattern)) != nil else { continue }
                acknowledged.withLock { $0.append("live\(index)") }
            }
        }
        writer.start()
        while acknowledged.withLock({ $0.count }) < 50 { usleep(1_000) }
        let before = Set(acknowledged.withLock { $0 })
        let summary = try StoreSnapshot.create(ofStore: directory + "/store", to: directory + "/snap.strata")
        let after = Set(acknowledged.withLock { $0 })
        stop.store(true, ordering: .relaxed)
        while !writer.isFinished { usleep(1_000) }
        _ = try StoreSnapshot.restore(directory + "/snap.strata", into: directory + "/restored")
        let copy = try PatternStore.open(at: directory + "/restored")
        defer { try? copy.close() }
        #expect(try copy.verify().isEmpty)
        for id in before { #expect((try? copy.pattern(id: id)) != nil, "\(id) was acknowledged before the snapshot began") }
        // Nothing acknowledged after it ended is in it, and it counts what it holds.
        let held = try copy.count()
        #expect(held == summary.patterns && held >= 340 + before.count && held <= 340 + after.count)
    }

    @Test(.enabled(if: CatalogBackend.postgresURL != nil, "needs STRATA_TEST_POSTGRES (make test starts a server)"))
    func aSharedStoreIsCopiedOutOfOneTransactionAndRestoresEmbedded() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let store = try makeVectorStore(directory + "/store", backend: .postgres)
        defer { try? store.close() }
        let vectors = clusteredVectors(count: 300, dimension: 32, seed: 5)
        _ = try store.add(samplePatterns(vectors))
        _ = try store.flush()
        // A deleted pattern of a segment stays deleted in the copy, and a new one is not taken for it.
        try store.delete(id: "p299")
        let summary = try StoreSnapshot.create(ofStore: directory + "/store", to: directory + "/snap.strata")
        #expect(summary.patterns == 299 && summary.manifest.files.first?.name == "catalog.sqlite")

        _ = try StoreSnapshot.restore(directory + "/snap.strata", into: directory + "/restored")
        #expect(try PatternStore.catalogLocation(of: directory + "/restored")?.isShared == false)
        let copy = try PatternStore.open(at: directory + "/restored")
        defer { try? copy.close() }
        #expect(try copy.verify().isEmpty && copy.count() == 299)
        for query in vectors.prefix(10) {
            let request = SearchRequest(query: .vector(query), k: 5)
            #expect(try copy.search(request).hits.map(\.pattern.id) == (try store.search(request)).hits.map(\.pattern.id))
        }
        let fresh = clusteredVectors(count: 1, dimension: 32, seed: 99)[0]
        _ = try copy.add(samplePatterns([fresh], prefix: "fresh"))
        #expect(try copy.search(SearchRequest(query: .vector(fresh), k: 1)).hits.first?.pattern.id == "fresh0")
        #expect(try copy.search(SearchRequest(query: .vector(vectors[299]), k: 3)).hits.allSatisfy { $0.pattern.id != "fresh0" })
    }

    @Test func aDamagedOrTruncatedArchiveIsRefusedAndLeavesNothing() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let (store, _) = try Self.filledStore(directory)
        try store.close()
        let archive = directory + "/snap.strata"
        let summary = try StoreSnapshot.create(ofStore: directory + "/store", to: archive)
        let original = try Data(contentsOf: URL(fileURLWithPath: archive))
        func refused(_ bytes: Data, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let damaged = directory + "/damaged-\(UUID().uuidString.prefix(6)).strata"
            try bytes.write(to: URL(fileURLWithPath: damaged))
            let error = try #require(throws: StoreError.self, sourceLocation: sourceLocation) { try StoreSnapshot.restore(damaged, into: directory + "/restored") }
            #expect("\(error)".contains(expected), "\(error)", sourceLocation: sourceLocation)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).allSatisfy { !$0.contains("restor") }, "nothing left behind", sourceLocation: sourceLocation)
        }
        // A byte flipped inside the last segment's bytes.
        var flipped = original
        flipped[original.count - 100] ^= 0x40
        try refused(flipped, "\(summary.manifest.files.last!.name) does not match its checksum")
        try refused(original.prefix(original.count - 5000), "is truncated")
        try refused(original.prefix(original.count - 3), "is truncated")
        try refused(original.prefix(30), "is truncated")
        try refused(Data("PK\u{3}\u{4} not a snapshot".utf8), "is not a Strata snapshot")
        var manifest = original
        manifest[40] ^= 0x01
        try refused(manifest, "manifest")
        // The target must be new; so must the archive.
        try FileManager.default.createDirectory(atPath: directory + "/taken", withIntermediateDirectories: true)
        #expect(throws: StoreError.self) { try StoreSnapshot.restore(archive, into: directory + "/taken") }
        #expect(throws: StoreError.self) { try StoreSnapshot.create(ofStore: directory + "/store", to: archive) }
        #expect(throws: StoreError.self) { try StoreSnapshot.create(ofStore: directory + "/nothing-here", to: directory + "/other.strata") }
    }
}
