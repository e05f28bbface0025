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

/// A collection with a named dense vector and a sparse one: points carry both, sparse
/// queries and searches rank by dot product, a hybrid query fuses the two.
@Suite struct QdrantSparseVectorTests {
    typealias Q = QdrantTests

    @Test func sparseVectorsAreStoredSearchedAndFusedWithTheDenseOne() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await client.execute(uri: "/collections/hybrid", method: .put, body: body([
                "vectors": ["dense": ["size": 4, "distance": "Cosine"]], "sparse_vectors": ["text": [String: Any]()],
            ])) { response in
                #expect(response.status == .ok, "\(Q.qdrantError(response))")
            }
            let points: [[String: Any]] = [
                ["id": 1, "vector": ["dense": [1, 0, 0, 0], "text": ["indices": [5, 9], "values": [1.0, 2.0]]]],
                ["id": 2, "vector": ["dense": [0, 1, 0, 0], "text": ["indices": [9], "values": [0.5]]]],
                ["id": 3, "vector": ["dense": [0.9, 0.1, 0, 0], "text": ["indices": [7], "values": [3.0]]]],
                ["id": 4, "vector": ["dense": [0, 0, 1, 0]]],
            ]
            try await client.execute(uri: "/collections/hybrid/points?wait=true", method: .put, body: body(["points": points])) { response in
                #expect(response.status == .ok, "\(Q.qdrantError(response))")
            }
            try await client.execute(uri: "/collections/hybrid/points/query", method: .post, body: body([
                "query": ["indices": [9, 7], "values": [1.0, 0.1]], "using": "text", "with_vector": true,
            ])) { response in
                let found = (Q.result(response) as? [String: Any])?["points"] as? [[String: Any]] ?? []
                #expect(found.compactMap { $0["id"] as? Int } == [1, 2, 3], "\(Q.qdrantError(response))")
                #expect((found.first?["score"] as? Double).map { abs($0 - 2.0) < 1e-6 } == true)
                let vectors = found.first?["vector"] as? [String: Any]
                #expect((vectors?["dense"] as? [Double])?.count == 4)
                #expect((vectors?["text"] as? [String: Any])?["indices"] as? [Int] == [5, 9])
            }
            try await client.execute(uri: "/collections/hybrid/points/search", method: .post, body: body([
                "vector": ["name": "text", "vector": ["indices": [7], "values": [1.0]]], "limit": 5,
            ])) { response in
                #expect((Q.result(response) as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [3])
            }
            try await client.execute(uri: "/collections/hybrid/points/query", method: .post, body: body([
                "prefetch": [
                    ["query": [1, 0, 0, 0], "using": "dense", "limit": 3],
                    ["query": ["indices": [9], "values": [1.0]], "using": "text", "limit": 3],
                ],
                "query": ["fusion": "rrf"], "limit": 2,
            ])) { response in
                let found = (Q.result(response) as? [String: Any])?["points"] as? [[String: Any]] ?? []
                // 1 leads both legs; 2 is second in the sparse one, 3 second in the dense one.
                #expect(found.first?["id"] as? Int == 1, "\(Q.qdrantError(response))")
            }
            try await client.execute(uri: "/collections/hybrid", method: .get) { response in
                let parameters = ((Q.result(response) as? [String: Any])?["config"] as? [String: Any])?["params"] as? [String: Any]
                #expect((parameters?["sparse_vectors"] as? [String: Any])?["text"] != nil)
            }
            for (uri, method, request, problem) in [
                ("/collections/hybrid/points/query", HTTPRequest.Method.post, ["query": ["indices": [9], "values": [1.0]], "using": "words"] as [String: Any], "Not existing vector name error: words"),
                ("/collections/hybrid/points/query", .post, ["query": ["indices": [9], "values": [1.0]]], "a sparse query names one"),
                ("/collections/hybrid/points/query", .post, ["query": ["indices": [9, 9], "values": [1.0, 2.0]], "using": "text"], "gives an index twice"),
                ("/collections/hybrid/points", .put, ["points": [["id": 9, "vector": ["text": ["indices": [1], "values": [1.0]]]]]], "no dense vector"),
                ("/collections/hybrid/points", .put, ["points": [["id": 9, "vector": ["dense": [1, 0, 0, 0], "words": ["indices": [1], "values": [1.0]]]]]], "Not existing vector name error: words"),
                ("/collections/other", .put, ["vectors": ["size": 4, "distance": "Dot"], "sparse_vectors": ["text": ["modifier": "idf"]]], "modifier none"),
            ] {
                try await client.execute(uri: uri, method: method, body: body(request)) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    #expect(Q.qdrantError(response).contains(problem), "\(uri): \(Q.qdrantError(response))")
                }
            }
            #expect(try await Q.count(client, nil, collection: "hybrid") == 4)
        }
    }
}
