import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import StrataAnalytics
import StrataCatalog
import StrataGeneration
import StrataServer
import StrataStore
import StrataTestSupport
import Synchronization
import Testing

/// The one mapping of failures to HTTP (`ServerError+Mapping.swift`), and the failures that
/// come from outside a request: an upstream server, a catalog that breaks or cannot be reached.
@Suite struct ErrorMappingTests {
    @Test func everyLibraryErrorAnswersItsStatus() {
        let unavailable = CatalogError(.unavailable, "connection refused")
        let cases: [(any HTTPResponseError, HTTPResponse.Status)] = [
            (StoreError.dimensionMismatch(space: "x", got: 3), .badRequest),
            (StoreError.invalidFilter(expression: "q>>1", problem: "?"), .badRequest),
            (StoreError.unknownID("a"), .notFound),
            (StoreError.notMaintainer(operation: "compact"), .conflict),
            (StoreError.alreadyOpen(path: "/s", waited: 1), .serviceUnavailable),
            (StoreError.closed(path: "/s"), .serviceUnavailable),
            (StoreError.inconsistent(problem: "a row without its vector"), .internalServerError),
            (StoreError.embedder(problem: "the server answered 500"), .badGateway),
            (StoreError.catalog(unavailable), .serviceUnavailable),
            (StoreError.catalog(CatalogError(.statementFailed, "no such table")), .internalServerError),
            (CatalogError(.invalidLocation, "postgres:/x"), .badRequest),
            (AnalyticsError.insufficientData(what: "records", needed: 30, got: 3), .conflict),
            (AnalyticsError.catalog(unavailable), .serviceUnavailable),
            (AnalyticsError.store(.catalog(unavailable)), .serviceUnavailable),
            (AnalyticsError.unknown(kind: "model", name: "m", known: []), .badRequest),
            (GenerationError.provider(provider: "openai", problem: "the server answered 500 after 2 attempts"), .badGateway),
            (GenerationError.unclearPrompt(prompt: "do it", problem: "no node type"), .badRequest),
            (GenerationError.file(path: "/out", problem: "exists"), .conflict),
            (GenerationError.store(.catalog(unavailable)), .serviceUnavailable),
            (GenerationError.analytics(.linearAlgebra(routine: "dgelsd", info: 1, problem: "?")), .internalServerError),
            (ServerError.timedOut(seconds: 1), .serviceUnavailable),
        ]
        for (error, status) in cases {
            #expect(error.status == status, "\(error)")
        }
    }

    /// A store whose embedder is an HTTP embedding server that fails: searching by text and
    /// adding a pattern answer 502 and say which server failed.
    @Test func aFailingEmbeddingServerAnswers502() async throws {
        let upstream = LoopbackHTTPServer { _ in .init(status: 500, body: #"{"error":{"message":"overloaded"}}"#) }
        defer { upstream.stop() }
        let served = try ServedStore { folder in
            var configuration = StoreConfiguration()
            configuration.dimension = 8
            let embedder = try HTTPEmbedder(configuration: .init(
                endpoint: "http://127.0.0.1:\(upstream.port)", model: "test-embedder", dimension: 8, maxRetries: 0))
            return try PatternStore.create(
                at: folder, configuration: configuration, embedder: embedder,
                settings: .openAICompatible(endpoint: "http://127.0.0.1:\(upstream.port)", model: "test-embedder"))
        }
        try await served.test { client in
            try await client.execute(uri: "/v1/search", method: .post, body: body(["text": "parse a config file"])) { response in
                #expect(response.status == .badGateway)
                #expect(message(response).contains("embedder"), "\(message(response))")
                #expect(message(response).contains("500"), "\(message(response))")
            }
            try await client.execute(uri: "/v1/patterns", method: .post, body: body(["id": "a", "text": "def f(): pass"])) { response in
                #expect(response.status == .badGateway)
            }
        }
        #expect(upstream.requests.count == 2)
    }

    /// A collection whose catalog fails under a read: the point is neither "not found" nor
    /// left out of a retrieve; the answer is the catalog's failure, in Qdrant's envelope.
    @Test func aCatalogFailureOnQdrantIsNotAMissingPoint() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await QdrantTests.seed(client)
            let folder = try #require(try FileManager.default.contentsOfDirectory(atPath: served.folder + "/collections").first { $0.hasPrefix(".store-") })
            let database = try SQLiteDatabase(path: served.folder + "/collections/\(folder)/catalog.sqlite", create: false)
            try database.execute("ALTER TABLE patterns RENAME TO patterns_gone")
            database.close()
            try await client.execute(uri: "/collections/code/points/1", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(QdrantTests.qdrantError(response).contains("patterns"), "\(QdrantTests.qdrantError(response))")
            }
            try await client.execute(uri: "/collections/code/points", method: .post, body: body(["ids": [1, 2]])) { response in
                #expect(response.status == .internalServerError)
                #expect(json(response)["status"] is [String: Any])
            }
        }
    }

    /// A collection whose catalog cannot be opened answers 503: the service cannot serve it now.
    @Test func anUnreachableCatalogAnswers503() async throws {
        let served = try ServedStore()
        try FileManager.default.createDirectory(atPath: served.folder + "/collections/broken/catalog.sqlite", withIntermediateDirectories: true)
        try await served.test { client in
            try await client.execute(uri: "/collections/broken", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(QdrantTests.qdrantError(response).contains("broken"), "\(QdrantTests.qdrantError(response))")
            }
        }
    }

    /// An error no mapping knows is answered 500 in the API's envelope, saying what it was,
    /// and logged.
    @Test func anUnknownErrorIsALogged500() async throws {
        struct Surprise: Error {}
        let recorder = LogRecorder()
        let router = Router(context: StrataRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.get("boom") { _, _ -> Response in throw Surprise() }
        router.get("collections/boom") { _, _ -> Response in throw Surprise() }
        let app = Application(router: router, logger: Logger(label: "test") { _ in RecordingLogHandler(recorder: recorder) })
        try await app.test(.router) { client in
            try await client.execute(uri: "/boom", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(message(response).contains("Surprise"), "\(message(response))")
            }
            try await client.execute(uri: "/collections/boom", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(QdrantTests.qdrantError(response).contains("Surprise"), "\(QdrantTests.qdrantError(response))")
            }
        }
        let logged = recorder.lines.withLock { $0 }.filter { $0.hasPrefix("error unexpected error") }
        #expect(logged.count == 2, "\(logged)")
        #expect(logged.allSatisfy { $0.contains("Surprise") && $0.contains("boom") })
    }
}

/// Log lines, kept for a test to read.
final class LogRecorder: Sendable {
    let lines = Mutex<[String]>([])
}

struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        recorder.lines.withLock { $0.append("\(event.level) \(event.message) \(all.sorted { $0.key < $1.key })") }
    }
}
