import Foundation
import StrataAnalytics
import StrataStore

extension StrataService {
    /// The newest clustering run, with its map when one can be drawn; `nil` when the store
    /// was never clustered.
    func dashboardClusters() throws(ServerError) -> ClusterRunView? {
        let latest = try withClusterHistory { history throws(AnalyticsError) in try history.runs(limit: 1).first }
        guard let run = latest else { return nil }
        if let map = ClusterProjection.cached(store: configuration.store, run: run.id) {
            return ClusterRunView(run: run, map: map)
        }
        let (centroids, assignments) = try withClusterHistory { history throws(AnalyticsError) in
            (try history.centroids(run: run.id), try history.assignments(run: run.id))
        }
        var ids: [String] = [], clusters: [Int] = [], vectors: [Float] = []
        var missing = 0
        for id in ClusterProjection.sample(Array(assignments.keys), limit: ClusterProjection.sampleLimit) {
            let vector: [Float]
            do {
                vector = try store.vector(id: id)
            } catch {
                // Deleted since the run: the run still counts it, the map leaves it off.
                if case .unknownID = error { missing += 1; continue }
                throw serverError(error)
            }
            guard vector.count == run.dimension else {
                return ClusterRunView(run: run, map: nil, mapProblem:
                    "the store's vectors now have \(vector.count) dimensions and the run's \(run.dimension) (re-embedded since?): cluster again to draw the map")
            }
            ids.append(id)
            clusters.append(Int(assignments[id]!))
            vectors += ClusterProjection.unit(vector)
        }
        guard ids.count >= 2, centroids.count == run.k * run.dimension else {
            return ClusterRunView(run: run, map: nil, mapProblem:
                "fewer than two of the run's patterns are still in the store: cluster again to draw the map")
        }
        let map = try analyticsCall { () throws(AnalyticsError) in
            try ClusterProjection.fit(ids: ids, clusters: clusters, vectors: vectors, centroids: centroids, dimension: run.dimension,
                                      assigned: assignments.count, missing: missing)
        }
        ClusterProjection.cache(map, store: configuration.store, run: run.id)
        return ClusterRunView(run: run, map: map)
    }
}
