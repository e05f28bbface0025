import Foundation
import StrataAnalytics
import StrataKernels
import StrataIndex
import Synchronization

/// A stored clustering run drawn on a plane: a sample of its patterns and its centroids on the
/// first two principal components of the sampled vectors.
///
/// Made from what the run history keeps (every pattern's cluster and the unit centroids) and
/// the vectors the store still holds, without running k-means again or rebuilding the report.
struct ClusterProjection: Sendable, Equatable {
    /// A drawn pattern.
    struct Point: Sendable, Equatable {
        var id: String
        /// The run's cluster (report order: 0 is the largest).
        var cluster: Int
        var x: Float
        var y: Float
    }

    var points: [Point]
    /// Where each cluster's centre lies on the plane, in the run's cluster order.
    var centroids: [SIMD2<Float>]
    /// The share of the sample's variance along each axis.
    var explainedRatios: [Double]
    /// Patterns the run assigned (the points are a sample of them).
    var assigned: Int
    /// Sampled patterns no longer in the store, left off the map.
    var missing: Int

    /// Patterns drawn at most: enough to show each cluster's shape, few enough that fitting
    /// the components stays well under a second on wide vectors.
    static let sampleLimit = 1_000

    /// Projections of recent runs, keyed by store directory and run id. A recorded run never
    /// changes, and without the cache every refresh of every open page would fit the
    /// components again.
    private static let recent = Mutex<[String: ClusterProjection]>([:])
    private static let recentLimit = 8

    static func cached(store: String, run: Int64) -> ClusterProjection? {
        recent.withLock { $0["\(run)@\(store)"] }
    }

    static func cache(_ projection: ClusterProjection, store: String, run: Int64) {
        recent.withLock { entries in
            if entries.count >= recentLimit { entries.removeAll() }
            entries["\(run)@\(store)"] = projection
        }
    }

    /// Every `n / limit`-th of `ids` (sorted, so a run always draws the same sample).
    static func sample(_ ids: [String], limit: Int) -> [String] {
        let sorted = ids.sorted()
        guard sorted.count > limit else { return sorted }
        return (0..<limit).map { sorted[$0 * sorted.count / limit] }
    }

    /// Fits two components on `vectors` (unit rows, at least two) and places them and
    /// `centroids` on the plane.
    ///
    /// - Parameters:
    ///   - vectors: one row per id in `ids`, `dimension` floats each.
    ///   - centroids: the run's unit centroids, `k × dimension` row-major.
    static func fit(ids: [String], clusters: [Int], vectors: [Float], centroids: [Float], dimension: Int,
                    assigned: Int, missing: Int) throws(AnalyticsError) -> ClusterProjection {
        let components = try PrincipalComponents.fit(VectorSet(dimension: dimension, values: vectors), components: min(2, dimension))
        let width = components.count
        let projected = try components.project(VectorSet(dimension: dimension, values: vectors))
        let centres = try components.project(VectorSet(dimension: dimension, values: centroids))
        func at(_ values: [Float], _ row: Int) -> SIMD2<Float> {
            SIMD2(values[row * width], width > 1 ? values[row * width + 1] : 0)
        }
        let points = ids.indices.map { row in
            let point = at(projected, row)
            return Point(id: ids[row], cluster: clusters[row], x: point.x, y: point.y)
        }
        // A cluster's mark goes where its drawn members' mean projects (the projection is
        // linear, so that is the mean of their points). The stored centroid is that mean
        // scaled to length 1, which on the plane lands outside its own cluster; it is the
        // fallback for a cluster none of whose sampled members is left.
        var sums = [SIMD2<Float>](repeating: .zero, count: centroids.count / dimension)
        var counts = [Float](repeating: 0, count: sums.count)
        for point in points where sums.indices.contains(point.cluster) {
            sums[point.cluster] += SIMD2(point.x, point.y)
            counts[point.cluster] += 1
        }
        return ClusterProjection(
            points: points, centroids: sums.indices.map { counts[$0] > 0 ? sums[$0] / counts[$0] : at(centres, $0) },
            explainedRatios: components.explainedRatios, assigned: assigned, missing: missing)
    }

    /// `vector` scaled to length 1 (left as it is when it is all zeros), as the run's
    /// centroids are.
    static func unit(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}
