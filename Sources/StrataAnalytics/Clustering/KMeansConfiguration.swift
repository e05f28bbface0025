import StrataKernels

/// How ``KMeans`` clusters: how many clusters, how long, which variant, which seed.
///
/// The defaults run Lloyd's algorithm from greedy k-means++ seeds for at most 25 iterations
/// and stop early once an iteration improves the inertia by less than 0.01 %.
public struct KMeansConfiguration: Sendable, Equatable {
    /// The iteration scheme.
    public enum Variant: Sendable, Equatable {
        /// Lloyd: every iteration assigns every vector (one `sgemm` per block) and moves each
        /// centroid to the mean of its vectors.
        case lloyd
        /// Mini-batch (Sculley 2010): every iteration assigns a random batch of this many
        /// vectors and moves their centroids by a per-centroid learning rate; for stores too
        /// large for full passes. A last full pass assigns every vector.
        case miniBatch(batchSize: Int)
        /// Lloyd up to ``KMeansConfiguration/miniBatchThreshold`` vectors, mini-batch (batch
        /// 4,096) above it.
        case automatic
    }

    /// Clusters; `nil` chooses k by the silhouette of a sample among ``candidateClusters``.
    public var clusters: Int?
    /// The k tried when ``clusters`` is `nil` (those above a fifth of the vectors are skipped).
    public var candidateClusters: [Int] = [4, 6, 8, 12, 16, 24, 32, 48, 64]
    /// Iterations at most (Lloyd passes or mini-batches).
    public var maxIterations: Int = 25
    /// Stop when an iteration improves the inertia by less than this fraction; 0 runs every
    /// iteration (unless no assignment changes).
    public var tolerance: Double = 1e-4
    /// Seeds the k-means++ draws, the samples and the batches: the same seed, the same
    /// clusters.
    public var seed: UInt64 = 1
    /// Spherical k-means for cosine spaces: vectors and centroids on the unit sphere, vectors
    /// assigned by the largest cosine. The vectors are normalized first.
    public var spherical: Bool = false
    /// The iteration scheme; see ``Variant``.
    public var variant: Variant = .automatic
    /// Above this many vectors `.automatic` switches to mini-batch.
    public var miniBatchThreshold: Int = 500_000
    /// k-means++ draws its seeds from a uniform sample of at most this many vectors: each seed
    /// costs a pass over the sample, so seeding all of a large set would cost more than the
    /// iterations that follow; the Lloyd passes then use every vector. `nil`: 64 per cluster,
    /// at least 4,096 (on the 100k × 384 benchmark set, k = 64, the final inertia is within
    /// 0.3 % of seeding from every vector, at a tenth of the seeding time).
    public var seedingSample: Int?
    /// Candidates drawn per k-means++ seed, the one lowering the potential most kept (greedy
    /// k-means++); `nil`: 2 + ln k.
    public var seedingTrials: Int?
    /// Fit the centroids on a uniform sample of this many vectors, then assign every vector
    /// once (FAISS's default trains on 256 per centroid): much faster on large sets, at an
    /// inertia a few per cent above fitting on all of them. `nil`: fit on every vector.
    public var trainingSample: Int?
    /// Independent runs from different seeds, the one with the lowest inertia kept: k-means
    /// finds a local optimum, and on small sets a bad seed draw can merge two real clusters.
    /// Each restart costs a whole run.
    public var restarts: Int = 1
    /// Vectors in the silhouette sample (choosing k, and in the result).
    public var silhouetteSample: Int = 2_000
    /// Worker threads.
    public var threads: Int = Parallel.coreCount

    public init(clusters: Int? = nil, maxIterations: Int = 25, tolerance: Double = 1e-4, seed: UInt64 = 1, spherical: Bool = false) {
        self.clusters = clusters
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.seed = seed
        self.spherical = spherical
    }

    /// Checks every field against the number of vectors.
    func validate(vectorCount: Int) throws(AnalyticsError) {
        if let clusters, clusters < 1 || clusters > vectorCount {
            throw .invalidArgument(name: "k", value: "\(clusters)", expected: "between 1 and the number of vectors (\(vectorCount))")
        }
        guard maxIterations >= 1 else {
            throw .invalidArgument(name: "max-iter", value: "\(maxIterations)", expected: "at least 1")
        }
        guard tolerance >= 0, tolerance.isFinite else {
            throw .invalidArgument(name: "tolerance", value: "\(tolerance)", expected: "a finite number ≥ 0")
        }
        if case let .miniBatch(batchSize) = variant, batchSize < 1 {
            throw .invalidArgument(name: "batch size", value: "\(batchSize)", expected: "at least 1")
        }
        if let seedingSample, seedingSample < 1 {
            throw .invalidArgument(name: "seeding sample", value: "\(seedingSample)", expected: "at least 1 (Int.max seeds from every vector), or nil for 64 per cluster")
        }
        if let seedingTrials, seedingTrials < 1 {
            throw .invalidArgument(name: "seeding trials", value: "\(seedingTrials)", expected: "at least 1")
        }
        if let trainingSample, trainingSample < (clusters ?? 1) {
            throw .invalidArgument(name: "training sample", value: "\(trainingSample)", expected: "at least k vectors, or nil to train on every vector")
        }
        guard restarts >= 1 else {
            throw .invalidArgument(name: "restarts", value: "\(restarts)", expected: "at least 1")
        }
        guard threads >= 1 else {
            throw .invalidArgument(name: "threads", value: "\(threads)", expected: "at least 1")
        }
    }
}
