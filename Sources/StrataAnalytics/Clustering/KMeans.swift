import Foundation
import StrataIndex
import StrataKernels

/// What a k-means run found.
public struct KMeansResult: Sendable, Equatable {
    /// One centroid per cluster (unit length for spherical k-means).
    public var centroids: VectorSet
    /// The cluster of each vector, in input order.
    public var assignments: [Int32]
    /// Vectors per cluster.
    public var sizes: [Int]
    /// Σ squared L2 distance of each vector to its centroid (on the normalized vectors for
    /// spherical k-means, on the vectors as given otherwise).
    public var inertia: Double
    /// Centroid updates made.
    public var iterations: Int
    /// Stopped because the tolerance was reached or no assignment changed, not at the cap.
    public var converged: Bool
    /// The inertia after each iteration's assignment step.
    public var inertiaHistory: [Double]
    /// Mean silhouette of a sample (−1…1, higher is better separated); set when k was chosen
    /// by silhouette.
    public var silhouette: Double?
    /// The silhouette of each candidate k tried, when k was chosen.
    public var silhouetteByK: [Int: Double]
    /// Wall time of the whole run.
    public var seconds: Double

    /// Clusters.
    public var k: Int { centroids.count }
}

/// k-means clustering: greedy k-means++ seeding, Lloyd iterations whose assignment step is one
/// `sgemm` per block of vectors (fused with the centroid sums, so each iteration reads the
/// data once), empty clusters repaired, spherical and mini-batch variants, k chosen by
/// silhouette when not given. Deterministic for a given seed and thread count.
public enum KMeans {
    /// Clusters `vectors`.
    ///
    /// - Throws: ``AnalyticsError/invalidArgument(name:value:expected:)`` for a bad setting, a
    ///   non-finite value or (spherical) a zero vector; ``AnalyticsError/insufficientData(what:needed:got:)``
    ///   for an empty set.
    /// - Complexity: O(iterations × n × k × d) at BLAS level-3 speed, plus seeding
    ///   O(k × trials × min(n, seedingSample) × d).
    public static func fit(_ vectors: VectorSet, configuration: KMeansConfiguration = KMeansConfiguration()) throws(AnalyticsError) -> KMeansResult {
        let started = DispatchTime.now().uptimeNanoseconds
        let n = vectors.count
        guard n >= 1 else { throw .insufficientData(what: "vectors to cluster", needed: 1, got: 0) }
        try configuration.validate(vectorCount: n)
        if let position = vectors.values.withUnsafeBufferPointer({ Kernels.firstNonFinite($0) }) {
            throw .invalidArgument(name: "vector \(position / vectors.dimension)", value: "component \(position % vectors.dimension)", expected: "finite numbers (no NaN or infinity)")
        }
        var input = vectors
        if configuration.spherical { try normalizeRows(&input) }

        var chosen = configuration
        var silhouetteByK: [Int: Double] = [:]
        if configuration.clusters == nil {
            let choice = try ClusterCountSelection.choose(input, configuration: configuration)
            chosen.clusters = choice.k
            silhouetteByK = choice.silhouetteByK
        }
        if let sampleSize = chosen.trainingSample, sampleSize < n {
            var random = SeededRandom(seed: chosen.seed ^ 0x7A1_5A3B1E)
            let rows = sampleWithoutReplacement(n, sampleSize, &random)
            var values: [Float] = []
            values.reserveCapacity(sampleSize * input.dimension)
            for row in rows { values += input.values[row * input.dimension ..< (row + 1) * input.dimension] }
            var onSample = chosen
            onSample.trainingSample = nil
            let trained = try fit(VectorSet(dimension: input.dimension, values: values), configuration: onSample)
            var result = input.values.withUnsafeBufferPointer { buffer in
                assign(buffer.baseAddress!, count: n, dimension: input.dimension, centroids: trained.centroids, threads: chosen.threads)
            }
            result.iterations = trained.iterations
            result.converged = trained.converged
            result.inertiaHistory = trained.inertiaHistory
            result.silhouette = trained.silhouette
            result.silhouetteByK = trained.silhouetteByK
            result.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            return result
        }
        var result = input.values.withUnsafeBufferPointer { buffer in
            var best: KMeansResult?
            for restart in 0..<chosen.restarts {
                var attempt = chosen
                attempt.seed = chosen.seed &+ UInt64(restart) &* 0x9E37_79B9_7F4A_7C15
                let candidate = run(buffer.baseAddress!, count: n, dimension: input.dimension, configuration: attempt)
                if best.map({ candidate.inertia < $0.inertia }) ?? true { best = candidate }
            }
            return best!
        }
        if !silhouetteByK.isEmpty {
            result.silhouetteByK = silhouetteByK
            result.silhouette = silhouetteByK[result.k]
        }
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return result
    }

    /// One run at a fixed k, on validated (and for spherical, normalized) vectors.
    static func run(_ data: UnsafePointer<Float>, count n: Int, dimension d: Int, configuration: KMeansConfiguration) -> KMeansResult {
        let k = configuration.clusters ?? 1
        let workspace = KMeansWorkspace(data: data, count: n, dimension: d, clusters: k, workers: configuration.threads)
        var random = SeededRandom(seed: configuration.seed)
        seed(workspace, configuration: configuration, random: &random)
        if configuration.spherical { normalizeCentroids(workspace) }
        workspace.refreshCentroidNorms()

        var history: [Double] = []
        var iterations = 0
        var converged = false
        var needsFinalPass = true
        let useMiniBatch: Int? = switch configuration.variant {
        case .lloyd: nil
        case let .miniBatch(batchSize): batchSize
        case .automatic: n > configuration.miniBatchThreshold ? 4_096 : nil
        }
        if let batchSize = useMiniBatch {
            (iterations, converged, history) = miniBatch(workspace, batchSize: batchSize, configuration: configuration, random: &random)
        } else {
            while iterations < configuration.maxIterations {
                let pass = workspace.assignAll(accumulate: true)
                history.append(pass.inertia)
                if iterations > 0, pass.changed == 0 {
                    // Same assignments as the last update: the centroids would not move.
                    converged = true
                    needsFinalPass = false
                    break
                }
                updateCentroids(workspace, spherical: configuration.spherical)
                iterations += 1
                if history.count >= 2, configuration.tolerance > 0 {
                    let previous = history[history.count - 2]
                    if previous - pass.inertia <= configuration.tolerance * max(pass.inertia, .leastNormalMagnitude) {
                        converged = true
                        break
                    }
                }
            }
        }
        var inertia = history.last ?? 0
        if needsFinalPass {
            inertia = workspace.assignAll(accumulate: false).inertia
        }
        return result(of: workspace, inertia: inertia, iterations: iterations, converged: converged, history: history)
    }

    /// Every vector assigned to the nearest of fixed `centroids`: one pass, no update.
    static func assign(_ data: UnsafePointer<Float>, count n: Int, dimension d: Int, centroids: VectorSet, threads: Int) -> KMeansResult {
        let workspace = KMeansWorkspace(data: data, count: n, dimension: d, clusters: centroids.count, workers: threads)
        centroids.values.withUnsafeBufferPointer { workspace.centroids.update(from: $0.baseAddress!, count: $0.count) }
        workspace.refreshCentroidNorms()
        let pass = workspace.assignAll(accumulate: false)
        return result(of: workspace, inertia: pass.inertia, iterations: 0, converged: true, history: [pass.inertia])
    }

    /// The result held by a workspace after its last assignment pass.
    private static func result(of workspace: KMeansWorkspace, inertia: Double, iterations: Int, converged: Bool, history: [Double]) -> KMeansResult {
        let n = workspace.count, k = workspace.clusters, d = workspace.dimension
        var sizes = [Int](repeating: 0, count: k)
        for row in 0..<n { sizes[Int(workspace.assignments[row])] += 1 }
        return KMeansResult(
            centroids: VectorSet(dimension: d, values: Array(UnsafeBufferPointer(start: workspace.centroids, count: k * d))),
            assignments: Array(UnsafeBufferPointer(start: workspace.assignments, count: n)),
            sizes: sizes, inertia: inertia, iterations: iterations, converged: converged,
            inertiaHistory: history, silhouette: nil, silhouetteByK: [:], seconds: 0
        )
    }

    /// Moves each centroid to the mean of its vectors; an empty cluster takes the vector
    /// farthest from its centroid (from a cluster that keeps at least one), so k stays k.
    static func updateCentroids(_ workspace: KMeansWorkspace, spherical: Bool) {
        workspace.reduceWorkers()
        let d = workspace.dimension
        let sums = workspace.sums
        let counts = workspace.counts
        let empty = (0..<workspace.clusters).filter { counts[$0] == 0 }
        if !empty.isEmpty { repairEmptyClusters(empty, workspace) }
        for j in 0..<workspace.clusters {
            let centroid = workspace.centroids + j * d
            let scale = 1 / Double(counts[j])
            for i in 0..<d { centroid[i] = Float(sums[j * d + i] * scale) }
        }
        if spherical { normalizeCentroids(workspace) }
        workspace.refreshCentroidNorms()
    }

    /// Gives each empty cluster the worst-served vector, taking it out of its old cluster's sums.
    private static func repairEmptyClusters(_ empty: [Int], _ workspace: KMeansWorkspace) {
        let d = workspace.dimension
        // The farthest vectors first; only as many as there are empty clusters are needed.
        var candidates = Array(0..<workspace.count)
        candidates.sort { workspace.distances[$0] > workspace.distances[$1] }
        var next = 0
        for cluster in empty {
            while next < candidates.count, workspace.counts[Int(workspace.assignments[candidates[next]])] <= 1 { next += 1 }
            guard next < candidates.count else { break }
            let row = candidates[next]
            next += 1
            let old = Int(workspace.assignments[row])
            let vector = workspace.data + row * d
            for i in 0..<d {
                workspace.sums[old * d + i] -= Double(vector[i])
                workspace.sums[cluster * d + i] = Double(vector[i])
            }
            workspace.counts[old] -= 1
            workspace.counts[cluster] = 1
            workspace.assignments[row] = Int32(cluster)
            workspace.distances[row] = 0
        }
    }

    static func normalizeCentroids(_ workspace: KMeansWorkspace) {
        for j in 0..<workspace.clusters {
            _ = Kernels.normalize(workspace.centroids + j * workspace.dimension, count: workspace.dimension)
        }
    }

    /// Scales every row to unit length, refusing zero rows (they have no direction).
    static func normalizeRows(_ vectors: inout VectorSet) throws(AnalyticsError) {
        let d = vectors.dimension
        let zero: Int? = vectors.values.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<(buffer.count / d) {
                if Kernels.normalize(buffer.baseAddress! + row * d, count: d) == 0 { return row }
            }
            return nil
        }
        if let zero {
            throw .invalidArgument(name: "vector \(zero)", value: "all zeros", expected: "a non-zero vector (spherical k-means clusters directions)")
        }
    }
}
