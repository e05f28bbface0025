import Foundation
import StrataStore
import Testing
import StrataTestSupport

/// Two replicas of one shared store (one PostgreSQL schema, one segment folder) in this
/// process: writes through one are found through the other, maintenance runs on one at a
/// time, and the lock moves when its holder goes. The separate-process cases (SIGKILL) are
/// in strataTests' ReplicaProcessTests.
@Suite(.enabled(if: CatalogBackend.postgresURL != nil, "needs STRATA_TEST_POSTGRES (make test starts a server)"))
struct PatternStoreReplicationTests {
    /// Polls `condition` every 20 ms for up to `seconds`; returns the seconds it took, or nil.
    static func waitUntil(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if try condition() { return Date().timeIntervalSince(start) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    static func found(_ store: PatternStore, _ id: String, _ vector: [Float]) throws -> Bool {
        try store.search(SearchRequest(query: .vector(vector), k: 1)).hits.first?.pattern.id == id
    }

    @Test func aWriteThroughOneReplicaIsFoundThroughTheOtherWithinASecond() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 40, dimension: 32, seed: 71)
        try makeVectorStore(directory, backend: .postgres).close()
        let first = try PatternStore.open(at: directory, follow: true)
        defer { try? first.close() }
        let second = try PatternStore.open(at: directory, follow: true)
        defer { try? second.close() }

        try first.add(Array(samplePatterns(vectors)[0..<20]))
        let seen = try Self.waitUntil(5) { try Self.found(second, "p7", vectors[7]) && second.count() == 20 }
        #expect(seen != nil && seen! < 1, "took \(seen.map { String($0) } ?? "over 5") s")

        // The other way, a metadata change, and a delete.
        try second.add(Array(samplePatterns(vectors)[20..<40]))
        try second.recordUse(of: "p3", quality: 0.99)
        try second.delete(id: "p5")
        let followed = try Self.waitUntil(5) {
            try Self.found(first, "p30", vectors[30]) && first.pattern(id: "p3").quality == 0.99
                && (try first.search(SearchRequest(query: .vector(vectors[5]), k: 40)).hits.allSatisfy { $0.pattern.id != "p5" })
        }
        #expect(followed != nil && followed! < 1)
        let filter = try PatternFilter(expression: "quality>=0.99")
        #expect(try first.search(SearchRequest(query: .vector(vectors[3]), k: 5, filter: filter)).hits.map(\.pattern.id) == ["p3"])
        let status = try #require(first.replicationStatus)
        #expect(status.isCaughtUp() && status.lagSeconds.map { $0 < 1 } == true)
        #expect(try first.verify() == [] && second.verify() == [])
    }

    @Test func replicasFollowAReembedWithoutARestart() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        var configuration = StoreConfiguration()
        configuration.dimension = 48
        configuration.nearDuplicateSimilarity = nil
        try PatternStore.create(
            at: directory, catalog: CatalogBackend.postgres.storeCatalog(), configuration: configuration,
            embedder: CodeEmbedder(dimension: 48), settings: .builtin).close()
        let replica = try PatternStore.open(at: directory, follow: true)
        defer { try? replica.close() }
        try replica.add([
            NewPattern(id: "writer", text: "def write_rows_to_postgres(conn, rows):\n    conn.executemany(INSERT_SQL, rows)\n"),
            NewPattern(id: "parser", text: "def parse_json_config(path):\n    return json.load(open(path))\n"),
        ])
        #expect(replica.space.dimension == 48)
        // Another process re-embeds the shared store into 64 dimensions.
        let report = try PatternStore.reembed(at: directory, embedder: CodeEmbedder(dimension: 64), settings: .builtin)
        #expect(report.dimension == 64)
        // A search that embedded its text just before the switch and reads the tiers just after
        // is refused by the dimension check; the loop asks again.
        let followed = Self.waitUntil(5) {
            replica.space.dimension == 64 && (try? replica.search(text: "write rows to postgres", k: 1))?.hits.first?.pattern.id == "writer"
        }
        #expect(followed != nil, "the replica searches the new space with the new embedder, unrestarted")
        #expect(replica.configuration.dimension == 64)
        #expect(try replica.embed(["parse a config"]).count == 64)
        try replica.add(NewPattern(id: "hasher", text: "def sha256_of_file(path):\n    return hashlib.sha256(open(path, 'rb').read()).hexdigest()\n"))
        #expect(try replica.search(text: "sha256 of a file", k: 1).hits.first?.pattern.id == "hasher")
    }

    @Test func oneReplicaMaintainsAndTheOthersFollowItsSegments() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 120, dimension: 32, seed: 72)
        try makeVectorStore(directory, backend: .postgres) { $0.flushThreshold = 60 }.close()
        let first = try PatternStore.open(at: directory, follow: true)
        let second = try PatternStore.open(at: directory, follow: true)
        defer { try? second.close() }
        #expect(try Self.waitUntil(5) { first.replicationStatus?.isMaintainer == true || second.replicationStatus?.isMaintainer == true } != nil)
        let (maintainer, follower) = first.replicationStatus?.isMaintainer == true ? (first, second) : (second, first)
        #expect(follower.replicationStatus?.isMaintainer == false)
        #expect(throws: StoreError.self) { try follower.flush() }

        // The follower writes past the threshold; the maintainer flushes; both see the segment.
        try follower.add(samplePatterns(vectors))
        let moved = try Self.waitUntil(10) { try follower.stats().cold == 120 && maintainer.stats().cold == 120 }
        #expect(moved != nil)
        #expect(try Self.found(follower, "p42", vectors[42]))
        let segments = try FileManager.default.contentsOfDirectory(atPath: directory + "/segments").sorted()
        #expect(segments.count == 2 && segments[0].count == 64 + 4 && segments[1] == segments[0] + ".bm25", "named by SHA-256, with its lexical index: \(segments)")

        // A half-written segment the maintainer left is never referenced, and goes.
        try Data("half a segment".utf8).write(to: URL(fileURLWithPath: directory + "/segments/writing-dead.seg"))
        try maintainer.close()
        let tookOver = Self.waitUntil(10) { follower.replicationStatus?.isMaintainer == true }
        #expect(tookOver != nil && tookOver! < 5)
        #expect(!FileManager.default.fileExists(atPath: directory + "/segments/writing-dead.seg"))
        try follower.delete(id: "p1")
        try follower.compact(force: true)
        #expect(try follower.verify() == [])
        #expect(try follower.count() == 119)
    }
}
