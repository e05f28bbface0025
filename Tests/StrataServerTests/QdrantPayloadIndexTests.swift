import Foundation
import Hummingbird
import HummingbirdTesting
import StrataServer
import Testing

/// Qdrant's payload indexes and the conditions beyond match and range: the same counts
/// before and after the fields are indexed, the collection's `payload_schema`, refusals.
@Suite struct QdrantPayloadIndexTests {
    typealias Q = QdrantTests

    /// The seed's points and three more with geo points, date-times and nested objects.
    static func seed(_ client: some TestClientProtocol) async throws {
        try await Q.seed(client)
        let points: [[String: Any]] = [
            ["id": 20, "vector": [0, 0, 0, 1], "payload": [
                "lang": "rust", "loc": ["lat": 52.52, "lon": 13.40], "when": "2024-03-15T12:00:00Z",
                "cities": [["name": "Berlin", "visits": 3], ["name": "Paris", "visits": 1]],
            ]],
            ["id": 21, "vector": [0, 0, 1, 1], "payload": [
                "lang": "go", "loc": ["lat": 48.86, "lon": 2.35], "when": "2024-06-01", "cities": [["name": "Paris", "visits": 5]],
            ]],
            ["id": 22, "vector": [0, 1, 1, 1], "payload": ["lang": ["go", "rust"], "loc": [["lat": 40.71, "lon": -74.0]], "when": "2023-12-31T23:00:00-02:00"]],
        ]
        try await client.execute(uri: "/collections/code/points?wait=true", method: .put, body: body(["points": points])) { response in
            #expect(response.status == .ok, "\(Q.qdrantError(response))")
        }
    }

    static var cases: [(String, [String: Any], Int)] {
        func match(_ key: String, _ value: Any) -> [String: Any] { ["key": key, "match": ["value": value]] }
        return [
            ("keyword", ["must": [match("lang", "go")]], 3),
            ("min_should", ["min_should": ["conditions": [match("lang", "go"), match("lang", "rust"), ["key": "q", "range": ["lt": 0.5]]], "min_count": 2]], 1),
            ("min_should with must", ["must": [["key": "when", "range": ["gte": "2024-01-01T00:00:00Z"]]], "min_should": ["conditions": [match("lang", "go")], "min_count": 1]], 2),
            ("values_count", ["must": [["key": "tags", "values_count": ["gte": 1]]]], 2),
            ("values_count of a scalar", ["must": [["key": "lang", "values_count": ["gt": 1]]]], 1),
            ("date-time range", ["must": [["key": "when", "range": ["gt": "2024-01-01", "lt": "2024-06-01T00:00:01Z"]]]], 3),
            ("date-time with a zone", ["must": [["key": "when", "range": ["gt": "2024-01-01T01:00:00+00:00"]]]], 2),
            ("geo radius", ["must": [["key": "loc", "geo_radius": ["center": ["lat": 50.0, "lon": 8.0], "radius": 600_000.0]]]], 2),
            ("geo box", ["must": [["key": "loc", "geo_bounding_box": ["top_left": ["lat": 60.0, "lon": -80.0], "bottom_right": ["lat": 40.0, "lon": 5.0]]]]], 2),
            ("nested", ["must": [["nested": ["key": "cities", "filter": ["must": [match("name", "Paris"), ["key": "visits", "range": ["gte": 2]]]]]]]], 1),
            ("array key", ["must": [match("cities[].name", "Berlin")]], 1),
            ("has_id beside an index", ["must": [match("lang", "go"), ["has_id": [10, 22]]]], 2),
            ("must_not on an index", ["must_not": [match("lang", "python")]], 5),
        ]
    }

    @Test func countsAreTheSameBeforeAndAfterTheFieldsAreIndexed() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await Self.seed(client)
            for (name, filter, expected) in Self.cases {
                #expect(try await Q.count(client, filter) == expected, "\(name), unindexed")
            }
            for (field, schema) in [("lang", "keyword"), ("q", "float"), ("tags", "keyword"), ("when", "datetime"), ("loc", "geo"), ("cities[].name", "keyword")] {
                try await client.execute(uri: "/collections/code/index?wait=true", method: .put, body: body(["field_name": field, "field_schema": ["type": schema]])) { response in
                    #expect(response.status == .ok, "\(Q.qdrantError(response))")
                    #expect((Q.result(response) as? [String: Any])?["status"] as? String == "completed")
                }
            }
            for (name, filter, expected) in Self.cases {
                #expect(try await Q.count(client, filter) == expected, "\(name), indexed")
            }
            try await client.execute(uri: "/collections/code/points/query", method: .post, body: body([
                "query": [0, 0, 1, 0], "limit": 2, "filter": ["must": [["key": "lang", "match": ["any": ["go", "rust"]]]]],
            ])) { response in
                let points = (Q.result(response) as? [String: Any])?["points"] as? [[String: Any]] ?? []
                #expect(points.compactMap { $0["id"] as? Int } == [10, 21])
            }
            try await client.execute(uri: "/collections/code", method: .get) { response in
                let schema = (Q.result(response) as? [String: Any])?["payload_schema"] as? [String: [String: Any]] ?? [:]
                #expect(schema["lang"]?["data_type"] as? String == "keyword")
                #expect(schema["lang"]?["points"] as? Int == 7)
                #expect(schema["when"]?["points"] as? Int == 3)
                #expect(schema["loc"]?["points"] as? Int == 3)
                #expect(schema["q"]?["points"] as? Int == 4)
            }
            try await client.execute(uri: "/collections/code/index/lang", method: .delete) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/collections/code", method: .get) { response in
                let schema = (Q.result(response) as? [String: Any])?["payload_schema"] as? [String: Any] ?? [:]
                #expect(schema["lang"] == nil && schema["q"] != nil)
            }
            #expect(try await Q.count(client, Self.cases[0].1) == 3)
        }
    }

    @Test func badIndexesAndConditionsAreRefusedByName() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await Self.seed(client)
            for (request, problem) in [
                (["field_name": "lang", "field_schema": "vector"] as [String: Any], "expected keyword, integer"),
                (["field_name": "a..b", "field_schema": "keyword"], "dotted field path"),
                (["field_schema": "keyword"], "field_name"),
            ] {
                try await client.execute(uri: "/collections/code/index", method: .put, body: body(request)) { response in
                    #expect(response.status == .badRequest)
                    #expect(Q.qdrantError(response).contains(problem), "\(Q.qdrantError(response))")
                }
            }
            for (filter, problem) in [
                (["must": [["key": "when", "range": ["gt": "2024-01-01", "lt": 5]]]] as [String: Any], "mixes numbers and date-times"),
                (["must": [["key": "when", "range": ["gt": "last week"]]]], "RFC 3339"),
                (["must": [["key": "loc", "geo_radius": ["center": ["lat": 91, "lon": 0], "radius": 10]]]], "latitude"),
                (["must": [["key": "loc", "geo_radius": ["center": ["lat": 0, "lon": 0], "radius": -1]]]], "meters"),
                (["must": [["nested": ["key": "cities"]]]], "filter"),
                (["must": [["key": "lang"]]], "needs match, range"),
            ] {
                try await client.execute(uri: "/collections/code/points/count", method: .post, body: body(["filter": filter])) { response in
                    #expect(response.status == .badRequest)
                    #expect(Q.qdrantError(response).contains(problem), "\(Q.qdrantError(response))")
                }
            }
            try await client.execute(uri: "/collections/nothing/index", method: .put, body: body(["field_name": "lang", "field_schema": "keyword"])) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
