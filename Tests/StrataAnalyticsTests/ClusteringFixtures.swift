import StrataIndex
import StrataKernels

/// Gaussian blobs with known membership: `clusters` centres drawn far apart, `perCluster`
/// points around each with standard deviation `spread`.
struct Blobs {
    var vectors: VectorSet
    var labels: [Int]
    var centres: [[Float]]

    init(clusters: Int, perCluster: Int, dimension: Int, spread: Float = 0.05, separation: Float = 1, seed: UInt64 = 7) {
        var random = SeededRandom(seed: seed)
        var centres: [[Float]] = []
        for _ in 0..<clusters {
            var centre = (0..<dimension).map { _ in random.gaussian() }
            Kernels.normalize(&centre)
            centres.append(centre.map { $0 * separation })
        }
        var values: [Float] = []
        var labels: [Int] = []
        // Interleaved, so that cluster membership is not the row order.
        for _ in 0..<perCluster {
            for (c, centre) in centres.enumerated() {
                values += centre.map { $0 + spread * random.gaussian() }
                labels.append(c)
            }
        }
        self.vectors = VectorSet(dimension: dimension, values: values)
        self.labels = labels
        self.centres = centres
    }
}

/// The share of vectors whose found cluster's majority true label is their own.
func purity(found: [Int32], truth: [Int]) -> Double {
    var votes: [Int32: [Int: Int]] = [:]
    for (f, t) in zip(found, truth) { votes[f, default: [:]][t, default: 0] += 1 }
    let majority = votes.values.reduce(0) { $0 + ($1.values.max() ?? 0) }
    return Double(majority) / Double(truth.count)
}

/// Σ squared L2 distance of each vector to the given centroid, in double.
func inertia(_ vectors: VectorSet, centroids: VectorSet, assignments: [Int32]) -> Double {
    let d = vectors.dimension
    var total = 0.0
    for row in 0..<vectors.count {
        let c = Int(assignments[row])
        for i in 0..<d {
            let diff = Double(vectors.values[row * d + i]) - Double(centroids.values[c * d + i])
            total += diff * diff
        }
    }
    return total
}
