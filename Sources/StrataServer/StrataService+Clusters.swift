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
            func whole(_ key: String, _ range: ClosedRange<Int>) throws(ServerError) -> Int? {
                guard let value = body[key] else { return nil }
                guard let number = value as? NSNumber, number.doubleValue == number.doubleValue.rounded(), range.contains(number.intValue) else {
                    throw .badRequest("\"\(key)\" must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                }
                return number.intValue
            }
            var clustering = KMeansConfiguration(clusters: try whole("k", 2...4096), seed: UInt64(try whole("seed", 0...Int(Int32.max)) ?? 1))
            clustering.restarts = try whole("restarts", 1...20) ?? 1
            let filter = body["filter"] as? String ?? ""
            let clusteringChoice = clustering
            let report = try await self.offloaded { () throws(ServerError) in
                try self.withClusterHistory { history throws(AnalyticsError) in
                    try ClusterReport.generate(store: self.store, filter: filter, clustering: clusteringChoice, history: history)
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
                if history == nil { history = try ClusterRunHistory(catalog: AnalyticsCatalog.open(storeDirectory: configuration.store)) }
                return try body(history!)
            }
        }
    }
}
