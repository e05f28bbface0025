import Foundation
import StrataEmbedding
import Testing

/// The static embedder distilled from the sentence encoder: it keeps the encoder's sense of
/// meaning at lookup speed, learns the store's own words, and its state round-trips through
/// the catalog's bytes and refuses damage.
@Suite struct StaticEmbedderTests {
    /// Distilled once (the models folder caches it, as `strata init --embedder static` does:
    /// seconds the first time).
    static let vocabulary: StaticVocabulary = {
        do { return try StaticVocabulary.load(encoder: .init(modelFolder: EncoderFixtures.modelFolder), dimension: 256) } catch {
            fatalError("the static embedder tests need the model: \(error)")
        }
    }()

    static func embedder(state: [UInt8]? = nil) throws -> StaticEmbedder {
        try StaticEmbedder(vocabulary: vocabulary, encoder: .init(modelFolder: EncoderFixtures.modelFolder), state: state)
    }

    static let code = [
        "def write_rows_to_postgres(conn, rows):\n    with conn.cursor() as cursor:\n        cursor.executemany(INSERT_SQL, rows)\n",
        "def retry_with_backoff(call, attempts=5):\n    for attempt in range(attempts):\n        try:\n            return call()\n        except TransientError:\n            sleep(2 ** attempt)\n",
        "def parseJsonConfig(path):\n    with open(path) as handle:\n        return json.load(handle)\n",
        "def sha256_of_file(path):\n    digest = hashlib.sha256()\n    digest.update(open(path, 'rb').read())\n    return digest.hexdigest()\n",
    ]

    static func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    @Test func wordsFindTheCodeThatDoesWhatTheySay() throws {
        let embedder = try Self.embedder()
        #expect(embedder.identifier.hasPrefix("static:all-MiniLM-L6-v2/256@"))
        #expect(embedder.dimension == 256 && !embedder.isFitted)
        let queries = ["insert rows into a database table", "try again after waiting longer each time", "load settings from a json file", "compute a checksum of a file's contents"]
        let documents = try embedder.embed(Self.code)
        let asked = try embedder.embed(queries)
        let d = embedder.dimension
        for (index, _) in queries.enumerated() {
            let query = asked[index * d..<(index + 1) * d]
            let best = (0..<Self.code.count).max { Self.cosine(query, documents[$0 * d..<($0 + 1) * d]) < Self.cosine(query, documents[$1 * d..<($1 + 1) * d]) }
            #expect(best == index, "query \(index) found document \(best ?? -1)")
        }
    }

    @Test func vectorsAreUnitLengthDeterministicAndBatchIndependent() throws {
        let embedder = try Self.embedder()
        let texts = Self.code + ["+++ --- ***", "日本語のテキスト", "🚀🚀", "x"]
        let batch = try embedder.embed(texts)
        let d = embedder.dimension
        for (index, text) in texts.enumerated() {
            let row = batch[index * d..<(index + 1) * d]
            #expect(abs(row.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4, "\(text)")
            #expect(Array(row) == (try embedder.embed([text])), "the same alone as in a batch")
        }
        #expect(throws: EmbeddingError.emptyText(id: "#1")) { try embedder.embed(["x", " \n\t"]) }
        let huge = String(repeating: "def handle_request(self, request): return self.router.dispatch(request)\n", count: 150_000)
        let started = Date()
        #expect(try embedder.embed([huge]).count == d)
        #expect(Date().timeIntervalSince(started) < 20, "a 10 MB text is linear work")
    }

    @Test func fittingLearnsTheCorpusWordsAndRoundTrips() throws {
        let corpus = (0..<40).flatMap { _ in Self.code } + ["def executemany_batches(cursor): cursor.executemany(SQL, batches)"]
        let fitted = try Self.embedder().fitted(on: corpus)
        #expect(fitted.isFitted)
        let state = fitted.serializedState()
        let restored = try Self.embedder(state: state)
        #expect(restored.isFitted)
        #expect(try restored.embed(Self.code) == fitted.embed(Self.code), "the catalog's bytes give back the same embedder")
        #expect(try Self.embedder().fitted(on: corpus).serializedState() == state, "fitting is deterministic")
        // The fitted weights change the vectors: common words ("self", "path") weigh less.
        #expect(try fitted.embed([Self.code[2]]) != Self.embedder().embed([Self.code[2]]))
    }

    @Test func aDamagedOrForeignStateIsRefused() throws {
        let state = try Self.embedder().fitted(on: Self.code + Self.code + Self.code).serializedState()
        var flipped = state
        flipped[state.count / 2] ^= 0x10
        for bad in [Array(state.prefix(state.count - 9)), flipped, [], Array("not a state".utf8)] {
            #expect(throws: EmbeddingError.self) { try Self.embedder(state: bad) }
        }
        let error = #expect(throws: EmbeddingError.self) { try Self.embedder(state: Array(state.prefix(state.count - 1))) }
        #expect(error.map { String(describing: $0) }?.contains("strata reembed") == false)
        #expect(error.map { String(describing: $0) }?.contains("checksum") == true)
    }

    @Test func distillationIsDeterministicAndCachedBesideTheModel() throws {
        _ = Self.vocabulary  // the default folder's cache exists from here on
        let parent = NSTemporaryDirectory() + "strata-models-\(UUID().uuidString)"
        let copy = parent + "/all-MiniLM-L6-v2"
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: EncoderFixtures.modelFolder) where !file.hasPrefix("strata-static") {
            try FileManager.default.createSymbolicLink(atPath: copy + "/" + file, withDestinationPath: EncoderFixtures.modelFolder + "/" + file)
        }
        let distilled = try StaticVocabulary.load(encoder: .init(modelFolder: copy), dimension: 256)
        #expect(distilled.pieceCount == Self.vocabulary.pieceCount && distilled.modelChecksum == Self.vocabulary.modelChecksum)
        let written = try Data(contentsOf: URL(fileURLWithPath: copy + "/strata-static-256.bin"))
        let cached = try Data(contentsOf: URL(fileURLWithPath: EncoderFixtures.modelFolder + "/strata-static-256.bin"))
        // Compared as a flag: a failed `==` on two 30 MB values would make Testing diff them
        // byte by byte for as long as the suite lasts.
        let same = written == cached
        #expect(same, "the same model distils to the same bytes")
        // A damaged cache is distilled anew, not trusted.
        var damaged = written
        damaged[damaged.count / 2] ^= 0x01
        try damaged.write(to: URL(fileURLWithPath: copy + "/strata-static-256.bin"))
        _ = try StaticVocabulary.load(encoder: .init(modelFolder: copy), dimension: 256)
        let redistilled = try Data(contentsOf: URL(fileURLWithPath: copy + "/strata-static-256.bin")) == cached
        #expect(redistilled)
    }

    @Test func aMissingModelSaysHowToGetIt() {
        #expect(throws: EmbeddingError.self) {
            try StaticVocabulary.load(encoder: .init(modelFolder: "/nonexistent/all-MiniLM-L6-v2"))
        }
    }
}
