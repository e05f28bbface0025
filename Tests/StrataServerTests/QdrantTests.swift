import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import StrataAnalytics
import StrataServer
import StrataStore
import Testing

/// The Qdrant-compatible subset, in process: shapes, filters, ids, errors, durability.
@Suite struct QdrantTests {
    /// The Qdrant error text of a response (empty when it is not Qdrant's error shape).
    static func qdrantError(_ response: TestResponse) -> String {
        (json(response)["status"] as? [String: Any])?["error"] as? String ?? ""
    }

    static func result(_ response: TestResponse) -> Any? { json(response)["result"] }

    static let uuid = "4af518ce-4680-547a-8250-fc887bdc163f"

    /// Four points in a 4-dimensional cosine collection, with payloads that exercise every
    /// filter condition.
    static func seed(_ client: some TestClientProtocol, collection: String = "code") async throws {
        try await client.execute(uri: "/collections/\(collection)", method: .put, body: body(["vectors": ["size": 4, "distance": "Cosine"]])) { response in
            #expect(response.status == .ok)
            #expect(result(response) as? Bool == true)
        }
        let points: [[String: Any]] = [
            ["id": 1, "vector": [1, 0, 0, 0], "payload": ["lang": "python", "q": 0.9, "tags": ["a", "b"], "meta": ["author": "ann"]]],
            ["id": 2, "vector": [0, 1, 0, 0], "payload": ["lang": "swift", "q": 0.4, "tags": [String](), "meta": ["author": "bob"], "gone": NSNull()]],
            ["id": 10, "vector": [0, 0, 1, 0], "payload": ["lang": "go", "q": 0.7, "count": 3, "flag": true]],
            ["id": uuid, "vector": [0.9, 0.1, 0, 0], "payload": ["lang": "python", "q": 0.2, "tags": ["b"], "name": "parse_config"]],
        ]
        try await client.execute(uri: "/collections/\(collection)/points?wait=true", method: .put, body: body(["points": points])) { response in
            #expect(response.status == .ok, "\(qdrantError(response))")
            #expect((result(response) as? [String: Any])?["status"] as? String == "completed")
        }
    }

    static func count(_ client: some TestClientProtocol, _ filter: [String: Any]?, collection: String = "code") async throws -> Int {
        var request: [String: Any] = ["exact": true]
        if let filter { request["filter"] = filter }
        return try await client.execute(uri: "/collections/\(collection)/points/count", method: .post, body: body(request)) { response in
            #expect(response.status == .ok, "\(qdrantError(response))")
            return (result(response) as? [String: Any])?["count"] as? Int ?? -1
        }
    }

    @Test func rootAnswersTheVersionAndSendsBrowsersToTheDashboard() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(json(response)["version"] as? String == StrataService.qdrantCompatibleVersion)
                #expect((json(response)["title"] as? String)?.contains("qdrant") == true)
            }
            try await client.execute(uri: "/", method: .get, headers: [.accept: "text/html,application/xhtml+xml"]) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/dashboard")
            }
        }
    }

    @Test func collectionsAreCreatedListedDescribedAndDeleted() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await client.execute(uri: "/collections/code/exists", method: .get) { response in
                #expect((Self.result(response) as? [String: Any])?["exists"] as? Bool == false)
            }
            try await Self.seed(client)
            try await client.execute(uri: "/collections/code/exists", method: .get) { response in
                #expect((Self.result(response) as? [String: Any])?["exists"] as? Bool == true)
            }
            try await client.execute(uri: "/collections/code", method: .put, body: body(["vectors": ["size": 4, "distance": "Cosine"]])) { response in
                #expect(response.status == .conflict)
                #expect(Self.qdrantError(response).contains("already exists"))
            }
            try await client.execute(uri: "/collections", method: .get) { response in
                let names = ((Self.result(response) as? [String: Any])?["collections"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                #expect(names == ["code"])
                #expect(json(response)["status"] as? String == "ok")
                // The seconds the answer took, as Qdrant reports them.
                #expect((json(response)["time"] as? Double ?? 0) > 0)
            }
            try await client.execute(uri: "/collections/code", method: .get) { response in
                let info = Self.result(response) as? [String: Any] ?? [:]
                #expect(info["points_count"] as? Int == 4)
                #expect(info["status"] as? String == "green")
                let params = (info["config"] as? [String: Any])?["params"] as? [String: Any]
                #expect((params?["vectors"] as? [String: Any])?["size"] as? Int == 4)
                #expect((params?["vectors"] as? [String: Any])?["distance"] as? String == "Cosine")
            }
            try await client.execute(uri: "/collections/code", method: .delete) { response in
                #expect(Self.result(response) as? Bool == true)
            }
            try await client.execute(uri: "/collections/code", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(Self.qdrantError(response).contains("doesn't exist"))
            }
            try await client.execute(uri: "/collections/code/points/count", method: .post, body: body([:])) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/collections/code", method: .delete) { response in
                #expect(Self.result(response) as? Bool == false)
            }
        }
    }

    @Test func snapshotsAreCreatedListedDownloadedRecoveredAndDeleted() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await Self.seed(client)
            let made = try await client.execute(uri: "/collections/code/snapshots", method: .post) { response in
                #expect(response.status == .ok, "\(Self.qdrantError(response))")
                return Self.result(response) as? [String: Any] ?? [:]
            }
            let name = try #require(made["name"] as? String)
            #expect(name.hasPrefix("code-") && name.hasSuffix(".snapshot"))
            let checksum = try #require(made["checksum"] as? String)
            #expect(checksum.count == 64 && (made["size"] as? Int ?? 0) > 0 && made["creation_time"] is String)
            try await client.execute(uri: "/collections/code/snapshots", method: .get) { response in
                let listed = Self.result(response) as? [[String: Any]] ?? []
                #expect(listed.map { $0["name"] as? String } == [name])
                #expect(listed.first?["checksum"] as? String == checksum)
            }
            // The download is the archive itself: its SHA-256 is the checksum.
            let archive = try await client.execute(uri: "/collections/code/snapshots/\(name)", method: .get) { response in
                #expect(response.status == .ok)
                return Data(buffer: response.body)
            }
            #expect(archive.count == made["size"] as? Int)
            #expect(SHA256.hash(data: archive).map { String(format: "%02x", $0) }.joined() == checksum)
            // Points added after it are gone once it is recovered; the collection is as it was.
            try await client.execute(uri: "/collections/code/points?wait=true", method: .put, body: body(["points": [["id": 77, "vector": [0, 0, 0, 1], "payload": [:]]]])) { response in
                #expect(response.status == .ok)
            }
            #expect(try await Self.count(client, nil) == 5)
            try await client.execute(uri: "/collections/code/snapshots/recover", method: .put, body: body(["location": name])) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                #expect(Self.result(response) as? Bool == true)
            }
            #expect(try await Self.count(client, nil) == 4)
            #expect(try await Self.count(client, ["must": [["key": "lang", "match": ["value": "python"]]]]) == 2)
            // Into a new collection, from a file on the server.
            let file = served.service.configuration.store + "/snapshots/code/" + name
            try await client.execute(uri: "/collections/copy/snapshots/recover", method: .put, body: body(["location": "file://" + file])) { response in
                #expect(response.status == .ok, "\(Self.qdrantError(response))")
            }
            #expect(try await Self.count(client, nil, collection: "copy") == 4)
            // A damaged archive is refused and changes nothing.
            var damaged = archive
            damaged[damaged.count - 40] ^= 0x10
            let elsewhere = served.service.configuration.store + "/damaged.snapshot"
            try damaged.write(to: URL(fileURLWithPath: elsewhere))
            try await client.execute(uri: "/collections/code/snapshots/recover", method: .put, body: body(["location": "file://" + elsewhere])) { response in
                #expect(response.status != .ok)
                #expect(Self.qdrantError(response).contains("checksum"), "\(Self.qdrantError(response))")
            }
            #expect(try await Self.count(client, nil) == 4)
            for (uri, method, status) in [
                ("/collections/code/snapshots/../../etc.snapshot", HTTPRequest.Method.get, HTTPResponse.Status.notFound),
                ("/collections/code/snapshots/nope.snapshot", .get, .notFound),
                ("/collections/absent/snapshots", .post, .notFound),
                ("/collections/absent/snapshots", .get, .notFound),
            ] {
                try await client.execute(uri: uri, method: method) { response in #expect(response.status == status, "\(uri)") }
            }
            try await client.execute(uri: "/collections/code/snapshots/recover", method: .put, body: body(["location": "http://elsewhere/x.snapshot"])) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/collections/code/snapshots/\(name)", method: .delete) { response in
                #expect(Self.result(response) as? Bool == true)
            }
            try await client.execute(uri: "/collections/code/snapshots", method: .get) { response in
                #expect((Self.result(response) as? [[String: Any]] ?? []).isEmpty)
            }
        }
    }

    @Test func filtersFollowQdrantsConditions() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await Self.seed(client)
            func match(_ key: String, _ match: [String: Any]) -> [String: Any] { ["key": key, "match": match] }
            let cases: [(String, [String: Any], Int)] = [
                ("match value", ["must": [match("lang", ["value": "python"])]], 2),
                ("match in an array", ["must": [match("tags", ["value": "b"])]], 2),
                ("match any", ["must": [match("lang", ["any": ["go", "swift"]])]], 2),
                ("match except", ["must": [match("lang", ["except": ["python"]])]], 2),
                ("match integer", ["must": [match("count", ["value": 3])]], 1),
                ("match bool", ["must": [match("flag", ["value": true])]], 1),
                ("match text", ["must": [match("name", ["text": "parse"])]], 1),
                ("nested key", ["must": [match("meta.author", ["value": "bob"])]], 1),
                ("range", ["must": [["key": "q", "range": ["gte": 0.4, "lt": 0.9]]]], 2),
                ("is_empty", ["must": [["is_empty": ["key": "tags"]]]], 2),
                ("is_null", ["must": [["is_null": ["key": "gone"]]]], 1),
                ("has_id", ["must": [["has_id": [1, 10, Self.uuid.uppercased()]]]], 3),
                ("should", ["should": [match("lang", ["value": "go"]), match("lang", ["value": "swift"])]], 2),
                ("must_not", ["must_not": [match("lang", ["value": "python"]), ["key": "q", "range": ["gt": 0.6]]]], 1),
                ("nested filter", ["must": [["should": [match("lang", ["value": "go"]), ["has_id": [2]]]], ["key": "q", "range": ["lte": 0.5]]]], 1),
                ("a single condition, not a list", ["must": match("lang", ["value": "go"])], 1),
                ("empty filter", [:], 4),
            ]
            for (name, filter, expected) in cases {
                #expect(try await Self.count(client, filter) == expected, "\(name)")
            }
            // The same filter through a search.
            try await client.execute(uri: "/collections/code/points/query", method: .post, body: body([
                "query": ["nearest": [1, 0, 0, 0]], "limit": 10, "with_payload": true,
                "filter": ["must": [match("lang", ["value": "python"])]],
            ])) { response in
                let points = (Self.result(response) as? [String: Any])?["points"] as? [[String: Any]] ?? []
                #expect(points.count == 2)
                #expect(points.first?["id"] as? Int == 1)
                #expect(points.last?["id"] as? String == Self.uuid)
                #expect(points.allSatisfy { ($0["payload"] as? [String: Any])?["lang"] as? String == "python" })
            }
            for (filter, problem) in [
                (["must": [["key": "lang"]]] as [String: Any], "needs match, range"),
                (["must": [["key": "a..b", "match": ["value": 1]]]], "dotted field path"),
                (["must": [["key": "q", "match": ["value": 0.5]]]], "use range for decimals"),
                (["must": [["has_id": [-1]]]], "unsigned integer or a UUID"),
                (["must": "lang"], "must be an object"),
            ] {
                try await client.execute(uri: "/collections/code/points/count", method: .post, body: body(["filter": filter])) { response in
                    #expect(response.status == .badRequest)
                    #expect(Self.qdrantError(response).contains(problem), "\(Self.qdrantError(response))")
                }
            }
        }
    }

    @Test func hybridQueriesFusePrefetchesOrRescoreThem() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await Self.seed(client)
            func ids(_ request: [String: Any]) async throws -> [Any] {
                try await client.execute(uri: "/collections/code/points/query", method: .post, body: body(request)) { response in
                    #expect(response.status == .ok, "\(Self.qdrantError(response))")
                    return ((Self.result(response) as? [String: Any])?["points"] as? [[String: Any]] ?? []).compactMap { $0["id"] }
                }
            }
            let prefetch: [[String: Any]] = [["query": [1, 0, 0, 0], "limit": 2], ["query": [0.1, 0, 1, 0], "limit": 2]]
            // Leg one ranks 1 then the UUID; leg two 10 then 1: 1 is in both, so it leads.
            for fusion in ["rrf", "dbsf"] {
                let fused = try await ids(["prefetch": prefetch, "query": ["fusion": fusion], "limit": 3])
                #expect(fused.first as? Int == 1, "\(fusion)")
                #expect(fused.count == 3)
            }
            #expect(try await ids(["prefetch": prefetch, "query": ["fusion": "rrf"], "limit": 3]).compactMap { $0 as? Int } == [1, 10])
            // The request's filter holds in every prefetch.
            let python = try await ids([
                "prefetch": prefetch, "query": ["fusion": "rrf"], "limit": 5,
                "filter": ["must": [["key": "lang", "match": ["value": "python"]]]],
            ])
            #expect(python.count == 2 && python.first as? Int == 1 && python.last as? String == Self.uuid)
            // A vector query re-scores the prefetched candidates only.
            #expect(try await ids(["prefetch": prefetch, "query": [0, 0, 1, 0], "limit": 5]).first as? Int == 10)
            #expect(try await ids(["prefetch": ["query": [0, 1, 0, 0], "limit": 1], "query": ["fusion": "rrf"]]).compactMap { $0 as? Int } == [2])
            for (request, problem) in [
                (["prefetch": prefetch] as [String: Any], "what to do with the prefetches"),
                (["prefetch": prefetch, "query": ["fusion": "max"]], "must be rrf or dbsf"),
                (["query": ["fusion": "rrf"]], "must list the searches"),
                (["prefetch": [["query": [1, 0, 0, 0], "using": "dense"]], "query": ["fusion": "rrf"]], "Not existing vector name error: dense"),
                (["prefetch": [["query": [1, 0, 0]]], "query": ["fusion": "rrf"]], "Vector dimension error"),
            ] {
                try await client.execute(uri: "/collections/code/points/query", method: .post, body: body(request)) { response in
                    #expect(response.status == .badRequest, "\(request)")
                    #expect(Self.qdrantError(response).contains(problem), "\(Self.qdrantError(response))")
                }
            }
        }
    }

    @Test func scrollWalksIdsInQdrantsOrder() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await Self.seed(client)
            var seen: [Any] = []
            var offset: Any = NSNull()
            var pages = 0
            repeat {
                try await client.execute(uri: "/collections/code/points/scroll", method: .post, body: body(["limit": 3, "offset": offset, "with_payload": ["lang"]])) { response in
                    let page = Self.result(response) as? [String: Any] ?? [:]
                    let points = page["points"] as? [[String: Any]] ?? []
                    seen += points.compactMap { $0["id"] }
                    #expect(points.allSatisfy { ($0["payload"] as? [String: Any])?.keys.sorted() == ["lang"] })
                    offset = page["next_page_offset"] ?? NSNull()
                }
                pages += 1
            } while !(offset is NSNull) && pages < 10
            #expect(pages == 2)
            #expect(seen.count == 4)
            #expect(seen.prefix(3).compactMap { $0 as? Int } == [1, 2, 10])
            #expect(seen.last as? String == Self.uuid)
        }
    }

    @Test func searchHonoursOffsetThresholdVectorsAndQueriesById() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await Self.seed(client)
            try await client.execute(uri: "/collections/code/points/search", method: .post, body: body([
                "vector": [1, 0, 0, 0], "limit": 2, "offset": 1, "with_vector": true, "with_payload": false,
            ])) { response in
                let points = Self.result(response) as? [[String: Any]] ?? []
                #expect(points.count == 2)
                #expect(points.first?["id"] as? String == Self.uuid)
                #expect(points.first?["payload"] is NSNull)
                #expect((points.first?["vector"] as? [Double])?.count == 4)
                #expect(points.first?["version"] != nil)
            }
            try await client.execute(uri: "/collections/code/points/query", method: .post, body: body(["query": 1, "score_threshold": 0.5])) { response in
                let points = (Self.result(response) as? [String: Any])?["points"] as? [[String: Any]] ?? []
                #expect(points.compactMap { $0["id"] as? Int } == [1])
                #expect(points.count == 2)
                #expect(points.allSatisfy { ($0["score"] as? Double ?? 0) >= 0.5 })
            }
            try await client.execute(uri: "/collections/code/points/10", method: .get) { response in
                let record = Self.result(response) as? [String: Any] ?? [:]
                #expect(record["id"] as? Int == 10)
                #expect((record["payload"] as? [String: Any])?["count"] as? Int == 3)
                #expect((record["payload"] as? [String: Any])?["flag"] as? Bool == true)
            }
            try await client.execute(uri: "/collections/code/points/77", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func euclidAndDotCollectionsScoreAsQdrantDoes() async throws {
        let served = try ServedStore()
        try await served.test { client in
            for (name, distance) in [("near", "Euclid"), ("dot", "Dot")] {
                try await client.execute(uri: "/collections/\(name)", method: .put, body: body(["vectors": ["size": 2, "distance": distance]])) { response in
                    #expect(response.status == .ok)
                }
                try await client.execute(uri: "/collections/\(name)/points", method: .put, body: body(["batch": ["ids": [1, 2], "vectors": [[3, 4], [1, 0]]]])) { response in
                    #expect(response.status == .ok, "\(Self.qdrantError(response))")
                }
            }
            try await client.execute(uri: "/collections/near/points/search", method: .post, body: body(["vector": [0, 0], "limit": 2])) { response in
                let points = Self.result(response) as? [[String: Any]] ?? []
                #expect(points.compactMap { $0["id"] as? Int } == [2, 1])
                #expect(abs((points.last?["score"] as? Double ?? 0) - 5) < 1e-4)
            }
            try await client.execute(uri: "/collections/dot/points/search", method: .post, body: body(["vector": [1, 1], "limit": 2, "score_threshold": 2])) { response in
                let points = Self.result(response) as? [[String: Any]] ?? []
                #expect(points.compactMap { $0["id"] as? Int } == [1])
                #expect(abs((points.first?["score"] as? Double ?? 0) - 7) < 1e-4)
            }
        }
    }

    @Test func badInputIsRefusedAndChangesNothing() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await Self.seed(client)
            let refused: [(String, HTTPRequest.Method, Any, String)] = [
                ("/collections/bad%20name", .put, ["vectors": ["size": 4, "distance": "Cosine"]], "not valid"),
                ("/collections/other", .put, ["vectors": ["size": 4, "distance": "Manhattan"]], "Cosine, Dot or Euclid"),
                ("/collections/other", .put, ["vectors": ["text": ["size": 4, "distance": "Cosine"], "image": ["size": 4, "distance": "Dot"]]], "names 2 vectors"),
                ("/collections/code/points", .put, ["points": [["id": 5, "vector": [1, 2, 3]]]], "expected dim: 4, got 3"),
                ("/collections/code/points", .put, ["points": [["id": 5, "vector": [1, 0, 0, 0]], ["id": 6, "vector": [0, 0, 0, 0]]]], "all zeros"),
                ("/collections/code/points", .put, ["points": [["id": "not-a-uuid", "vector": [1, 0, 0, 0]]]], "unsigned integer or a UUID"),
                ("/collections/code/points", .put, ["points": [["id": 7, "vector": [1, 0, 0, 0], "payload": [1, 2]]]], "JSON object"),
                ("/collections/code/points", .put, ["points": [["id": 7, "vector": [1, 0, 0, 0]], ["id": 7, "vector": [0, 1, 0, 0]]]], "twice"),
                ("/collections/code/points/search", .post, ["vector": [1, 0, 0]], "expected dim: 4, got 3"),
                ("/collections/code/points/search", .post, ["vector": [1, 0, 0, 0], "limit": 0], "\"limit\""),
                ("/collections/code/points/delete", .post, ["nothing": true], "\"points\""),
            ]
            for (uri, method, request, problem) in refused {
                try await client.execute(uri: uri, method: method, body: body(request)) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    #expect(Self.qdrantError(response).contains(problem), "\(uri): \(Self.qdrantError(response))")
                }
            }
            try await client.execute(uri: "/collections/code/points", method: .put, body: ByteBuffer(string: "{\"points\": [")) { response in
                #expect(response.status == .badRequest)
                #expect(Self.qdrantError(response).contains("not valid JSON"))
            }
            try await client.execute(uri: "/collections/code/points/count", method: .post, body: ByteBuffer(string: "{oops")) { response in
                #expect(response.status == .badRequest)
            }
            // A count of everything may come without a body.
            try await client.execute(uri: "/collections/code/points/count", method: .post) { response in
                #expect((Self.result(response) as? [String: Any])?["count"] as? Int == 4)
            }
            #expect(try await Self.count(client, nil) == 4)
            try await client.execute(uri: "/collections/other/exists", method: .get) { response in
                #expect((Self.result(response) as? [String: Any])?["exists"] as? Bool == false)
            }
        }
    }

    @Test func upsertsReplaceAndSurviveAReopen() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await Self.seed(client)
            try await client.execute(uri: "/collections/code/points", method: .put, body: body(["points": [["id": 2, "vector": [0, 0, 0, 1], "payload": ["lang": "rust"]]]])) { response in
                #expect(response.status == .ok)
            }
            #expect(try await Self.count(client, nil) == 4)
            try await client.execute(uri: "/collections/code/points/delete", method: .post, body: body(["points": [1]])) { response in
                #expect(response.status == .ok)
            }
        }
        try served.service.shutdown()
        var configuration = served.service.configuration
        configuration.store = served.folder
        let reopened = try StrataService.open(configuration)
        defer { try? reopened.shutdown() }
        let app = Application(router: reopened.makeRouter())
        try await app.test(.router) { client in
            #expect(try await Self.count(client, nil) == 3)
            try await client.execute(uri: "/collections/code/points", method: .post, body: body(["ids": [1, 2], "with_payload": true])) { response in
                let records = Self.result(response) as? [[String: Any]] ?? []
                #expect(records.count == 1)
                #expect((records.first?["payload"] as? [String: Any])?["lang"] as? String == "rust")
            }
            try await client.execute(uri: "/collections/code/points/query", method: .post, body: body(["query": [0, 0, 0, 1], "limit": 1])) { response in
                #expect((((Self.result(response) as? [String: Any])?["points"] as? [[String: Any]])?.first?["id"]) as? Int == 2)
            }
        }
    }
}
