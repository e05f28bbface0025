import Foundation
import Hummingbird
import HummingbirdTesting
import StrataAnalytics
import StrataServer
import StrataStore
import Testing

/// A store in a temporary folder served by a `StrataService`, removed afterwards.
final class ServedStore: @unchecked Sendable {
    let folder: String
    let service: StrataService

    /// Serves the store `makeStore` creates in the folder it is given (by default one of 64
    /// dimensions with the built-in embedder).
    init(
        apiKey: String? = nil, maxBodyBytes: Int = 1 << 20, requestTimeout: Double = 60,
        makeStore: (String) throws -> PatternStore = ServedStore.codeStore, configure: (inout ServerConfiguration) -> Void = { _ in }
    ) throws {
        folder = NSTemporaryDirectory() + "strata-server-\(UUID().uuidString)"
        let store = try makeStore(folder)
        var configuration = ServerConfiguration()
        configuration.store = folder
        configuration.apiKey = apiKey
        configuration.maxBodyBytes = maxBodyBytes
        configuration.requestTimeout = requestTimeout
        configure(&configuration)
        service = StrataService(configuration: configuration, store: store, tracker: try PerformanceTracker.open(storeDirectory: folder))
    }

    static func codeStore(_ folder: String) throws -> PatternStore {
        var configuration = StoreConfiguration()
        configuration.dimension = 64
        return try PatternStore.create(at: folder, configuration: configuration, embedder: CodeEmbedder(dimension: 64), settings: .builtin)
    }

    deinit {
        try? service.shutdown()
        try? FileManager.default.removeItem(atPath: folder)
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(responder: service.makeResponder())
        try await app.test(.router, body)
    }
}

/// The response's JSON object; empty (and so failing the expectations on it) when it is not one.
func json(_ response: TestResponse) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
}

func body(_ object: Any) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
}

func message(_ response: TestResponse) -> String {
    (json(response)["error"] as? [String: Any])?["message"] as? String ?? ""
}

@Suite struct ServiceTests {
    static let writer = "class PostgresWriter:\n    def write(self, rows):\n        with self.pool.connection() as conn:\n            conn.executemany(INSERT_SQL, rows)\n"
    static let reader = "def parse_config(path):\n    with open(path) as handle:\n        return json.load(handle)\n"

    @Test func healthReadinessAndMetrics() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(json(response)["status"] as? String == "ok")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(json(response)["patterns"] as? Int == 0)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = String(buffer: response.body)
                #expect(text.contains("strata_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"))
                #expect(text.contains("strata_patterns{tier=\"hot\"} 0"))
            }
        }
    }

    /// HEAD answers wherever GET does, with GET's status and length and no body; a route
    /// that GET does not know is 404 to HEAD too.
    @Test func headAnswersAsGetWithoutTheBody() async throws {
        let served = try ServedStore()
        try await served.test { client in
            for uri in ["/healthz", "/dashboard", "/openapi.json", "/v1/patterns/none-such"] {
                let get = try await client.execute(uri: uri, method: .get)
                let head = try await client.execute(uri: uri, method: .head)
                #expect(head.status == get.status, "\(uri)")
                #expect(head.headers[.contentLength] == String(get.body.readableBytes), "\(uri)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(uri)")
                #expect(head.body.readableBytes == 0, "\(uri)")
            }
            #expect(try await client.execute(uri: "/dashboard", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/no-such-page", method: .head).status == .notFound)
        }
    }

    @Test func patternsRoundTripThroughTheAPI() async throws {
        let served = try ServedStore()
        try await served.test { client in
            let one: [String: Any] = ["id": "pg-writer", "text": Self.writer, "node_type": "effect", "domain": "database", "quality": 0.9, "tags": ["io"]]
            try await client.execute(uri: "/v1/patterns", method: .post, body: body(one)) { response in
                #expect(response.status == .created)
                #expect(json(response)["ids"] as? [String] == ["pg-writer"])
            }
            let batch: [String: Any] = ["patterns": [["id": "cfg", "text": Self.reader, "node_type": "compute"], ["text": "def add(a, b):\n    return a + b\n"]]]
            try await client.execute(uri: "/v1/patterns", method: .post, body: body(batch)) { response in
                #expect(response.status == .created)
                #expect((json(response)["ids"] as? [String])?.count == 2)
            }
            try await client.execute(uri: "/v1/patterns/pg-writer", method: .get) { response in
                #expect(response.status == .ok)
                let pattern = json(response)
                #expect(pattern["text"] as? String == Self.writer)
                #expect(pattern["node_type"] as? String == "effect")
            }
            try await client.execute(uri: "/v1/patterns/pg-writer", method: .patch, body: body(["outcome": "success", "quality": 0.95])) { response in
                #expect(response.status == .ok)
                let pattern = json(response)
                #expect(pattern["usage_count"] as? Int == 1)
                #expect(pattern["quality"] as? Double == 0.95)
            }
            try await client.execute(uri: "/v1/search", method: .post, body: body(["text": "insert rows into postgres", "k": 2, "filter": "node_type=effect"])) { response in
                #expect(response.status == .ok)
                let results = json(response)["results"] as? [[String: Any]] ?? []
                #expect(results.first?["id"] as? String == "pg-writer")
                #expect(results.count == 1)
            }
            // Ids named after files hold slashes and colons, percent-encoded in the path.
            try await client.execute(uri: "/v1/patterns", method: .post, body: body(["id": "pkg/io.py:12:write rows", "text": "def write_rows(path, rows):\n    open(path, \"a\").writelines(rows)\n"])) { response in
                #expect(response.status == .created || response.status == .ok)
            }
            try await client.execute(uri: "/v1/patterns/pkg%2Fio.py%3A12%3Awrite%20rows", method: .get) { response in
                #expect(response.status == .ok)
                #expect(json(response)["id"] as? String == "pkg/io.py:12:write rows", "\(message(response))")
            }
            try await client.execute(uri: "/v1/patterns/pkg%2Fio.py%3A12%3Awrite%20rows", method: .delete) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/patterns/pg-writer", method: .delete) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/patterns/pg-writer", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(message(response).contains("pg-writer"))
            }
        }
        #expect(try served.service.store.count() == 2)
    }

    /// The search answer is written straight from typed fields; read back, each result must
    /// be the pattern's own JSON object (what GET /v1/patterns/{id} answers) plus its scores,
    /// with quotes, backslashes, control characters and non-ASCII text intact.
    @Test func searchAnswersCarryEveryFieldOfThePattern() async throws {
        let served = try ServedStore()
        let awkward = "def quote(s):\n\treturn \"\\\"\" + s + '\u{01}' + \"é ✓ 😀\"\r\n"
        _ = try served.service.store.add([
            NewPattern(id: "q\"uote/é", text: awkward, domain: "text", tags: ["a\"b", "ünï"], quality: 0.8,
                       source: SourceSpan(path: "lib/q.py", lineStart: 3, lineEnd: 4)),
            NewPattern(id: "reader", text: Self.reader),
        ])
        let stored = try served.service.store.pattern(id: "q\"uote/é")
        for withText in [true, false] {
            try await served.test { client in
                try await client.execute(uri: "/v1/search", method: .post, body: body(["text": "quote a string", "k": 2, "with_text": withText])) { response in
                    #expect(response.status == .ok)
                    let answer = json(response)
                    #expect(answer["plan"] as? String == "graph")
                    #expect((answer["took_us"] as? NSNumber)?.doubleValue ?? -1 >= 0)
                    let results = answer["results"] as? [[String: Any]] ?? []
                    #expect(results.count == 2)
                    guard var hit = results.first(where: { $0["id"] as? String == stored.id }) else {
                        Issue.record("the awkward pattern is not among the results")
                        return
                    }
                    #expect((hit.removeValue(forKey: "score") as? Double) != nil)
                    #expect((hit.removeValue(forKey: "similarity") as? Double) != nil)
                    let expected = stored.jsonObject(includeText: withText)
                    #expect(NSDictionary(dictionary: hit) == NSDictionary(dictionary: expected))
                    #expect((hit["text"] as? String) == (withText ? awkward : nil))
                }
            }
        }
    }

    @Test func searchByVectorAndItsErrors() async throws {
        let served = try ServedStore()
        _ = try served.service.store.add([NewPattern(id: "a", text: Self.writer), NewPattern(id: "b", text: Self.reader)])
        let vector = try served.service.store.vector(id: "b")
        try await served.test { client in
            try await client.execute(uri: "/v1/search", method: .post, body: body(["vector": vector.map(Double.init), "k": 1])) { response in
                #expect(response.status == .ok)
                #expect((json(response)["results"] as? [[String: Any]])?.first?["id"] as? String == "b")
                #expect(json(response)["mode"] as? String == "dense")
            }
            for (mode, fusion) in [("hybrid", "rrf"), ("hybrid", "dbsf"), ("lexical", "rrf"), ("dense", "rrf")] {
                let request: [String: Any] = ["text": "parse the json config at a path", "k": 2, "mode": mode, "fusion": fusion]
                try await client.execute(uri: "/v1/search", method: .post, body: body(request)) { response in
                    #expect(response.status == .ok)
                    #expect(json(response)["mode"] as? String == mode)
                    #expect((json(response)["results"] as? [[String: Any]])?.first?["id"] as? String == "b", "\(mode) \(fusion)")
                }
            }
            let bad: [(Any, String)] = [
                (["vector": [1, 2, 3]], "dimension"),
                (["text": "x", "vector": [1]], "exactly one of"),
                (["text": "x", "k": 0], "\"k\" must be a whole number"),
                (["text": "x", "filter": "quality>>1"], "quality>>1"),
                (["text": "x", "rerank": ["keyword": -1]], "rerank.keyword"),
                (["text": "x", "mode": "fuzzy"], "\"mode\" must be dense, lexical or hybrid, not \"fuzzy\""),
                (["text": "x", "fusion": "sum"], "\"fusion\" must be rrf or dbsf"),
                (["vector": vector.map(Double.init), "mode": "lexical"], "dense for a vector query"),
                ([1, 2], "JSON object"),
            ]
            for (request, expected) in bad {
                try await client.execute(uri: "/v1/search", method: .post, body: body(request)) { response in
                    #expect(response.status == .badRequest, "\(request)")
                    #expect(message(response).contains(expected), "\(message(response))")
                }
            }
            try await client.execute(uri: "/v1/search", method: .post, body: ByteBuffer(string: "{\"text\": ")) { response in
                #expect(response.status == .badRequest)
                #expect(message(response).contains("not valid JSON"))
            }
        }
    }

    @Test func badWritesChangeNothing() async throws {
        let served = try ServedStore(maxBodyBytes: 4096)
        try served.service.store.add(NewPattern(id: "keep", text: Self.writer))
        try await served.test { client in
            let bad: [(Any, HTTPResponse.Status, String)] = [
                (["id": "x"], .badRequest, "text"),
                (["patterns": [["id": "ok", "text": Self.reader], ["id": "bad", "text": Self.reader, "quality": 3]]], .badRequest, "quality"),
                (["id": "keep", "text": "another text"], .badRequest, "keep"),
                (["patterns": []], .badRequest, "non-empty array"),
                (["id": "v", "text": "t", "vector": [1, 2]], .badRequest, "dimension"),
            ]
            for (request, status, expected) in bad {
                try await client.execute(uri: "/v1/patterns", method: .post, body: body(request)) { response in
                    #expect(response.status == status, "\(request): \(message(response))")
                    #expect(message(response).contains(expected), "\(message(response))")
                }
            }
            let large = ["id": "big", "text": String(repeating: "x = 1\n", count: 2000)]
            try await client.execute(uri: "/v1/patterns", method: .post, body: body(large)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(message(response).contains("4096 bytes"))
            }
            try await client.execute(uri: "/v1/patterns/nope", method: .patch, body: body(["outcome": "maybe"])) { response in
                #expect(response.status == .badRequest)
                #expect(message(response).contains("success, failure or used"))
            }
        }
        #expect(try served.service.store.count() == 1)
        #expect(try served.service.store.pattern(id: "keep").text == Self.writer)
    }

    @Test func writesNeedTheKeyWhenOneIsSet() async throws {
        let served = try ServedStore(apiKey: "s3cret")
        try await served.test { client in
            let pattern = body(["id": "a", "text": Self.reader])
            try await client.execute(uri: "/v1/patterns", method: .post, body: pattern) { response in
                #expect(response.status == .unauthorized)
                #expect(message(response).contains("api-key"))
            }
            try await client.execute(uri: "/v1/patterns", method: .post, headers: [.authorization: "Bearer wrong"], body: pattern) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/patterns", method: .post, headers: [.init("api-key")!: "s3cret"], body: pattern) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/v1/patterns/a", method: .get) { response in
                #expect(response.status == .ok)
            }
            // Questions asked with a body are reads: no key needed.
            try await client.execute(uri: "/v1/search", method: .post, body: body(["text": "parse a config file", "k": 1])) { response in
                #expect(response.status == .ok)
                #expect((json(response)["results"] as? [[String: Any]])?.first?["id"] as? String == "a")
            }
            // A write hidden behind a read's path prefix is still a write.
            try await client.execute(uri: "/v1/patterns/a", method: .delete) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/collections/c/points/delete", method: .post, body: body(["points": [1]])) { response in
                #expect(response.status == .unauthorized)
            }
        }
        #expect(try served.service.store.count() == 1)
    }
}
