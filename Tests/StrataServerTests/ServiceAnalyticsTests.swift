import Foundation
import Hummingbird
import HummingbirdTesting
import StrataAnalytics
import StrataServer
import StrataStore
import Testing

@Suite struct ServiceAnalyticsTests {
    @Test func theOpenAPIDocumentListsExactlyTheRoutes() async throws {
        let served = try ServedStore()
        let routes = Set(served.service.makeRouter().routes.map { route in
            "\(route.method.rawValue.lowercased()) " + route.path.description.replacingOccurrences(of: ":id", with: "{id}")
        })
        try await served.test { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let document = json(response)
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = document["paths"] as? [String: [String: Any]] ?? [:]
                let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
                #expect(documented == routes, "documented only: \(documented.subtracting(routes)); routed only: \(routes.subtracting(documented))")
            }
        }
    }

    @Test func generationsAreRecordedListedAndCounted() async throws {
        let served = try ServedStore()
        try served.service.tracker.prices.set(Price(provider: "openai", model: "gpt-test", inputPerMillion: 1, outputPerMillion: 2))
        try await served.test { client in
            let records: [[String: Any]] = (0..<3).map { index in
                ["provider": "openai", "model": "gpt-test", "input_tokens": 1000, "output_tokens": 500, "quality": 0.7 + 0.05 * Double(index), "node_type": "effect"]
            }
            try await client.execute(uri: "/v1/generations", method: .post, body: body(["generations": records])) { response in
                #expect(response.status == .created, "\(message(response))")
                #expect((json(response)["ids"] as? [Int])?.count == 3)
            }
            try await client.execute(uri: "/v1/generations", method: .post, body: body(["model": "gpt-test"])) { response in
                #expect(response.status == .badRequest)
                #expect(message(response).contains("provider"))
            }
            try await client.execute(uri: "/v1/generations?model=gpt-test&limit=2", method: .get) { response in
                #expect(response.status == .ok)
                #expect((json(response)["records"] as? [[String: Any]])?.count == 2)
            }
            try await client.execute(uri: "/v1/generations?since=yesterday", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/predict", method: .post, body: body(["model": "gpt-test", "prompt": "a writer"])) { response in
                #expect(response.status == .conflict)
                #expect(message(response).contains("need at least 30"))
            }
            try await client.execute(uri: "/v1/models/recommend?stage=generate&quality_target=0.5", method: .get) { response in
                #expect(response.status == .ok, "\(message(response))")
                #expect(json(response)["model"] as? String == "gpt-test")
            }
            try await client.execute(uri: "/v1/budgets", method: .get) { response in
                #expect(response.status == .ok)
                #expect((json(response)["budgets"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains("strata_generations_total{provider=\"openai\",model=\"gpt-test\",outcome=\"success\"} 3"))
            }
        }
    }

    @Test func generateWritesANodeAndLearnsIt() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await client.execute(uri: "/v1/generate", method: .post, body: body(["prompt": "Create PostgreSQL writer Effect node"])) { response in
                #expect(response.status == .created, "\(message(response))")
                let result = json(response)
                #expect(result["class_name"] as? String == "NodePostgreSQLWriterEffect")
                #expect((result["dimensions"] as? [[String: Any]])?.count == 7)
                #expect((result["pattern"] as? String)?.hasPrefix("stored as generated/") == true)
                let path = result["path"] as? String ?? ""
                #expect(FileManager.default.fileExists(atPath: path + "/node.py"))
            }
            try await client.execute(uri: "/v1/generate", method: .post, body: body(["prompt": "Create PostgreSQL writer Effect node"])) { response in
                #expect(response.status == .conflict)
                #expect(message(response).contains("--force"))
            }
            try await client.execute(uri: "/v1/generate", method: .post, body: body(["prompt": "Aggregate daily revenue per region", "dry_run": true])) { response in
                #expect(response.status == .ok)
                #expect(json(response)["path"] as? String == "")
            }
            try await client.execute(uri: "/v1/generate", method: .post, body: body(["prompt": "do it"])) { response in
                #expect(response.status == .badRequest)
                #expect(message(response).contains("cannot tell what to build"))
            }
        }
        #expect(try served.service.store.count() == 1)
        #expect(try served.service.tracker.records(matching: .all).count == 1)
    }

    @Test func generateMakesAFeatureOfAWorkflow() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await client.execute(uri: "/v1/generate", method: .post, body: body([
                "prompt": "Create CRUD API for User management", "workflow": "crud", "fields": "name:str,email:str",
            ])) { response in
                #expect(response.status == .created, "\(message(response))")
                let result = json(response)
                #expect((result["nodes"] as? [[String: Any]])?.compactMap { $0["role"] as? String } == ["validator", "writer", "reader", "api"])
                let path = result["path"] as? String ?? ""
                #expect(FileManager.default.fileExists(atPath: path + "/wiring.py"))
                #expect(result["all_gates_passed"] as? Bool == true)
            }
            for (request, status, problem) in [
                (["prompt": "CRUD for User", "workflow": "saga"], HTTPResponse.Status.badRequest, "crud"),
                (["prompt": "CRUD please", "workflow": "crud"], .badRequest, "entity"),
                (["prompt": "CRUD for User", "workflow": "crud", "entity": "class"], .badRequest, "Python keyword"),
                (["prompt": "Create CRUD API for User management", "workflow": "crud"], .conflict, "--force"),
            ] as [([String: Any], HTTPResponse.Status, String)] {
                try await client.execute(uri: "/v1/generate", method: .post, body: body(request)) { response in
                    #expect(response.status == status, "\(request)")
                    #expect(message(response).contains(problem), "\(message(response))")
                }
            }
        }
        #expect(try served.service.tracker.records(matching: .all).count == 4)
    }

    /// A request past `request_timeout` is answered 503 with the reason, and the service
    /// goes on answering.
    @Test func aRequestPastItsTimeIsAnswered503() async throws {
        let served = try ServedStore(requestTimeout: 0.001)
        try await served.test { client in
            // A generation runs python3 over its files: far longer than a millisecond.
            try await client.execute(uri: "/v1/generate", method: .post, body: body(["prompt": "Create PostgreSQL writer Effect node", "dry_run": true])) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(message(response).contains("request_timeout"))
            }
        }
    }

    @Test func clusterRunsAreReportedAndKept() async throws {
        let served = try ServedStore()
        let families = ["def write_rows(rows, table):\n    cursor.executemany(sql, rows)\n", "def parse_json(text):\n    return json.loads(text)\n", "class Counter:\n    def add(self, key):\n        self.counts[key] += 1\n"]
        _ = try served.service.store.add((0..<30).map { index in
            NewPattern(id: "p\(index)", text: families[index % 3].replacingOccurrences(of: "rows", with: "rows\(index)"))
        }, existing: .fail)
        try await served.test { client in
            try await client.execute(uri: "/v1/clusters", method: .post, body: body(["k": 3, "seed": 7])) { response in
                #expect(response.status == .created, "\(message(response))")
                #expect((json(response)["clusters"] as? [Any])?.count == 3)
            }
            try await client.execute(uri: "/v1/clusters", method: .post, body: body(["k": 1])) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/clusters", method: .get) { response in
                #expect((json(response)["runs"] as? [[String: Any]])?.first?["k"] as? Int == 3)
            }
        }
    }
}
