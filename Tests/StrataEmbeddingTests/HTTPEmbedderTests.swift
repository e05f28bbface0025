import Foundation
import StrataEmbedding
import StrataTestSupport
import Testing

// Every test runs its own LoopbackHTTPServer that speaks the OpenAI embeddings API, scripted
// to fail in the way under test. Backoff delays are milliseconds so the file runs in ~1 s.

private let dimension = 8
private let space = "openai:test-model, 8 dimensions"

/// The server's raw vector for a text: small integers, exact in JSON, Double and Float, so
/// the test and the client normalize the very same numbers. Never zero (component 0 ≥ 1).
private func rawVector(_ text: String, dimension: Int = dimension) -> [Double] {
    var hash: UInt64 = 14_695_981_039_346_656_037
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
    var vector = [Double(text.utf8.count % 5 + 1)]
    for j in 1..<dimension {
        let bits = Int((hash >> UInt64(j * 7)) % 19)
        vector.append(Double(bits - 9))
    }
    return vector
}

private func unitVector(_ text: String) -> [Float] {
    let raw = rawVector(text).map(Float.init)
    let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return raw.map { $0 / norm }
}

private func sampleTexts(_ count: Int) -> [String] {
    (0..<count).map { "func f\($0)() -> Int { \($0 * $0) }" }
}

/// An OpenAI embeddings answer for the request's inputs, in reverse order (the client must
/// sort by `index`); `vector` may doctor what each text gets.
private func embeddings(
    _ request: LoopbackHTTPServer.Request,
    vector: (String) -> [Double] = { rawVector($0) },
    dropLast: Bool = false
) -> LoopbackHTTPServer.Response {
    var inputs = request.json?["input"] as? [String] ?? []
    if dropLast { inputs.removeLast() }
    let items = inputs.enumerated().reversed().map { index, text in
        let numbers = vector(text).map { "\($0)" }.joined(separator: ",")
        return #"{"object":"embedding","index":\#(index),"embedding":[\#(numbers)]}"#
    }
    return .init(status: 200, body: #"{"object":"list","model":"test-model","data":[\#(items.joined(separator: ","))]}"#)
}

private func configuration(port: UInt16, _ change: (inout HTTPEmbedder.Configuration) -> Void = { _ in }) -> HTTPEmbedder.Configuration {
    var configuration = HTTPEmbedder.Configuration(
        endpoint: "http://127.0.0.1:\(port)", model: "test-model", dimension: dimension,
        requestTimeout: .seconds(3), connectTimeout: .seconds(1),
        retryBaseDelay: .milliseconds(5), maxRetryDelay: .milliseconds(50))
    change(&configuration)
    return configuration
}

/// The embedder's error, or a test failure when it did not throw.
private func embedderError(_ embedder: HTTPEmbedder, _ texts: [String]) -> EmbeddingError? {
    do {
        _ = try embedder.embed(texts)
        Issue.record("embed succeeded but should have failed")
        return nil
    } catch {
        return error
    }
}

private func problem(_ error: EmbeddingError?) -> String {
    guard case let .service(problem) = error else { return "not an embedder error: \(String(describing: error))" }
    return problem
}

private func expectClose(_ got: [Float], _ texts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    let expected = texts.flatMap(unitVector)
    #expect(got.count == expected.count, sourceLocation: sourceLocation)
    let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? 0
    #expect(worst < 1e-6, "largest difference \(worst)", sourceLocation: sourceLocation)
}

// MARK: - Success

@Test func embedsInBatchesAndInInputOrder() throws {
    let server = LoopbackHTTPServer { embeddings($0) }
    defer { server.stop() }
    let embedder = try HTTPEmbedder(configuration: configuration(port: server.port) {
        $0.apiKey = "sk-test"
        $0.batchSize = 64
    })
    #expect(embedder.identifier == "openai:test-model")
    #expect(embedder.dimension == dimension)

    let texts = sampleTexts(150)
    expectClose(try embedder.embed(texts), texts)

    let requests = server.requests
    #expect(requests.count == 3)
    #expect(requests.map { ($0.json?["input"] as? [String])?.count } == [64, 64, 22])
    for request in requests {
        #expect(request.method == "POST")
        #expect(request.path == "/v1/embeddings")
        #expect(request.headers["authorization"] == "Bearer sk-test")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.json?["model"] as? String == "test-model")
    }
    #expect(try embedder.embed([]).isEmpty)
    #expect(server.requests.count == 3)
}

@Test func learnsTheDimensionWhenNoneIsConfigured() throws {
    let server = LoopbackHTTPServer { embeddings($0) }
    defer { server.stop() }
    let embedder = try HTTPEmbedder(configuration: configuration(port: server.port) { $0.dimension = nil })
    #expect(embedder.dimension == dimension)
    #expect(embedder.configuration.dimension == dimension)
    #expect(server.requests.count == 1)
    #expect(server.requests.first?.headers["authorization"] == nil)
}

@Test func callsFromSeveralThreadsEachGetTheirOwnVectors() throws {
    let server = LoopbackHTTPServer { embeddings($0) }
    defer { server.stop() }
    let embedder = try HTTPEmbedder(configuration: configuration(port: server.port) { $0.batchSize = 5 })
    let batches = (0..<4).map { thread in sampleTexts(12).map { "\(thread): \($0)" } }
    let results = ResultSlots(count: batches.count)
    DispatchQueue.concurrentPerform(iterations: batches.count) { i in
        results.set(i, try? embedder.embed(batches[i]))
    }
    for (i, texts) in batches.enumerated() {
        expectClose(results.get(i) ?? [], texts)
    }
    #expect(server.requests.count == 4 * 3)
}

/// Results written from concurrent workers.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [[Float]?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: [Float]?) { lock.withLock { values[i] = value } }
    func get(_ i: Int) -> [Float]? { lock.withLock { values[i] } }
}

// MARK: - Retries

@Test(arguments: [429, 503, 500])
func retriesTransientStatusesThenSucceeds(status: Int) throws {
    let server = LoopbackHTTPServer { request in
        request.number < 2
            ? .init(status: status, headers: ["Retry-After": "0"], body: #"{"error":{"message":"busy"}}"#)
            : embeddings(request)
    }
    defer { server.stop() }
    let embedder = try HTTPEmbedder(configuration: configuration(port: server.port) { $0.maxRetries = 3 })
    let texts = sampleTexts(3)
    expectClose(try embedder.embed(texts), texts)
    #expect(server.requests.count == 3)
}

@Test func givesUpAfterMaxRetriesNamingTheStatus() throws {
    let server = LoopbackHTTPServer { _ in
        .init(status: 429, headers: ["Retry-After": "0"], body: #"{"error":{"message":"Rate limit reached","type":"requests"}}"#)
    }
    defer { server.stop() }
    let embedder = try HTTPEmbedder(configuration: configuration(port: server.port) { $0.maxRetries = 2 })
    let message = problem(embedderError(embedder, ["a"]))
    #expect(server.requests.count == 3)
    #expect(message.contains("429"))
    #expect(message.contains("Rate limit reached"))
    #expect(message.contains("3 attempts"))
    #expect(message.contains("maxRetries"))
}

@Test func capsTheServersRetryAfter() throws {
    let server = LoopbackHTTPServer { request in
        request.number == 0 ? .init(status: 503, headers: ["Retry-After": "3600"], body: "overloaded") : embeddings(request)
    }
    defer { server.stop() }
    let embedder = try HTTPEmbedder(configuration: configuration(port: server.port))
    let started = ContinuousClock.now
    expectClose(try embedder.embed(["x"]), ["x"])
    #expect(ContinuousClock.now - started < .seconds(2))
    #expect(server.requests.count == 2)
}

@Test func unauthorizedFailsAtOnceWithTheServersMessage() throws {
    let server = LoopbackHTTPServer { _ in
        .init(status: 401, body: #"{"error":{"message":"Incorrect API key provided: sk-wrong","type":"invalid_request_error","code":"invalid_api_key"}}"#)
    }
    defer { server.stop() }
    let embedder = try HTTPEmbedder(configuration: configuration(port: server.port) {
        $0.apiKey = "sk-wrong"
        $0.maxRetries = 3
    })
    let message = problem(embedderError(embedder, ["a"]))
    #expect(server.requests.count == 1)
    #expect(message.contains("answered 401: Incorrect API key provided"))
    #expect(message.contains("127.0.0.1:\(server.port)/v1/embeddings"))
    #expect(message.contains("HTTPEmbedder.Configuration.apiKey"))
}

@Test func otherClientErrorsAreFinalToo() throws {
    let server = LoopbackHTTPServer { _ in .init(status: 404, body: #"{"error":"model \"test-model\" not found, try pulling it first"}"#) }
    defer { server.stop() }
    let embedder = try HTTPEmbedder(configuration: configuration(port: server.port))
    let message = problem(embedderError(embedder, ["a"]))
    #expect(server.requests.count == 1)
    #expect(message.contains("404: model \"test-model\" not found"))
    #expect(message.contains("endpoint"))
}

// MARK: - Transport failures

@Test func timesOutWithinTheRequestTimeout() throws {
    let server = LoopbackHTTPServer { request in
        var response = embeddings(request)
        response.delay = .seconds(2)
        return response
    }
    defer { server.stop() }
    let embedder = try HTTPEmbedder(configuration: configuration(port: server.port) {
        $0.requestTimeout = .milliseconds(200)
        $0.maxRetries = 1
    })
    let started = ContinuousClock.now
    let message = problem(embedderError(embedder, ["slow"]))
    let elapsed = ContinuousClock.now - started
    #expect(elapsed < .milliseconds(1500), "took \(elapsed)")
    #expect(elapsed >= .milliseconds(400))
    #expect(server.requests.count == 2)
    #expect(message.contains("requestTimeout (0.2 s)"))
    #expect(message.contains("2 attempts"))
}

@Test func refusedConnectionFailsClearlyAfterRetries() throws {
    let embedder = try HTTPEmbedder(configuration: configuration(port: LoopbackHTTPServer.unusedPort()) { $0.maxRetries = 2 })
    let message = problem(embedderError(embedder, ["a"]))
    #expect(message.contains("could not connect to the embedding server"))
    #expect(message.contains("after 3 attempts"))
    #expect(message.contains("HTTPEmbedder.Configuration.endpoint"))
}

// MARK: - Validation of answers

@Test func refusesVectorsOfAnotherDimension() throws {
    let server = LoopbackHTTPServer { embeddings($0) { rawVector($0, dimension: 7) } }
    defer { server.stop() }
    let embedder = try HTTPEmbedder(configuration: configuration(port: server.port))
    #expect(embedderError(embedder, ["a", "b"]) == .dimensionMismatch(space: space, got: 7))
}

@Test func refusesNonFiniteVectors() throws {
    // JSON has no NaN; 1e39 is a valid JSON number that overflows Float to infinity.
    let server = LoopbackHTTPServer { embeddings($0) { text in
        var vector = rawVector(text)
        vector[3] = 1e39
        return vector
    } }
    defer { server.stop() }
    let embedder = try HTTPEmbedder(configuration: configuration(port: server.port))
    #expect(embedderError(embedder, ["a"]) == .nonFiniteVector(space: space, position: 3))
}

@Test func refusesZeroVectors() throws {
    let server = LoopbackHTTPServer { embeddings($0) { _ in Array(repeating: 0, count: dimension) } }
    defer { server.stop() }
    let embedder = try HTTPEmbedder(configuration: configuration(port: server.port))
    #expect(problem(embedderError(embedder, ["a"])).contains("zero vector"))
}

@Test func normalizesHugeButFiniteVectors() throws {
    let server = LoopbackHTTPServer { embeddings($0) { text in rawVector(text).map { $0 * 1e30 } } }
    defer { server.stop() }
    let embedder = try HTTPEmbedder(configuration: configuration(port: server.port))
    expectClose(try embedder.embed(["big"]), ["big"])
}

@Test func refusesAnswersWithMissingVectorsOrNoData() throws {
    let short = LoopbackHTTPServer { embeddings($0, dropLast: true) }
    defer { short.stop() }
    let embedder = try HTTPEmbedder(configuration: configuration(port: short.port))
    #expect(problem(embedderError(embedder, ["a", "b", "c"])).contains("answered 2 vectors for 3 texts"))

    let html = LoopbackHTTPServer { _ in .init(status: 200, body: "<html>proxy login</html>") }
    defer { html.stop() }
    let confused = try HTTPEmbedder(configuration: configuration(port: html.port))
    let message = problem(embedderError(confused, ["a"]))
    #expect(message.contains("<html>proxy login</html>"))
    #expect(message.contains("OpenAI-compatible"))
}

// MARK: - Configuration and policy

@Test(arguments: [
    ("http://127.0.0.1:11434", "http://127.0.0.1:11434/v1/embeddings"),
    ("http://127.0.0.1:11434/", "http://127.0.0.1:11434/v1/embeddings"),
    ("https://api.openai.com/v1", "https://api.openai.com/v1/embeddings"),
    ("https://api.openai.com/v1/embeddings", "https://api.openai.com/v1/embeddings"),
    ("http://host/openai/deployments/e/embeddings?api-version=2024-02-01", "http://host/openai/deployments/e/embeddings?api-version=2024-02-01"),
])
func completesTheEndpoint(endpoint: String, url: String) {
    #expect(HTTPEmbedder.Configuration(endpoint: endpoint, model: "m").embeddingsURL == url)
}

@Test func rejectsConfigurationsOutOfRange() {
    func rejection(_ change: (inout HTTPEmbedder.Configuration) -> Void) -> String? {
        var configuration = HTTPEmbedder.Configuration(endpoint: "http://127.0.0.1:1", model: "m", dimension: 4)
        change(&configuration)
        do {
            _ = try HTTPEmbedder(configuration: configuration)
            return nil
        } catch {
            guard case let .invalidArgument(name, _, _) = error else { return "\(error)" }
            return name
        }
    }
    #expect(rejection { $0.endpoint = "ftp://example.com" } == "HTTPEmbedder.Configuration.endpoint")
    #expect(rejection { $0.endpoint = "127.0.0.1:11434" } == "HTTPEmbedder.Configuration.endpoint")
    #expect(rejection { $0.model = " " } == "HTTPEmbedder.Configuration.model")
    #expect(rejection { $0.batchSize = 0 } == "HTTPEmbedder.Configuration.batchSize")
    #expect(rejection { $0.dimension = 0 } == "HTTPEmbedder.Configuration.dimension")
    #expect(rejection { $0.requestTimeout = .zero } == "HTTPEmbedder.Configuration.requestTimeout")
    #expect(rejection { $0.maxRetries = -1 } == "HTTPEmbedder.Configuration.maxRetries")
    #expect(rejection { _ in } == nil)

    let secret = HTTPEmbedder.Configuration(endpoint: "http://h", model: "m", apiKey: "sk-secret")
    #expect(!secret.description.contains("sk-secret"))
}

@Test func readsTheEnvironment() throws {
    let configuration = try HTTPEmbedder.Configuration(environment: [
        "STRATA_EMBED_URL": "http://127.0.0.1:11434", "STRATA_EMBED_MODEL": "nomic-embed-text",
        "STRATA_EMBED_API_KEY": "sk-1", "STRATA_EMBED_DIMENSION": "768",
    ])
    #expect(configuration == HTTPEmbedder.Configuration(
        endpoint: "http://127.0.0.1:11434", model: "nomic-embed-text", apiKey: "sk-1", dimension: 768))
    #expect(throws: EmbeddingError.invalidArgument(name: "STRATA_EMBED_MODEL", value: "(unset)", expected: "an embedding model name, such as nomic-embed-text")) {
        try HTTPEmbedder.Configuration(environment: ["STRATA_EMBED_URL": "http://h"])
    }
}
