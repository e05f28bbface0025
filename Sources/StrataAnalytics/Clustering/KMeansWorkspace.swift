import StrataKernels

/// The buffers of one k-means run and the pass that assigns vectors to centroids.
///
/// Invariants: `data` points at `count * dimension` floats that outlive the workspace (the
/// caller's array, held for the whole run); every buffer below is allocated here, sized from
/// `count`, `dimension`, `clusters` and `workers`, and freed in `deinit`. Worker `w` writes
/// only its own slices of `scores`, `blockSums`, `sums` and `counts`; rows are written only by
/// the worker that claimed their block, so the parallel pass needs no locks.
final class KMeansWorkspace: @unchecked Sendable {
    let data: UnsafePointer<Float>
    let count: Int
    let dimension: Int
    let clusters: Int
    let workers: Int
    /// Rows per `sgemm`: small enough that a block and its scores stay in the L2/L3 caches
    /// while its rows are added into the cluster sums (1 MiB of rows: 682 at d = 384, which
    /// measured fastest against 256, 2,048 and 4,096 on the 100k × 384 set).
    let blockRows: Int

    /// `‖x‖²` per vector.
    let norms: UnsafeMutablePointer<Float>
    let centroids: UnsafeMutablePointer<Float>
    /// `‖c‖²` per centroid.
    let centroidNorms: UnsafeMutablePointer<Float>
    let assignments: UnsafeMutablePointer<Int32>
    /// Squared L2 distance of each vector to its assigned centroid.
    let distances: UnsafeMutablePointer<Float>
    /// Per worker: `blockRows × clusters` scores.
    private let scores: UnsafeMutablePointer<Float>
    /// Per worker: one block's float sums per cluster, folded into `sums` after the block so
    /// float rounding never accumulates over more than a block.
    private let blockSums: UnsafeMutablePointer<Float>
    /// Per worker: double sums per cluster.
    let sums: UnsafeMutablePointer<Double>
    /// Per worker: vectors per cluster.
    let counts: UnsafeMutablePointer<Int>

    init(data: UnsafePointer<Float>, count: Int, dimension: Int, clusters: Int, workers: Int) {
        self.data = data
        self.count = count
        self.dimension = dimension
        self.clusters = clusters
        self.workers = max(1, workers)
        blockRows = max(64, min(1_024, (1 << 20) / max(1, dimension * 4)))
        norms = .allocate(capacity: count)
        centroids = .allocate(capacity: clusters * dimension)
        centroidNorms = .allocate(capacity: clusters)
        assignments = .allocate(capacity: count)
        assignments.initialize(repeating: -1, count: count)
        distances = .allocate(capacity: count)
        scores = .allocate(capacity: self.workers * blockRows * clusters)
        blockSums = .allocate(capacity: self.workers * clusters * dimension)
        sums = .allocate(capacity: self.workers * clusters * dimension)
        counts = .allocate(capacity: self.workers * clusters)
        BatchScores.squaredNorms(data, count: count, dimension: dimension, into: norms)
    }

    deinit {
        norms.deallocate()
        centroids.deallocate()
        centroidNorms.deallocate()
        assignments.deallocate()
        distances.deallocate()
        scores.deallocate()
        blockSums.deallocate()
        sums.deallocate()
        counts.deallocate()
    }

    /// Recomputes `centroidNorms` from `centroids`.
    func refreshCentroidNorms() {
        BatchScores.squaredNorms(centroids, count: clusters, dimension: dimension, into: centroidNorms)
    }

    /// What one assignment pass found.
    struct PassResult {
        /// Σ squared distance to the assigned centroid, over every vector.
        var inertia: Double
        /// Vectors whose cluster changed.
        var changed: Int
    }

    /// Assigns every vector to its nearest centroid (for unit vectors and unit centroids, the
    /// largest cosine), records its squared distance, and when `accumulate` adds it into its worker's
    /// cluster sums and counts: the assignment and the centroid update in one read of the data.
    func assignAll(accumulate: Bool) -> PassResult {
        if accumulate {
            sums.initialize(repeating: 0, count: workers * clusters * dimension)
            counts.initialize(repeating: 0, count: workers * clusters)
        }
        let blocks = (count + blockRows - 1) / blockRows
        let inertiaParts = UnsafeMutablePointer<Double>.allocate(capacity: workers)
        let changedParts = UnsafeMutablePointer<Int>.allocate(capacity: workers)
        inertiaParts.initialize(repeating: 0, count: workers)
        changedParts.initialize(repeating: 0, count: workers)
        defer {
            inertiaParts.deallocate()
            changedParts.deallocate()
        }
        let parts = (inertia: UnsafeSendable(inertiaParts), changed: UnsafeSendable(changedParts))
        Parallel.forEach(blocks, threads: workers) { worker, block in
            let start = block * self.blockRows
            let rows = min(self.blockRows, self.count - start)
            let (inertia, changed) = self.assignBlock(start: start, rows: rows, worker: worker, accumulate: accumulate)
            parts.inertia.pointer[worker] += inertia
            parts.changed.pointer[worker] += changed
        }
        var result = PassResult(inertia: 0, changed: 0)
        for worker in 0..<workers {
            result.inertia += inertiaParts[worker]
            result.changed += changedParts[worker]
        }
        return result
    }

    private func assignBlock(start: Int, rows: Int, worker: Int, accumulate: Bool) -> (Double, Int) {
        let k = clusters
        let d = dimension
        let blockScores = scores + worker * blockRows * k
        BatchScores.dotProducts(queries: data + start * d, queryCount: rows, base: centroids, baseCount: k, dimension: d, into: blockScores)
        let local = blockSums + worker * k * d
        let workerCounts = counts + worker * k
        if accumulate { local.initialize(repeating: 0, count: k * d) }
        var inertia = 0.0
        var changed = 0
        for r in 0..<rows {
            let row = start + r
            let rowScores = blockScores + r * k
            var best = 0
            // Nearest by ‖c‖² − 2 x·c (‖x‖² is the same for every centroid).
            var bestValue = centroidNorms[0] - 2 * rowScores[0]
            for j in 1..<k {
                let value = centroidNorms[j] - 2 * rowScores[j]
                if value < bestValue {
                    bestValue = value
                    best = j
                }
            }
            let distance = max(0, norms[row] + bestValue)
            distances[row] = distance
            inertia += Double(distance)
            if assignments[row] != Int32(best) {
                changed += 1
                assignments[row] = Int32(best)
            }
            if accumulate {
                workerCounts[best] += 1
                Self.add(data + row * d, into: local + best * d, count: d)
            }
        }
        if accumulate {
            let target = sums + worker * k * d
            for i in 0..<(k * d) where local[i] != 0 {
                target[i] += Double(local[i])
            }
        }
        return (inertia, changed)
    }

    /// `target[i] += source[i]` for `count` floats.
    @inline(__always)
    static func add(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            let a = UnsafeRawPointer(source + i).loadUnaligned(as: SIMD16<Float>.self)
            let b = UnsafeRawPointer(target + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(target + i).storeBytes(of: a + b, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            target[i] += source[i]
            i += 1
        }
    }

    /// Folds the workers' sums and counts into worker 0's slice.
    func reduceWorkers() {
        let size = clusters * dimension
        for worker in 1..<max(1, workers) {
            let source = sums + worker * size
            for i in 0..<size { sums[i] += source[i] }
            for j in 0..<clusters { counts[j] += counts[worker * clusters + j] }
        }
    }
}

/// A pointer handed to parallel workers that write disjoint parts of it.
struct UnsafeSendable<Pointee>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Pointee>
    init(_ pointer: UnsafeMutablePointer<Pointee>) { self.pointer = pointer }
}
