import StrataKernels

/// The parameters of an ``HNSWGraph``, with the defaults hnswlib and FAISS use.
///
/// Names follow Malkov & Yashunin, "Efficient and robust approximate nearest neighbor search
/// using Hierarchical Navigable Small World graphs" (2016).
public struct HNSWConfiguration: Sendable, Equatable {
    /// Vector length. No default: it is the embedding space's.
    public var dimension: Int
    /// How vectors are compared. Default ``Metric/cosine``.
    public var metric: Metric
    /// `M`: neighbours kept per node on the upper levels; level 0 keeps `2 * M`. Default 16
    /// (hnswlib and FAISS use 16 too). Below 2 the graph degenerates into chains.
    public var m: Int
    /// `efConstruction`: candidates examined when linking a new node. Default 200
    /// (hnswlib's default; FAISS uses 40).
    public var efConstruction: Int
    /// `ef`: candidates examined per query unless the query says otherwise; raised to `k`
    /// when smaller. Default 64.
    public var efSearch: Int
    /// Seed for the level of each node. Levels are drawn from a hash of the seed and the
    /// node's id, so a build gives the same levels whatever the thread count. Default 100.
    public var seed: UInt64
    /// Whether an insert reuses the slot of a deleted node (hnswlib's `replace_deleted`).
    /// Default `true`: a store that deletes and adds keeps a constant footprint.
    public var reuseDeletedSlots: Bool
    /// How searches read vectors. Default ``VectorQuantization/none``.
    public var quantization: VectorQuantization

    /// - Parameters:
    ///   - dimension: vector length, 1...65,536.
    ///   - metric: default ``Metric/cosine``.
    ///   - m: default 16, 2...256.
    ///   - efConstruction: default 200, ≥ 1.
    ///   - efSearch: default 64, ≥ 1.
    ///   - seed: default 100.
    ///   - reuseDeletedSlots: default `true`.
    ///   - quantization: default ``VectorQuantization/none``.
    public init(
        dimension: Int, metric: Metric = .cosine, m: Int = 16, efConstruction: Int = 200,
        efSearch: Int = 64, seed: UInt64 = 100, reuseDeletedSlots: Bool = true,
        quantization: VectorQuantization = .none
    ) {
        self.dimension = dimension
        self.metric = metric
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
        self.seed = seed
        self.reuseDeletedSlots = reuseDeletedSlots
        self.quantization = quantization
    }

    /// Neighbours kept on level 0 (`Mmax0` in the paper).
    public var maxNeighborsLevel0: Int { 2 * m }

    /// Checks every field and explains the first one out of range.
    public func validate() throws(IndexError) {
        guard (1...65_536).contains(dimension) else {
            throw .invalidConfiguration(parameter: "dimension", value: "\(dimension)", expected: "1...65536")
        }
        guard (2...256).contains(m) else {
            throw .invalidConfiguration(parameter: "M", value: "\(m)", expected: "2...256 (below 2 the graph degenerates into chains; 12-48 is usual)")
        }
        guard efConstruction >= 1 else {
            throw .invalidConfiguration(parameter: "efConstruction", value: "\(efConstruction)", expected: "≥ 1 (100-400 is usual)")
        }
        guard efSearch >= 1 else {
            throw .invalidConfiguration(parameter: "efSearch", value: "\(efSearch)", expected: "≥ 1")
        }
        guard quantization == .none || metric != .l2 else {
            throw .invalidConfiguration(parameter: "quantization", value: "int8", expected: "none with the l2 metric (int8 traversal serves cosine and ip)")
        }
    }
}

/// How a graph's searches read vectors.
public enum VectorQuantization: String, Sendable, Equatable, CaseIterable, Codable {
    /// Float32 throughout.
    case none
    /// Each vector also kept as int8 codes with a per-vector scale (`dimension + 4` bytes more
    /// per vector). Searches traverse the graph on the codes, a quarter of float32's memory
    /// traffic, and re-rank the `ef` candidates they found by float32 distance. The graph is
    /// built on float32. Cosine and inner product only.
    case int8
}

/// One answer of a nearest-neighbour search.
public struct SearchResult: Sendable, Equatable, Hashable {
    /// The caller's id of the vector.
    public var id: UInt64
    /// The distance to the query under the index's metric; lower is closer (see ``Metric``).
    public var distance: Float

    public init(id: UInt64, distance: Float) {
        self.id = id
        self.distance = distance
    }
}
