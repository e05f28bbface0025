import Foundation
import Hummingbird
import HummingbirdTesting
import StrataAnalytics
import StrataServer
import StrataStore
import StrataTestSupport
import Testing

/// Two replicas serving one shared store (a PostgreSQL catalog, one folder): a Qdrant
/// collection made through one is searched through the other.
@Suite(.enabled(if: CatalogBackend.postgresURL != nil, "needs STRATA_TEST_POSTGRES (make test starts a server)"))
struct QdrantReplicaTests {
    /// A replica: the shared store opened as `strata serve` opens it, and its service.
    static func replica(_ folder: String) throws -> StrataService {
        let store = try PatternStore.open(at: folder, follow: true)
        var configuration = ServerConfiguration()
        configuration.store = folder
        let tracker = try PerformanceTracker(catalog: AnalyticsCatalog(location: store.catalogLocation, create: false))
        return StrataService(configuration: configuration, store: store, tracker: tracker)
    }

    static func nearest(_ client: some TestClientProtocol, _ vector: [Float]) async throws -> (status: HTTPResponse.Status, ids: [Int]) {
        try await client.execute(uri: "/collections/shared/points/search", method: .post, body: body(["vector": vector, "limit": 2])) { response in
            let hits = QdrantTests.result(response) as? [[String: Any]] ?? []
            return (response.status, hits.compactMap { $0["id"] as? Int })
        }
    }

    @Test func aCollectionCreatedThroughOneReplicaIsSearchedThroughTheOther() async throws {
        let folder = NSTemporaryDirectory() + "strata-qdrant-replicas-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var configuration = StoreConfiguration()
        configuration.dimension = 4
        try PatternStore.create(at: folder, catalog: try CatalogBackend.postgres.storeCatalog(), configuration: configuration, embedder: nil, settings: .external(identifier: "test")).close()
        let first = try Self.replica(folder)
        defer { try? first.shutdown() }
        let second = try Self.replica(folder)
        defer { try? second.shutdown() }

        try await Application(responder: first.makeResponder()).test(.router) { one in
            try await Application(responder: second.makeResponder()).test(.router) { other in
                try await QdrantTests.seed(one, collection: "shared")
                try await other.execute(uri: "/collections", method: .get) { response in
                    let names = ((QdrantTests.result(response) as? [String: Any])?["collections"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                    #expect(names == ["shared"])
                }
                let found = try await Self.nearest(other, [0, 0.1, 1, 0])
                #expect(found.status == .ok && found.ids == [10, 2])
                // A point written through the other replica is found through the first.
                try await other.execute(uri: "/collections/shared/points?wait=true", method: .put, body: body(["points": [["id": 77, "vector": [0, 0, 0, 1]]]])) { response in
                    #expect(response.status == .ok, "\(QdrantTests.qdrantError(response))")
                }
                var followed = false
                for _ in 0..<100 where !followed {
                    followed = try await Self.nearest(one, [0, 0, 0.1, 1]).ids.first == 77
                    if !followed { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(followed, "the first replica never found the point written through the second")
                try await other.execute(uri: "/collections/shared", method: .put, body: body(["vectors": ["size": 4, "distance": "Cosine"]])) { response in
                    #expect(response.status == .conflict)
                }
                // A shared store's collections are snapshotted with the database: the client is told so.
                try await one.execute(uri: "/collections/shared/snapshots", method: .post) { response in
                    #expect(response.status == .badRequest && QdrantTests.qdrantError(response).contains("pg_dump"), "\(QdrantTests.qdrantError(response))")
                }
                FileManager.default.createFile(atPath: folder + "/old.snapshot", contents: Data("not read".utf8))
                try await one.execute(uri: "/collections/shared/snapshots/recover", method: .put, body: body(["location": "file://\(folder)/old.snapshot"])) { response in
                    #expect(response.status == .badRequest, "\(QdrantTests.qdrantError(response))")
                }
                // Deleted through one, gone from the other within the recheck interval.
                try await one.execute(uri: "/collections/shared", method: .delete) { response in
                    #expect(QdrantTests.result(response) as? Bool == true)
                }
                try await Task.sleep(for: StoreCollections.recheckInterval + .milliseconds(100))
                #expect(try await Self.nearest(other, [1, 0, 0, 0]).status == .notFound)
            }
        }
    }
}
