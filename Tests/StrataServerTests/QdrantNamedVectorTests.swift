import Foundation
import Hummingbird
import HummingbirdTesting
import StrataServer
import Testing

/// A collection made with one named vector: points, searches, queries and answers carry the
/// name as Qdrant's clients write it; another name is refused.
@Suite struct QdrantNamedVectorTests {
    typealias Q = QdrantTests

    @Test func aNamedVectorIsWrittenSearchedAndAnsweredUnderItsName() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await client.execute(uri: "/collections/named", method: .put, body: body(["vectors": ["text": ["size": 4, "distance": "Cosine"]]])) { response in
                #expect(response.status == .ok, "\(Q.qdrantError(response))")
            }
            try await client.execute(uri: "/collections/named", method: .get) { response in
                let parameters = ((Q.result(response) as? [String: Any])?["config"] as? [String: Any])?["params"] as? [String: Any]
                #expect(((parameters?["vectors"] as? [String: Any])?["text"] as? [String: Any])?["size"] as? Int == 4)
            }
            try await client.execute(uri: "/collections/named/points?wait=true", method: .put, body: body(["points": [
                ["id": 1, "vector": ["text": [1, 0, 0, 0]], "payload": ["lang": "go"]],
                ["id": 2, "vector": ["text": [0, 1, 0, 0]]],
            ]])) { response in
                #expect(response.status == .ok, "\(Q.qdrantError(response))")
            }
            try await client.execute(uri: "/collections/named/points?wait=true", method: .put, body: body(["batch": [
                "ids": [3], "vectors": ["text": [[0, 0, 1, 0]]],
            ]])) { response in
                #expect(response.status == .ok, "\(Q.qdrantError(response))")
            }
            try await client.execute(uri: "/collections/named/points/search", method: .post, body: body(["vector": ["name": "text", "vector": [0, 0.9, 0.1, 0]], "limit": 2])) { response in
                let hits = Q.result(response) as? [[String: Any]] ?? []
                #expect(hits.compactMap { $0["id"] as? Int } == [2, 3])
            }
            try await client.execute(uri: "/collections/named/points/query", method: .post, body: body([
                "query": [1, 0, 0.1, 0], "using": "text", "limit": 1, "with_vector": true,
            ])) { response in
                let points = (Q.result(response) as? [String: Any])?["points"] as? [[String: Any]] ?? []
                #expect(points.first?["id"] as? Int == 1)
                let vector = (points.first?["vector"] as? [String: Any])?["text"] as? [Double]
                #expect(vector?.count == 4)
            }
            try await client.execute(uri: "/collections/named/points/query", method: .post, body: body([
                "prefetch": [["query": [1, 0, 0, 0], "using": "text", "limit": 3]], "query": ["fusion": "rrf"], "limit": 3,
            ])) { response in
                #expect(response.status == .ok, "\(Q.qdrantError(response))")
                #expect(((Q.result(response) as? [String: Any])?["points"] as? [[String: Any]])?.count == 3)
            }
            for (uri, request) in [
                ("/collections/named/points", ["points": [["id": 9, "vector": ["image": [1, 0, 0, 0]]]]] as [String: Any]),
                ("/collections/named/points/search", ["vector": ["name": "image", "vector": [1, 0, 0, 0]]]),
                ("/collections/named/points/query", ["query": [1, 0, 0, 0], "using": "image"]),
            ] {
                try await client.execute(uri: uri, method: uri.hasSuffix("points") ? .put : .post, body: body(request)) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    #expect(Q.qdrantError(response).contains("Not existing vector name error: image"), "\(Q.qdrantError(response))")
                }
            }
            #expect(try await Q.count(client, nil, collection: "named") == 3)
        }
    }
}
