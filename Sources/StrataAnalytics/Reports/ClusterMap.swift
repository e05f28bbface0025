import StrataIndex
import StrataKernels

/// The patterns drawn on a plane: the first two principal components of every vector, with
/// a seeded sample of the points kept for drawing.
public struct ClusterMap: Sendable, Equatable {
    /// A drawn pattern.
    public struct Point: Sendable, Equatable {
        /// The pattern's id.
        public var id: String
        /// Its report cluster.
        public var cluster: Int
        /// Its coordinate on the first component.
        public var x: Float
        /// Its coordinate on the second component.
        public var y: Float
    }

    /// The drawn points (all patterns, or a sample of ``ClusterReportConfiguration/mapSample``).
    public var points: [Point]
    /// Each cluster's centroid on the plane, in report cluster order.
    public var centroids: [SIMD2<Float>]
    /// The share of the total variance along each axis.
    public var explainedRatios: [Double]
    /// Patterns in the snapshot (points drawn may be fewer).
    public var total: Int

    /// Fits the components on every vector (the axes then describe the whole set) and
    /// projects the sample and the centroids.
    static func make(unit: VectorSet, ids: [String], assignments: [Int32], centroids: VectorSet,
                     sample: Int, seed: UInt64) throws(AnalyticsError) -> ClusterMap {
        let n = unit.count
        guard n >= 2 else {
            let points = zip(ids, assignments).map { Point(id: $0, cluster: Int($1), x: 0, y: 0) }
            return ClusterMap(points: points, centroids: Array(repeating: .zero, count: centroids.count), explainedRatios: [], total: n)
        }
        let components = try PrincipalComponents.fit(unit, components: min(2, unit.dimension))
        let rows: [Int]
        if n <= sample {
            rows = Array(0..<n)
        } else {
            var random = SeededRandom(seed: seed)
            rows = KMeans.sampleWithoutReplacement(n, sample, &random).sorted()
        }
        var values: [Float] = []
        values.reserveCapacity(rows.count * unit.dimension)
        for row in rows { values += unit.values[row * unit.dimension ..< (row + 1) * unit.dimension] }
        let projected = try components.project(VectorSet(dimension: unit.dimension, values: values))
        let centres = try components.project(centroids)
        let width = components.count
        func coordinate(_ values: [Float], _ index: Int) -> SIMD2<Float> {
            SIMD2(values[index * width], width > 1 ? values[index * width + 1] : 0)
        }
        let points = rows.enumerated().map { position, row in
            let at = coordinate(projected, position)
            return Point(id: ids[row], cluster: Int(assignments[row]), x: at.x, y: at.y)
        }
        return ClusterMap(points: points, centroids: (0..<centroids.count).map { coordinate(centres, $0) },
                          explainedRatios: components.explainedRatios, total: n)
    }

    package init(points: [Point], centroids: [SIMD2<Float>], explainedRatios: [Double], total: Int) {
        self.points = points
        self.centroids = centroids
        self.explainedRatios = explainedRatios
        self.total = total
    }
}
