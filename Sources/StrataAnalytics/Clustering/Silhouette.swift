import StrataIndex
import StrataKernels

/// The silhouette of a clustering (Rousseeuw 1987): per vector, (b − a) / max(a, b), where a
/// is its mean distance to the rest of its cluster and b the smallest mean distance to
/// another cluster. Near 1: well inside its cluster; near 0: on a border; below 0: closer to
/// another cluster.
public enum Silhouette {
    /// The mean silhouette over `rows` (all vectors when `nil`), with Euclidean distances
    /// computed through one `sgemm` over the rows.
    ///
    /// Vectors alone in their cluster count as 0, as usual.
    /// - Complexity: O(m² × d) for m rows: keep m to a few thousand.
    public static func mean(_ vectors: VectorSet, assignments: [Int32], clusters: Int, rows: [Int]? = nil) -> Double {
        let selected = rows ?? Array(0..<vectors.count)
        let m = selected.count
        guard m >= 2, clusters >= 2 else { return 0 }
        let d = vectors.dimension
        var sample = [Float](repeating: 0, count: m * d)
        var norms = [Float](repeating: 0, count: m)
        vectors.values.withUnsafeBufferPointer { source in
            sample.withUnsafeMutableBufferPointer { target in
                for (i, row) in selected.enumerated() {
                    (target.baseAddress! + i * d).update(from: source.baseAddress! + row * d, count: d)
                }
                BatchScores.squaredNorms(target.baseAddress!, count: m, dimension: d, into: &norms)
            }
        }
        var dots = [Float](repeating: 0, count: m * m)
        sample.withUnsafeBufferPointer { source in
            BatchScores.dotProducts(queries: source.baseAddress!, queryCount: m, base: source.baseAddress!, baseCount: m, dimension: d, into: &dots)
        }
        let labels = selected.map { Int(assignments[$0]) }
        var members = [Int](repeating: 0, count: clusters)
        for label in labels { members[label] += 1 }
        var total = 0.0
        var distanceSums = [Double](repeating: 0, count: clusters)
        for i in 0..<m {
            for c in 0..<clusters { distanceSums[c] = 0 }
            for j in 0..<m where j != i {
                let squared = max(0, norms[i] + norms[j] - 2 * dots[i * m + j])
                distanceSums[labels[j]] += Double(squared.squareRoot())
            }
            let own = labels[i]
            guard members[own] > 1 else { continue }
            let a = distanceSums[own] / Double(members[own] - 1)
            var b = Double.infinity
            for c in 0..<clusters where c != own && members[c] > 0 {
                b = min(b, distanceSums[c] / Double(members[c]))
            }
            guard b.isFinite else { continue }
            let spread = max(a, b)
            if spread > 0 { total += (b - a) / spread }
        }
        return total / Double(m)
    }
}

/// Chooses k when the caller gives none: clusters a sample at each candidate k and keeps the k
/// whose clustering has the highest mean silhouette on that sample.
enum ClusterCountSelection {
    struct Choice {
        var k: Int
        var silhouetteByK: [Int: Double]
    }

    static func choose(_ vectors: VectorSet, configuration: KMeansConfiguration) throws(AnalyticsError) -> Choice {
        let n = vectors.count
        let candidates = Set(configuration.candidateClusters.filter { $0 >= 2 && $0 <= n / 5 }).sorted()
        guard !candidates.isEmpty else {
            throw .insufficientData(what: "vectors to choose k by silhouette (k ≥ 2 needs 5 vectors per cluster)", needed: 10, got: n)
        }
        var random = SeededRandom(seed: configuration.seed ^ 0x5111_0E77)
        let sampleRows = n <= configuration.silhouetteSample ? Array(0..<n) : KMeans.sampleWithoutReplacement(n, configuration.silhouetteSample, &random)
        var sampleValues: [Float] = []
        sampleValues.reserveCapacity(sampleRows.count * vectors.dimension)
        for row in sampleRows { sampleValues += vectors.values[row * vectors.dimension ..< (row + 1) * vectors.dimension] }
        let sample = VectorSet(dimension: vectors.dimension, values: sampleValues)

        var scores: [Int: Double] = [:]
        for k in candidates where k <= sample.count / 2 {
            var trial = configuration
            trial.clusters = k
            trial.variant = .lloyd
            let result = sample.values.withUnsafeBufferPointer {
                KMeans.run($0.baseAddress!, count: sample.count, dimension: sample.dimension, configuration: trial)
            }
            scores[k] = Silhouette.mean(sample, assignments: result.assignments, clusters: k)
        }
        guard let best = scores.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) else {
            throw .insufficientData(what: "vectors to choose k by silhouette", needed: 2 * (candidates.first ?? 2), got: sample.count)
        }
        return Choice(k: best.key, silhouetteByK: scores)
    }
}
