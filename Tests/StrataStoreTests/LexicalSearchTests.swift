import Foundation
import StrataStore
import StrataTestSupport
import Testing

/// The lexical leg of the store: BM25 over the patterns' texts in both tiers, kept in step
/// with every write, rebuilt when its file is missing or damaged, fused with the dense leg.
@Suite struct LexicalSearchTests {
    /// Code whose words a prose query can meet: each pattern says what it does only in its
    /// identifiers.
    static let code: [(id: String, text: String)] = [
        ("writer", "def write_rows_to_postgres(conn, rows):\n    with conn.cursor() as cursor:\n        cursor.executemany(INSERT_SQL, rows)\n"),
        ("retry", "def retry_with_backoff(call, attempts=5):\n    for attempt in range(attempts):\n        try:\n            return call()\n        except TransientError:\n            sleep(2 ** attempt)\n"),
        ("parser", "def parseJsonConfig(path):\n    with open(path) as handle:\n        return json.load(handle)\n"),
        ("server", "class HTTPServerSettings:\n    port: int = 8080\n    host: str = '0.0.0.0'\n"),
        ("hasher", "def sha256_of_file(path):\n    digest = hashlib.sha256()\n    digest.update(open(path, 'rb').read())\n    return digest.hexdigest()\n"),
    ]

    static func patterns(_ vectors: [[Float]]) -> [NewPattern] {
        code.enumerated().map { index, item in
            NewPattern(id: item.id, text: item.text, language: "python", tags: index % 2 == 0 ? ["io"] : ["pure"], vector: vectors[index])
        }
    }

    static func lexicalTop(_ store: PatternStore, _ text: String, k: Int = 3, filter: PatternFilter = PatternFilter()) throws -> [String] {
        try store.search(SearchRequest(query: .text(text), k: k, filter: filter, mode: .lexical)).hits.map(\.pattern.id)
    }

    @Test(arguments: CatalogBackend.available)
    func wordsFindTheCodeNamedForThemInEitherTier(backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let store = try makeVectorStore(directory, backend: backend)
        defer { try? store.close() }
        try store.add(Self.patterns(clusteredVectors(count: 5, dimension: 32, seed: 3)))
        let queries = ["write rows to postgres", "retry a call with backoff", "parse the JSON config", "HTTP server settings", "SHA-256 digest of a file"]
        let hot = try queries.map { try Self.lexicalTop(store, $0, k: 1) }
        #expect(hot == [["writer"], ["retry"], ["parser"], ["server"], ["hasher"]])
        let scores = try store.search(SearchRequest(query: .text(queries[0]), k: 5, mode: .lexical)).hits.map(\.score)
        try store.flush()
        #expect(try store.stats().hot == 0)
        #expect(try queries.map { try Self.lexicalTop(store, $0, k: 1) } == hot)
        let coldScores = try store.search(SearchRequest(query: .text(queries[0]), k: 5, mode: .lexical)).hits.map(\.score)
        #expect(zip(scores, coldScores).allSatisfy { abs($0 - $1) < 1e-5 }, "a pattern scores the same in either tier")
        var pure = PatternFilter()
        pure.tagsAny = ["pure"]
        #expect(try Self.lexicalTop(store, "postgres", filter: pure).isEmpty, "the filter applies to the lexical leg")
        #expect(try Self.lexicalTop(store, "retry", filter: pure) == ["retry"])
        #expect(try Self.lexicalTop(store, "the of and to").count <= 3, "stop words only: a defined answer, never a failure")
        #expect(try Self.lexicalTop(store, "zyxwvut qqqq").isEmpty)
        #expect(try Self.lexicalTop(store, "日本語のテキスト 🚀").isEmpty)
    }

    @Test func theLexicalIndexFollowsEveryWrite() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let store = try makeVectorStore(directory)
        let vectors = clusteredVectors(count: 8, dimension: 32, seed: 4)
        try store.add(Self.patterns(vectors))
        try store.delete(id: "retry")
        #expect(try !Self.lexicalTop(store, "retry backoff").contains("retry"))
        try store.add([NewPattern(id: "parser", text: "def load_yaml_settings(path):\n    return yaml.safe_load(open(path))\n", vector: vectors[2])], existing: .replace)
        #expect(try Self.lexicalTop(store, "load yaml settings", k: 1) == ["parser"])
        #expect(try !Self.lexicalTop(store, "parse json config").contains("parser"), "the old text is forgotten")
        try store.flush()
        try store.delete(id: "hasher")
        #expect(try !Self.lexicalTop(store, "sha256 digest").contains("hasher"), "a cold pattern deleted is skipped")
        try store.add([NewPattern(id: "late", text: "def sha256_digest_of_bytes(data):\n    return hashlib.sha256(data).hexdigest()\n", vector: vectors[6])])
        #expect(try Self.lexicalTop(store, "sha256 digest", k: 1) == ["late"])
        try store.flush()
        _ = try store.compact(force: true)
        #expect(try Self.lexicalTop(store, "sha256 digest", k: 1) == ["late"])
        #expect(try Self.lexicalTop(store, "write rows postgres", k: 1) == ["writer"])
        try store.close()
        let reopened = try PatternStore.open(at: directory)
        defer { try? reopened.close() }
        #expect(try Self.lexicalTop(reopened, "load yaml settings", k: 1) == ["parser"])
        #expect(try Self.lexicalTop(reopened, "write rows postgres", k: 1) == ["writer"])
    }

    @Test func aMissingOrDamagedLexicalFileIsRebuiltFromTheCatalog() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        do {
            let store = try makeVectorStore(directory)
            try store.add(Self.patterns(clusteredVectors(count: 5, dimension: 32, seed: 5)))
            try store.flush()
            try store.close()
        }
        let segments = directory + "/segments"
        let lexical = try #require(try FileManager.default.contentsOfDirectory(atPath: segments).first { $0.hasSuffix(".bm25") })
        let original = try Data(contentsOf: URL(fileURLWithPath: segments + "/" + lexical))
        try FileManager.default.removeItem(atPath: segments + "/" + lexical)
        do {
            let store = try PatternStore.open(at: directory)
            #expect(try Self.lexicalTop(store, "write rows postgres", k: 1) == ["writer"])
            try store.close()
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: segments + "/" + lexical)) == original, "rebuilt byte for byte")
        var damaged = original
        damaged[damaged.count / 2] ^= 0xFF
        try damaged.write(to: URL(fileURLWithPath: segments + "/" + lexical))
        let store = try PatternStore.open(at: directory)
        defer { try? store.close() }
        #expect(try Self.lexicalTop(store, "retry with backoff", k: 1) == ["retry"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: segments + "/" + lexical)) == original)
    }

    @Test func wordsOfTheNameCountMoreThanTheSameWordsInTheBody() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let store = try makeVectorStore(directory)
        defer { try? store.close() }
        let vectors = clusteredVectors(count: 2, dimension: 32, seed: 8)
        // The same words, once each: only the name tells them apart.
        try store.add([
            NewPattern(id: "body", text: "def run(items):\n    # checksum of the manifest\n    return items\n", name: "run", vector: vectors[0]),
            NewPattern(id: "named", text: "def manifest_checksum(items):\n    # run over the items\n    return items\n", name: "manifest_checksum", vector: vectors[1]),
        ])
        #expect(try Self.lexicalTop(store, "manifest checksum") == ["named", "body"])
        try store.flush()
        #expect(try Self.lexicalTop(store, "manifest checksum") == ["named", "body"], "the cold tier's index weighs the name alike")
    }

    @Test func wordsSideBySideRankAboveTheSameWordsApart() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let store = try makeVectorStore(directory)
        defer { try? store.close() }
        let vectors = clusteredVectors(count: 3, dimension: 32, seed: 9)
        // The same words, as often, in texts as long: only their order differs. The apart one
        // is added first, so that a tie would put it first.
        try store.add([
            NewPattern(id: "apart", text: "def sync(batch):\n    rows = batch.write()\n", name: "sync", vector: vectors[0]),
            NewPattern(id: "together", text: "def sync(batch):\n    batch.write(rows)\n", name: "sync", vector: vectors[1]),
            NewPattern(id: "other", text: "def load(path):\n    return open(path).read()\n", name: "load", vector: vectors[2]),
        ])
        #expect(try Self.lexicalTop(store, "write rows", k: 2) == ["together", "apart"])
        try store.flush()
        #expect(try Self.lexicalTop(store, "write rows", k: 2) == ["together", "apart"], "the cold tier's index holds the phrases too")
    }

    @Test func hybridFusesWhatEitherLegFinds() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        var configuration = StoreConfiguration()
        configuration.dimension = 64
        configuration.nearDuplicateSimilarity = nil
        let store = try PatternStore.create(at: directory, configuration: configuration, embedder: WordHashEmbedder(dimension: 64), settings: .external(identifier: "test-words"))
        defer { try? store.close() }
        try store.add(Self.code.map { NewPattern(id: $0.id, text: $0.text) })
        // The word embedder keeps `parseJsonConfig` whole, so only the lexical leg sees its
        // words; hybrid (the default for a text) still ranks it first.
        for fusion in FusionMethod.allCases {
            let hybrid = try store.search(SearchRequest(query: .text("json parse config"), k: 5, fusion: fusion))
            #expect(hybrid.mode == .hybrid)
            #expect(hybrid.hits.first?.pattern.id == "parser", "\(fusion)")
            #expect(hybrid.hits.count == 5, "the dense leg's candidates are fused in too")
            #expect(zip(hybrid.hits, hybrid.hits.dropFirst()).allSatisfy { $0.score >= $1.score })
        }
        let dense = try store.search(SearchRequest(query: .text("json parse config"), k: 5, mode: .dense))
        #expect(dense.mode == .dense && dense.hits.allSatisfy { $0.score == $0.similarity })
        let lexical = try store.search(SearchRequest(query: .text("json parse config"), k: 5, mode: .lexical))
        #expect(lexical.hits.map(\.pattern.id) == ["parser"])
        #expect(lexical.hits.allSatisfy { $0.similarity == 0 }, "no query vector, no similarity")
        #expect(throws: StoreError.self) { try store.search(SearchRequest(query: .vector([Float](repeating: 0.1, count: 64)), mode: .hybrid)) }
    }
}
