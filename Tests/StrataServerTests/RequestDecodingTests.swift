import Foundation
import Hummingbird
import HummingbirdTesting
import StrataServer
import StrataStore
import Testing

/// Every route reads its body into a type: a field of the wrong type is a 400 that names the
/// field (with its path), on the native API and on Qdrant's, in each API's own envelope.
@Suite struct RequestDecodingTests {
    /// (method, path, body, the field the refusal must name)
    static var native: [(HTTPRequest.Method, String, [String: Any], String)] { [
        (.post, "/v1/search", ["text": "parse", "exact": 1], "\"exact\" must be true or false"),
        (.post, "/v1/search", ["text": "parse", "exact": "yes"], "\"exact\" must be true or false"),
        (.post, "/v1/search", ["text": "parse", "with_text": 0], "\"with_text\" must be true or false"),
        (.post, "/v1/search", ["vector": [0.5, "x"]], "\"vector[1]\" must be a number"),
        (.post, "/v1/search", ["text": "parse", "k": "10"], "\"k\" must be a whole number"),
        (.post, "/v1/search", ["text": "parse", "rerank": ["quality": true]], "\"rerank.quality\" must be a number"),
        (.post, "/v1/patterns", ["id": "a", "text": "x = 1", "quality": true], "\"quality\" must be a number"),
        (.post, "/v1/patterns", ["patterns": [["id": "a", "text": "x = 1"], ["id": "b", "text": "y = 2", "tags": "io"]]], "\"patterns[1].tags\" must be a list"),
        (.patch, "/v1/patterns/a", ["outcome": "success", "quality": "high"], "\"quality\" must be a number"),
        (.post, "/v1/generations", ["provider": "openai", "model": "m", "input_tokens": "12"], "\"input_tokens\" must be a whole number"),
        (.post, "/v1/predict", ["model": "m", "prompt": "p", "context": true], "\"context\" must be a whole number"),
        (.post, "/v1/clusters", ["k": "3"], "\"k\" must be a whole number"),
        (.post, "/v1/generate", ["prompt": "Create PostgreSQL writer Effect node", "dry_run": 1], "\"dry_run\" must be true or false"),
        (.post, "/v1/generate", ["prompt": 7], "\"prompt\" must be a string"),
    ] }

    static var qdrant: [(HTTPRequest.Method, String, [String: Any], String)] { [
        (.post, "/collections/code/points/query", ["query": [1, 0, 0, 0], "params": ["exact": 1]], "\"params.exact\" must be true or false"),
        (.post, "/collections/code/points/query", ["query": [1, 0, 0, 0], "params": ["exact": "yes"]], "\"params.exact\" must be true or false"),
        (.post, "/collections/code/points/search", ["vector": [1, 0, 0, 0], "with_vector": 1], "\"with_vector\" must be true, false or a list of vector names"),
        (.post, "/collections/code/points/search", ["vector": [1, 0, "0", 0]], "\"vector[2]\" must be a number"),
        (.post, "/collections/code/points/scroll", ["limit": "3"], "\"limit\" must be a whole number"),
        (.post, "/collections/code/points/count", ["exact": "yes"], "\"exact\" must be true or false"),
        (.post, "/collections/code/points/count", ["filter": ["must": [["key": "q", "range": ["gt": "0.5"]]]]], "\"filter.must[0].range.gt\" must be a number"),
        (.put, "/collections/code/points", ["points": [["id": 5, "vector": [1, 0, 0, true]]]], "\"points[0].vector[3]\" must be a number"),
        (.put, "/collections/code/points", ["points": [["id": true, "vector": [1, 0, 0, 0]]]], "\"points[0].id\" is not a point id"),
        (.put, "/collections/other", ["vectors": ["size": "4", "distance": "Cosine"]], "\"vectors.size\" must be a whole number"),
        (.post, "/collections/code/points", ["ids": [1], "with_payload": 3], "\"with_payload\" must be true, false, a list of keys"),
    ] }

    @Test func aFieldOfTheWrongTypeIsNamedOnTheNativeAPI() async throws {
        let served = try ServedStore()
        try served.service.store.add(NewPattern(id: "a", text: ServiceTests.writer))
        try await served.test { client in
            for (method, uri, request, expected) in Self.native {
                try await client.execute(uri: uri, method: method, body: body(request)) { response in
                    #expect(response.status == .badRequest, "\(uri) \(request)")
                    #expect((json(response)["error"] as? [String: Any])?["status"] as? Int == 400)
                    #expect(message(response).hasPrefix(expected), "\(uri) \(request): \(message(response))")
                }
            }
        }
        #expect(try served.service.store.count() == 1)
        #expect(try served.service.tracker.records(matching: .all).isEmpty)
    }

    @Test func aFieldOfTheWrongTypeIsNamedOnQdrantsAPI() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await QdrantTests.seed(client)
            for (method, uri, request, expected) in Self.qdrant {
                try await client.execute(uri: uri, method: method, body: body(request)) { response in
                    #expect(response.status == .badRequest, "\(uri) \(request)")
                    #expect(QdrantTests.qdrantError(response).hasPrefix(expected), "\(uri) \(request): \(QdrantTests.qdrantError(response))")
                    #expect(json(response)["time"] is Double)
                }
            }
            #expect(try await QdrantTests.count(client, nil) == 4)
        }
    }

    /// A vector's number that is not one is named with its place in the list and its byte.
    @Test func aVectorElementIsNamedWithItsByte() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await client.execute(uri: "/v1/search", method: .post, body: ByteBuffer(string: #"{"vector": [0.25, 0.5, nope], "k": 1}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(message(response) == "the body is not valid JSON: 'o' where \"null\" should be at byte 24")
            }
            try await client.execute(uri: "/v1/search", method: .post, body: ByteBuffer(string: #"{"vector": [0.25, 0.5, "1"], "k": 1}"#)) { response in
                #expect(message(response) == #""vector[2]" must be a number, not "1" (byte 23)"#)
            }
        }
    }
}
