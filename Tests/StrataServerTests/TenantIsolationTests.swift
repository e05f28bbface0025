import Foundation
import Hummingbird
import HummingbirdTesting
import StrataAnalytics
import StrataServer
import StrataStore
import StrataTestSupport
import Testing

/// Tenant B's key against tenant A's data, through every route the service has, on each
/// catalog: B gets nothing of A's, changes nothing of A's, and A's read key writes nothing.
@Suite struct TenantIsolationTests {
    static let adminKey = "root-admin-key"
    /// Strings only A's data holds: none may appear in any answer B gets.
    static let secrets = ["AlphaSecretWriter", "alpha-owner", "alpha-secret-model", "alpha-secret-project"] + (1..<8).map { "secret-a-\($0)" }

    struct Keys {
        var aWrite = "", aRead = "", b = "", bKeyID = ""
    }

    static func served(_ backend: CatalogBackend) throws -> ServedStore {
        try ServedStore(apiKey: adminKey) { folder in
            var configuration = StoreConfiguration()
            configuration.dimension = 64
            return try PatternStore.create(at: folder, catalog: try backend.storeCatalog(), configuration: configuration, embedder: CodeEmbedder(dimension: 64), settings: .builtin)
        }
    }

    static func header(_ key: String) -> HTTPFields { [.init("api-key")!: key] }

    /// Tenants a and b made through the API with the admin key, and A's data everywhere.
    static func setUp(_ client: some TestClientProtocol, _ served: ServedStore) async throws -> Keys {
        var keys = Keys()
        let admin = header(adminKey)
        keys.aWrite = try await client.execute(uri: "/v1/tenants", method: .post, headers: admin, body: body(["name": "a", "role": "write"])) { response in
            #expect(response.status == .created, "\(message(response))")
            #expect(json(response)["created"] as? Bool == true)
            return json(response)["key"] as? String ?? ""
        }
        keys.aRead = try await client.execute(uri: "/v1/tenants/a/keys", method: .post, headers: admin, body: body(["role": "read"])) { json($0)["key"] as? String ?? "" }
        (keys.b, keys.bKeyID) = try await client.execute(uri: "/v1/tenants", method: .post, headers: admin, body: body(["name": "b"])) { response in
            (json(response)["key"] as? String ?? "", json(response)["key_id"] as? String ?? "")
        }
        #expect(keys.aWrite.hasPrefix("strata_") && keys.aRead.hasPrefix("strata_") && keys.b.hasPrefix("strata_"))
        let a = header(keys.aWrite)
        let subjects = ["invoice", "parcel", "ledger", "coupon", "voucher", "shipment", "payroll", "refund"]
        let patterns = subjects.enumerated().map { index, subject in
            ["id": "secret-a-\(index)", "text": "class AlphaSecretWriter\(subject.capitalized):\n    def write_\(subject)_rows(self, \(subject)_rows):\n        return self.\(subject)_table.extend(\(subject)_rows)\n"]
        }
        try await client.execute(uri: "/v1/patterns", method: .post, headers: a, body: body(["patterns": patterns])) { #expect($0.status == .created, "\(message($0))") }
        try await client.execute(uri: "/collections/alpha-points", method: .put, headers: a, body: body(["vectors": ["size": 4, "distance": "Cosine"]])) { #expect($0.status == .ok) }
        try await client.execute(uri: "/collections/alpha-points/points", method: .put, headers: a,
                                 body: body(["points": [["id": 1, "vector": [1, 0, 0, 0], "payload": ["owner": "alpha-owner"]]]])) { #expect($0.status == .ok) }
        try await client.execute(uri: "/v1/generations", method: .post, headers: a,
                                 body: body(["provider": "openai", "model": "alpha-secret-model", "project": "alpha-secret-project", "cost": 0.25])) { #expect($0.status == .created, "\(message($0))") }
        try await client.execute(uri: "/v1/clusters", method: .post, headers: a, body: body(["k": 2, "seed": 1])) { #expect($0.status == .created, "\(message($0))") }
        // A budget of A's, set through A's own catalog as `strata budget set --tenant a` would.
        let (folder, catalog) = try TenantDirectory.locate("a", inStore: served.folder, catalog: served.service.store.catalogLocation.isShared ? served.service.store.catalogLocation : nil)
        let tracker = try PerformanceTracker(catalog: AnalyticsCatalog.open(storeDirectory: folder, catalog: catalog))
        try tracker.budgets.set(Budget(project: "alpha-secret-project", period: .month, limit: 50))
        return keys
    }

    /// A plausible body for each route, so B's requests get past decoding to the data.
    static func requestBody(_ method: String, _ path: String) -> ByteBuffer? {
        guard ["post", "put", "patch"].contains(method) else { return nil }
        let upsert: [String: Any] = ["points": [["id": 1, "vector": [0, 1, 0, 0]] as [String: Any]]]
        let retrieve: [String: Any] = ["ids": [1], "with_payload": true]
        let bodies: [String: [String: Any]] = [
            "/v1/patterns": ["id": "secret-a-0", "text": "class Mine:\n    pass\n"],
            "/v1/patterns/{id}": ["outcome": "success", "quality": 0.1],
            "/v1/search": ["text": "write rows with a pool", "k": 20],
            "/v1/generations": ["provider": "openai", "model": "m"],
            "/v1/predict": ["provider": "openai", "model": "m"],
            "/v1/clusters": ["k": 2],
            "/v1/generate": ["prompt": "Create PostgreSQL writer Effect node", "dry_run": true],
            "/v1/tenants": ["name": "a", "role": "admin"],
            "/v1/tenants/{tenant}/keys": ["role": "admin"],
            "/collections/{collection}": ["vectors": ["size": 4, "distance": "Cosine"]],
            "/collections/{collection}/points": method == "put" ? upsert : retrieve,
            "/collections/{collection}/points/delete": ["points": [1]],
            "/collections/{collection}/points/search": ["vector": [1, 0, 0, 0], "limit": 5, "with_payload": true],
            "/collections/{collection}/points/query": ["query": [1, 0, 0, 0], "limit": 5, "with_payload": true],
            "/collections/{collection}/points/scroll": ["limit": 10, "with_payload": true],
            "/collections/{collection}/points/count": [:],
            "/collections/{collection}/index": ["field_name": "owner", "field_schema": "keyword"],
            "/collections/{collection}/snapshots/recover": ["location": "alpha.snapshot"],
        ]
        return body(bodies[path] ?? [:])
    }

    static func uri(_ path: String, keyID: String) -> String {
        // The feed streams until told to stop.
        if path == "/v1/generations/stream" { return path + "?after=0&seconds=0.5" }
        return path.replacingOccurrences(of: "/collections/{collection}/points/{id}", with: "/collections/alpha-points/points/1")
            .replacingOccurrences(of: "{id}", with: "secret-a-0").replacingOccurrences(of: "{collection}", with: "alpha-points")
            .replacingOccurrences(of: "{snapshot}", with: "alpha.snapshot").replacingOccurrences(of: "{field}", with: "owner")
            .replacingOccurrences(of: "{tenant}", with: "a").replacingOccurrences(of: "{key}", with: keyID)
    }

    @Test(arguments: CatalogBackend.available)
    func tenantBGetsNothingOfTenantAsThroughAnyRoute(backend: CatalogBackend) async throws {
        let served = try Self.served(backend)
        let routes = served.service.makeRouter().routes.map { ($0.method.rawValue.lowercased(), $0.path.description.replacingOccurrences(of: ":id", with: "{id}")) }
        #expect(routes.count > 40)
        try await served.test { client in
            let keys = try await Self.setUp(client, served)
            let b = Self.header(keys.b)
            var statuses: [String: Int] = [:]
            // Twice: while B has nothing of the names A's data has (no creations), then with
            // B's own collection and pattern of those names, made first (deletions last).
            func rank(_ route: (String, String)) -> Int {
                if "\(route.0) \(route.1)" == "put /collections/{collection}" { return -1 }
                if ["put /collections/{collection}/points", "post /v1/patterns"].contains("\(route.0) \(route.1)") { return 0 }
                return route.0 == "delete" || route.1.hasSuffix("/delete") ? 2 : 1
            }
            for pass in 0..<2 {
                let order = routes.filter { pass == 1 || rank($0) > 0 }.sorted { (rank($0), $0.1 + $0.0) < (rank($1), $1.1 + $1.0) }
                for (method, path) in order {
                    let uri = Self.uri(path, keyID: "0123456789ab")
                    try await client.execute(uri: uri, method: .init(rawValue: method.uppercased())!, headers: b, body: Self.requestBody(method, path)) { response in
                        let text = String(buffer: response.body)
                        for secret in Self.secrets { #expect(!text.contains(secret), "\(method) \(uri) answered B with A's \(secret): \(text.prefix(300))") }
                        if pass == 1 { statuses["\(method) \(path)"] = Int(response.status.code) }
                    }
                }
            }
            // The second pass reached B's own data: its collection's points, its patterns.
            for route in ["post /collections/{collection}/points/search", "post /collections/{collection}/points/scroll", "get /collections/{collection}/points/{id}", "get /v1/patterns/{id}", "post /v1/search", "get /dashboard"] {
                #expect(statuses[route] == 200, "\(route): \(statuses[route] ?? 0)")
            }
            // B's own namespace took its requests: the tenant routes refused it, the rest served B.
            #expect(statuses["post /v1/tenants"] == 403 && statuses["get /v1/tenants"] == 403 && statuses["delete /v1/tenants/{tenant}/keys/{key}"] == 403)
            // A names another tenant only with an admin key.
            try await client.execute(uri: "/v1/patterns/secret-a-1", method: .get, headers: b + [.init("strata-tenant")!: "a"]) { #expect($0.status == .forbidden) }

            // A's data, as A sees it, is whole.
            let a = Self.header(keys.aWrite)
            try await client.execute(uri: "/v1/patterns/secret-a-0", method: .get, headers: a) { response in
                #expect(response.status == .ok)
                #expect((json(response)["text"] as? String)?.contains("AlphaSecretWriterInvoice") == true, "B's add of the same id landed in B's tenant, not A's")
            }
            try await client.execute(uri: "/v1/search", method: .post, headers: a, body: body(["text": "AlphaSecretWriter write rows table", "k": 20])) { response in
                let ids = (json(response)["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                #expect(Set(ids) == Set((0..<8).map { "secret-a-\($0)" }), "\(ids)")
            }
            try await client.execute(uri: "/collections/alpha-points/points/1", method: .get, headers: a) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("alpha-owner"))
            }
            try await client.execute(uri: "/v1/generations", method: .get, headers: a) { response in
                #expect(String(buffer: response.body).contains("alpha-secret-model"))
            }
            try await client.execute(uri: "/v1/budgets", method: .get, headers: a) { response in
                #expect(String(buffer: response.body).contains("alpha-secret-project"))
            }
            // A's audit log names A's key and request for each of A's writes; B's has none of A's.
            try await client.execute(uri: "/v1/audit?action=patterns.", method: .get, headers: a + [.init("x-request-id")!: "req-alpha"]) { response in
                let records = json(response)["records"] as? [[String: Any]] ?? []
                #expect(!records.isEmpty && records.allSatisfy { $0["tenant"] as? String == "a" && ($0["actor"] as? String)?.hasPrefix("key:") == true })
            }
            try await client.execute(uri: "/v1/patterns", method: .post, headers: a + [.init("x-request-id")!: "req-alpha"], body: body(["id": "late", "text": "def late_entry():\n    return 7\n"])) { #expect($0.status == .created) }
            try await client.execute(uri: "/v1/audit?action=patterns.add&after=0&limit=1000", method: .get, headers: a) { response in
                #expect((json(response)["records"] as? [[String: Any]])?.last?["request_id"] as? String == "req-alpha")
            }
            try await client.execute(uri: "/v1/audit/verify", method: .get, headers: a) { #expect(json($0)["holds"] as? Bool == true) }
            try await client.execute(uri: "/v1/audit", method: .get, headers: b) { response in
                let records = json(response)["records"] as? [[String: Any]] ?? []
                #expect(records.allSatisfy { $0["tenant"] as? String == "b" })
            }
            try await client.execute(uri: "/v1/audit?since=yesterday", method: .get, headers: a) { #expect($0.status == .badRequest) }
            // The admin sees all: A's pattern through the tenant header, every tenant's cost.
            try await client.execute(uri: "/v1/patterns/secret-a-3", method: .get, headers: Self.header(Self.adminKey) + [.init("strata-tenant")!: "a"]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/tenants", method: .get, headers: Self.header(Self.adminKey)) { response in
                let tenants = json(response)["tenants"] as? [[String: Any]] ?? []
                let alpha = tenants.first { $0["tenant"] as? String == "a" }
                #expect(tenants.map { $0["tenant"] as? String } == ["default", "a", "b"])
                #expect(alpha?["patterns"] as? Int == 9 && alpha?["generations"] as? Int == 1 && alpha?["active_keys"] as? Int == 2)
            }
        }
    }

    @Test(arguments: CatalogBackend.available)
    func aReadKeyReadsAndCannotWrite(backend: CatalogBackend) async throws {
        let served = try Self.served(backend)
        try await served.test { client in
            let keys = try await Self.setUp(client, served)
            let read = Self.header(keys.aRead)
            try await client.execute(uri: "/v1/search", method: .post, headers: read, body: body(["text": "write rows", "k": 3])) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/patterns/secret-a-1", method: .get, headers: read) { #expect($0.status == .ok) }
            try await client.execute(uri: "/collections/alpha-points/points/search", method: .post, headers: read, body: body(["vector": [1, 0, 0, 0], "limit": 1])) { #expect($0.status == .ok) }
            let writes: [(HTTPRequest.Method, String, ByteBuffer?)] = [
                (.post, "/v1/patterns", body(["text": "def f():\n    return 1\n"])), (.delete, "/v1/patterns/secret-a-1", nil),
                (.patch, "/v1/patterns/secret-a-1", body(["outcome": "failure"])), (.put, "/collections/other", body(["vectors": ["size": 4, "distance": "Dot"]])),
                (.post, "/collections/alpha-points/points/delete", body(["points": [1]])), (.post, "/v1/generations", body(["provider": "x", "model": "y"])),
                (.post, "/v1/clusters", body(["k": 2])), (.post, "/v1/generate", body(["prompt": "Create PostgreSQL writer Effect node"])),
            ]
            for (method, uri, payload) in writes {
                try await client.execute(uri: uri, method: method, headers: read, body: payload) { response in
                    #expect(response.status == .forbidden, "\(method) \(uri)")
                    #expect(String(buffer: response.body).contains("read role"))
                }
            }
            try await client.execute(uri: "/v1/patterns/secret-a-1", method: .get, headers: read) { #expect($0.status == .ok) }
        }
    }

    @Test func keysAreRequiredRevocableAndExpire() async throws {
        let served = try Self.served(.sqlite)
        try await served.test { client in
            // Before any key, the store serves as it did: reads open.
            try await client.execute(uri: "/v1/patterns/x", method: .get) { #expect($0.status == .notFound) }
            // The open store cannot make tenants without an admin key.
            try await client.execute(uri: "/v1/tenants", method: .post, body: body(["name": "c"])) { #expect($0.status == .unauthorized) }
            let keys = try await Self.setUp(client, served)
            try await client.execute(uri: "/v1/patterns/secret-a-0", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
                #expect(message(response).contains("api-key"))
            }
            try await client.execute(uri: "/dashboard", method: .get) { #expect($0.status == .unauthorized) }
            // Probes go without a key, and learn no counts.
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(json(response)["patterns"] == nil)
            }
            // A browser's Basic credentials (any user, the key as password) open the dashboard.
            let basic = "Basic " + Data(":\(keys.aWrite)".utf8).base64EncodedString()
            try await client.execute(uri: "/dashboard", method: .get, headers: [.authorization: basic]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/search", method: .post, headers: [.authorization: "Bearer \(keys.b)"], body: body(["text": "x", "k": 1])) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/tenants/b/keys/\(keys.bKeyID)", method: .delete, headers: Self.header(Self.adminKey)) { response in
                #expect(response.status == .ok)
                #expect(json(response)["state"] as? String == "revoked")
            }
            try await client.execute(uri: "/v1/search", method: .post, headers: [.authorization: "Bearer \(keys.b)"], body: body(["text": "x", "k": 1])) { response in
                #expect(response.status == .unauthorized)
                #expect(message(response).contains("revoked"))
            }
            let brief = try await client.execute(uri: "/v1/tenants/a/keys", method: .post, headers: Self.header(Self.adminKey), body: body(["role": "read", "expires_days": 1.0 / 86_400])) {
                json($0)["key"] as? String ?? ""
            }
            try await client.execute(uri: "/v1/patterns/secret-a-0", method: .get, headers: Self.header(brief)) { #expect($0.status == .ok) }
            try await Task.sleep(for: .milliseconds(1_100))
            try await client.execute(uri: "/v1/patterns/secret-a-0", method: .get, headers: Self.header(brief)) { response in
                #expect(response.status == .unauthorized)
                #expect(message(response).contains("expired"))
            }
            try await client.execute(uri: "/v1/patterns/secret-a-0", method: .get, headers: Self.header("strata_0123456789ab_forged")) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/tenants/a/keys", method: .get, headers: Self.header(Self.adminKey)) { response in
                let listed = json(response)["keys"] as? [[String: Any]] ?? []
                #expect(listed.count == 3 && listed.allSatisfy { $0["key"] == nil && $0["key_id"] is String })
                #expect(!String(buffer: response.body).contains(keys.aWrite))
            }
        }
    }
}
