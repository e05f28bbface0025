import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import StrataAnalytics
import StrataGeneration
import StrataServer
import StrataStore
import StrataTestSupport
import StrataTracing
import Testing
import Tracing

/// An OTLP/HTTP collector on loopback, keeping the spans posted to `/v1/traces` (JSON
/// encoding, `tracing_protocol: http/json`).
final class SpanCollector: Sendable {
    struct ReceivedSpan: Sendable, CustomStringConvertible {
        let name: String
        /// Hex, as in a `traceparent`.
        let traceID: String
        let spanID: String
        /// Empty for a root.
        let parentID: String
        /// OTLP's numbers: 1 internal, 2 server, 3 client.
        let kind: Int
        let attributes: [String: String]
        var description: String { "\(name) [\(spanID) ← \(parentID)]" }
    }

    let server = LoopbackHTTPServer { request in .init(status: request.path == "/v1/traces" ? 200 : 404, body: "{}") }
    var endpoint: String { "http://127.0.0.1:\(server.port)" }

    /// Every span received, with the resources' `service.name`s.
    var spans: [ReceivedSpan] { server.requests.filter { $0.path == "/v1/traces" }.flatMap { Self.spans(in: $0.json ?? [:]) } }
    var serviceNames: Set<String> {
        Set(server.requests.compactMap(\.json).flatMap { ($0["resourceSpans"] as? [[String: Any]]) ?? [] }.compactMap {
            Self.attributes(($0["resource"] as? [String: Any])?["attributes"])["service.name"]
        })
    }

    /// Waits (up to a minute, for a loaded machine) until `done` holds for the spans received.
    func wait(until done: ([ReceivedSpan]) -> Bool) async throws -> [ReceivedSpan] {
        let started = ContinuousClock.now
        while !done(spans), ContinuousClock.now - started < .seconds(60) { try await Task.sleep(for: .milliseconds(50)) }
        return spans
    }

    private static func spans(in export: [String: Any]) -> [ReceivedSpan] {
        let resources = export["resourceSpans"] as? [[String: Any]] ?? []
        return resources.flatMap { ($0["scopeSpans"] as? [[String: Any]]) ?? [] }.flatMap { ($0["spans"] as? [[String: Any]]) ?? [] }.map { span in
            ReceivedSpan(
                name: span["name"] as? String ?? "", traceID: hex(span["traceId"]), spanID: hex(span["spanId"]), parentID: hex(span["parentSpanId"]),
                kind: span["kind"] as? Int ?? 0, attributes: attributes(span["attributes"]))
        }
    }

    /// OTLP/JSON writes ids in hex.
    private static func hex(_ value: Any?) -> String { value as? String ?? "" }

    private static func attributes(_ value: Any?) -> [String: String] {
        var found: [String: String] = [:]
        for attribute in value as? [[String: Any]] ?? [] {
            guard let key = attribute["key"] as? String, let value = attribute["value"] as? [String: Any], let first = value.values.first else { continue }
            found[key] = "\(first)"
        }
        return found
    }

    func stop() { server.stop() }
}

/// Requests traced end to end: spans received by a collector on loopback form the trees the
/// work made, continue a caller's trace, and reach a model provider as its context.
@Suite struct TracingTests {
    static let callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let callerSpan = "00f067aa0ba902b7"

    static func traced(_ collector: SpanCollector, sampling: Double = 1) throws -> ServedStore {
        try ServedStore(configure: {
            $0.tracingEndpoint = collector.endpoint
            $0.tracingProtocol = .json
            $0.tracingExportDelay = 0.05
            $0.tracingSampling = sampling
            $0.tracingServiceName = "strata-test"
        })
    }

    /// The spans of `trace` by name; fails the test when a name is missing.
    static func tree(_ spans: [SpanCollector.ReceivedSpan], trace: String) -> [String: SpanCollector.ReceivedSpan] {
        Dictionary(spans.filter { $0.traceID == trace }.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func aSearchIsATreeUnderItsCallersTrace() async throws {
        let collector = SpanCollector()
        defer { collector.stop() }
        let served = try Self.traced(collector)
        let headers: HTTPFields = [.init("traceparent")!: "00-\(Self.callerTrace)-\(Self.callerSpan)-01"]
        try await served.test { client in
            let patterns: [String: Any] = ["patterns": [
                ["id": "pg-writer", "text": ServiceTests.writer, "node_type": "effect"], ["id": "cfg", "text": ServiceTests.reader, "node_type": "compute"],
            ]]
            try await client.execute(uri: "/v1/patterns", method: .post, body: body(patterns)) { #expect($0.status == .created) }
            try await client.execute(uri: "/v1/search", method: .post, headers: headers, body: body(["text": "postgres writer rows", "k": 2])) { response in
                #expect(response.status == .ok)
                // The answer names the server's span in the caller's trace.
                let parent = response.headers[.init("traceparent")!] ?? ""
                #expect(parent.hasPrefix("00-\(Self.callerTrace)-") && !parent.contains(Self.callerSpan), "\(parent)")
            }
        }
        served.service.tracing?.shutdown()
        let spans = try await collector.wait { Self.tree($0, trace: Self.callerTrace)["store.search"] != nil }
        let tree = Self.tree(spans, trace: Self.callerTrace)
        let request = try #require(tree["POST /v1/search"], "\(spans)")
        #expect(request.parentID == Self.callerSpan && request.kind == 2)
        #expect(request.attributes["http.route"] == "/v1/search" && request.attributes["http.response.status_code"] == "200")
        let search = try #require(tree["store.search"])
        #expect(search.parentID == request.spanID)
        #expect(search.attributes["strata.search.mode"] == "hybrid" && search.attributes["strata.search.hits"] == "2")
        for leg in ["embed", "search.dense", "search.lexical", "catalog.read"] {
            #expect(tree[leg]?.parentID == search.spanID, "\(leg) under store.search: \(spans)")
        }
        // The first search reads its hits from the catalog.
        #expect(search.attributes["strata.search.catalog_reads"] == "2" && tree["catalog.read"]?.attributes["db.system.name"] == "sqlite")
        // The add before it is a trace of its own, with its catalog write.
        let add = try #require(spans.first { $0.name == "POST /v1/patterns" })
        #expect(add.traceID != Self.callerTrace && add.parentID.isEmpty)
        #expect(spans.contains { $0.name == "catalog.write" && $0.traceID == add.traceID })
        #expect(collector.serviceNames == ["strata-test"])
    }

    @Test func aGenerationIsATreeOfItsStages() async throws {
        let collector = SpanCollector()
        defer { collector.stop() }
        let served = try Self.traced(collector)
        try await served.test { client in
            try await client.execute(uri: "/v1/generate", method: .post, body: body(["prompt": "Create PostgreSQL writer Effect node"])) { response in
                #expect(response.status == .created, "\(message(response))")
            }
        }
        served.service.tracing?.shutdown()
        let spans = try await collector.wait { $0.contains { $0.name == "generation.learn" } && $0.contains { $0.name == "generation" } }
        let request = try #require(spans.first { $0.name == "POST /v1/generate" }, "\(spans)")
        let tree = Self.tree(spans, trace: request.traceID)
        let generation = try #require(tree["generation"])
        #expect(generation.parentID == request.spanID)
        #expect(generation.attributes["gen_ai.provider.name"] == "offline")
        // Every stage, the concurrent ones on their own threads included, is a child of the generation.
        for stage in ["parse", "retrieve", "history", "select", "predict", "contract", "render", "refine", "validate", "review", "score", "write", "record", "learn"] {
            #expect(tree["generation." + stage]?.parentID == generation.spanID, "generation.\(stage): \(spans.filter { $0.traceID == request.traceID })")
        }
        #expect(tree["generation.refine"]?.attributes["strata.stage.status"] == "skipped")
        #expect(tree["store.search"]?.parentID == tree["generation.retrieve"]?.spanID)
        // The tracker's write and the learned pattern's add, in their stages.
        let writes = spans.filter { $0.name == "catalog.write" && $0.traceID == request.traceID }
        #expect(writes.contains { $0.parentID == tree["generation.record"]?.spanID })
        #expect(Set(spans.filter { $0.traceID == request.traceID }.map(\.spanID)).count == spans.filter { $0.traceID == request.traceID }.count)
    }

    @Test func aProviderReceivesTheTraceOfTheCallThatAsksIt() async throws {
        let collector = SpanCollector()
        defer { collector.stop() }
        let answer = #"{"model":"gpt-test","choices":[{"message":{"role":"assistant","content":"```python\nclass X: pass\n```"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":5}}"#
        let provider = LoopbackHTTPServer { _ in .init(status: 200, body: answer) }
        defer { provider.stop() }
        var configuration = ServerConfiguration()
        configuration.tracingEndpoint = collector.endpoint
        configuration.tracingProtocol = .json
        configuration.tracingExportDelay = 0.05
        let tracing = try #require(ServerTracing(configuration: configuration, logger: Logger(label: "test")))
        var providerConfiguration = ProviderConfiguration.openAI
        providerConfiguration.baseURL = "http://127.0.0.1:\(provider.port)"
        providerConfiguration.maxRetries = 0
        let client = try OpenAIProvider(configuration: providerConfiguration, environment: ["OPENAI_API_KEY": "k"], price: { _, _, _, _ in nil }, budget: nil)

        var context = InstrumentationContext.topLevel
        context.engineTracer = tracing.tracer
        let completion = try InstrumentationContext.$current.withValue(context) {
            try EngineTrace.span("caller") { _ in try client.complete(CompletionRequest(prompt: "Write a node", model: "gpt-test")) }
        }
        #expect(completion.outputTokens == 5)
        tracing.shutdown()
        let spans = try await collector.wait { $0.contains { $0.name == "chat gpt-test" } }
        let chat = try #require(spans.first { $0.name == "chat gpt-test" }, "\(spans)")
        #expect(chat.kind == 3 && chat.attributes["gen_ai.provider.name"] == "openai" && chat.attributes["gen_ai.usage.output_tokens"] == "5")
        #expect(chat.parentID == spans.first { $0.name == "caller" }?.spanID)
        // The provider got the client span's own context.
        #expect(provider.requests.first?.headers["traceparent"] == "00-\(chat.traceID)-\(chat.spanID)-01")
    }

    @Test func theSamplingRatioKeepsNoneOfItsOwnTracesButFollowsACallersChoice() async throws {
        let collector = SpanCollector()
        defer { collector.stop() }
        let served = try Self.traced(collector, sampling: 0)
        let sampled: HTTPFields = [.init("traceparent")!: "00-\(Self.callerTrace)-\(Self.callerSpan)-01"]
        try await served.test { client in
            for _ in 0..<5 { try await client.execute(uri: "/v1/search", method: .post, body: body(["text": "postgres writer", "k": 1])) { _ in } }
            try await client.execute(uri: "/v1/search", method: .post, headers: sampled, body: body(["text": "postgres writer", "k": 1])) { response in
                #expect(response.headers[.init("traceparent")!]?.hasSuffix("-01") == true)
            }
        }
        served.service.tracing?.shutdown()
        let spans = try await collector.wait { $0.contains { $0.name == "POST /v1/search" } }
        #expect(Set(spans.map(\.traceID)) == [Self.callerTrace], "\(spans)")
    }

    @Test func theDefaultExportIsProtobufWithTheOperatorsHeaders() throws {
        let collector = SpanCollector()
        defer { collector.stop() }
        var configuration = ServerConfiguration()
        configuration.tracingEndpoint = collector.endpoint + "/"
        let tracing = try #require(ServerTracing(
            configuration: configuration, logger: Logger(label: "test"), environment: ["OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer%20t0ken, x-team = a"]))
        var context = InstrumentationContext.topLevel
        context.engineTracer = tracing.tracer
        InstrumentationContext.$current.withValue(context) { EngineTrace.span("one") { _ in } }
        tracing.shutdown()
        let request = try #require(collector.server.requests.first)
        #expect(request.path == "/v1/traces" && request.headers["content-type"] == "application/x-protobuf")
        #expect(request.headers["authorization"] == "Bearer t0ken" && request.headers["x-team"] == "a")
        #expect(String(decoding: request.body, as: UTF8.self).contains("one") && tracing.lostSpans == 0)
        #expect(ServerTracing.headers("novalue,=x,a=b=c") == ["a: b=c"])
    }

    @Test func aCollectorThatIsDownCostsSpansNotRequests() async throws {
        var served: ServedStore? = try ServedStore(configure: {
            $0.tracingEndpoint = "http://127.0.0.1:\(LoopbackHTTPServer.unusedPort())"
            $0.tracingExportDelay = 0.05
        })
        try await served!.test { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/v1/search", method: .post, body: body(["text": "postgres writer", "k": 1])) { #expect($0.status == .ok) }
            }
        }
        let tracing = try #require(served!.service.tracing)
        tracing.shutdown()
        #expect(tracing.lostSpans >= 3)
        served = nil
    }

    @Test func tracingSettingsAreCheckedWhenRead() throws {
        let cases = [
            ("tracing_endpoint", "localhost:4318", "http:// or https:// URL"), ("tracing_sampling", "1.5", "from 0 to 1"),
            ("tracing_protocol", "grpc", "http/protobuf, http/json"), ("tracing_export_delay", "0", "more than 0"),
        ]
        for (key, value, expected) in cases {
            #expect { try ServerConfiguration.load(file: nil, environment: [:], overrides: [key: value]) } throws: { "\($0)".contains(expected) }
        }
        let loaded = try ServerConfiguration.load(
            file: nil, environment: ["STRATA_TRACING_ENDPOINT": "http://collector:4318/"], overrides: ["tracing_sampling": "0.25"])
        #expect(loaded.tracesURL == "http://collector:4318/v1/traces" && loaded.tracingSampling == 0.25)
        #expect(ServerConfiguration().tracesURL == nil)
    }
}
