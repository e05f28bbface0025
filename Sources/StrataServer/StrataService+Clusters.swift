import Foundation
import Hummingbird
import StrataAnalytics
import StrataStore

extension StrataService {
    func addClusterRoutes(to router: Router<BasicRequestContext>) {
        // {"k" (omit: chosen by silhouette), "filter", "restarts", "seed"} → the report as
        // `strata cluster --json` writes it; the run is kept in the history.
        router.post("v1/clusters") { request, _ throws(ServerError) in
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes)
            var clustering = KMeansConfiguration(
                clusters: try JSONResponse.whole(body["k"], "k", range: 2...4096),
                seed: UInt64(try JSONResponse.whole(body["seed"], "seed", default: 1, range: 0...Int(Int32.max))))
            clustering.restarts = try JSONResponse.whole(body["restarts"], "restarts", default: 1, range: 1...20)
            let filter = body["filter"] as? String ?? ""
            let report = try await self.offloaded { [clustering] () throws(ServerError) in
                try self.withClusterHistory { history throws(AnalyticsError) in
                    try ClusterReport.generate(store: self.store, filter: filter, clustering: clustering, history: history)
                }
            }
            return JSONResponse.make(report.jsonObject(), status: .created)
        }
        router.get("v1/clusters") { _, _ throws(ServerError) in
            let runs = try self.withClusterHistory { history throws(AnalyticsError) in try history.runs() }
            let dates = ISO8601DateFormatter()
            return JSONResponse.make(["runs": runs.map { ["id": $0.id, "created_at": dates.string(from: $0.createdAt), "filter": $0.filter, "k": $0.k, "n": $0.n] as [String: Any] }])
        }
    }

    /// Runs `body` with the store's cluster run history, one call at a time: the history
    /// has its own catalog connection, opened on first use.
    func withClusterHistory<T: Sendable>(_ body: (ClusterRunHistory) throws(AnalyticsError) -> T) throws(ServerError) -> T {
        try clusterRuns.withLock { history throws(ServerError) -> T in
            try analyticsCall { () throws(AnalyticsError) -> T in
                if history == nil { history = try ClusterRunHistory(catalog: AnalyticsCatalog(location: store.catalogLocation, create: false)) }
                return try body(history!)
            }
        }
    }
}
