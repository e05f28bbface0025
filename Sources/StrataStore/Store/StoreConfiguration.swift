import StrataIndex
import StrataKernels

/// How a store indexes, tiers, deduplicates and tidies its patterns.
///
/// Written to the manifest when the store is created and read back at every open, so every
/// process that opens a store follows the same policy. Every field has a default.
public struct StoreConfiguration: Sendable, Equatable, Codable {
    /// Vector length of the store's embedding space. Default 384.
    public var dimension: Int = 384
    /// Metric of the embedding space. Default cosine.
    public var metric: Metric = .cosine
    /// HNSW `M` of the hot graph and of every segment. Default 16.
    public var m: Int = 16
    /// HNSW candidate list size while building. Default 128: on 25k real functions it built
    /// 25 % faster than 200 for recall@10 0.964 instead of 0.971 at ef 128
    /// (Benchmarks/RESULTS.md); Chroma and Qdrant default to 100.
    public var efConstruction: Int = 128
    /// HNSW candidate list size while searching, unless a search names its own. Default 128:
    /// code embeddings are a hard space for graphs (recall@10 0.93 at 64, 0.97 at 128 on
    /// 25k real functions; Benchmarks/RESULTS.md).
    public var efSearch: Int = 128
    /// Vector reads while walking the graphs: `.int8` traverses on 8-bit codes (a quarter of
    /// the memory traffic) and re-ranks the candidates in float32. Default `.int8`: at equal
    /// recall it answered in about 60 % of float32's time on this machine. An l2 store
    /// always reads float32 (the codes serve cosine and inner product).
    public var quantization: VectorQuantization = .int8

    /// Hot patterns that trigger a flush to a new cold segment after a write. Default 20,000.
    public var flushThreshold: Int = 20_000
    /// At close, the hot tier is flushed when it holds at least this many patterns; smaller
    /// hot tiers are cheaper to rebuild from the catalog at the next open. Default 2,048.
    public var flushOnCloseMinimum: Int = 2_048
    /// A batch add of at least this many new patterns is written straight to a new segment
    /// instead of through the hot graph. Default 4,096.
    public var bulkSegmentMinimum: Int = 4_096
    /// A segment is rewritten when this share of its slots is dead. Default 0.2.
    public var compactDeadRatio: Double = 0.2
    /// More segments than this are merged, smallest first, so a query visits few graphs. Default 8.
    public var maxSegments: Int = 8

    /// A filtered search whose filter matches at most this many patterns scans them exactly
    /// (BLAS) instead of walking the graphs. Default 8,192: a scan costs about 40 ns a
    /// pattern here, below a filtered graph walk's cost up to about that many.
    public var exactScanLimit: Int = 8_192

    /// Cosine similarity at or above which an added pattern merges into an existing one;
    /// nil turns near-duplicate merging off. Default 0.95.
    public var nearDuplicateSimilarity: Double? = 0.95

    /// The name callers give the store's vector: a Qdrant collection made with a named
    /// vector answers to it. Nil for the unnamed vector (every other store).
    public var vectorName: String? = nil

    /// The names of the sparse vectors a Qdrant collection declares; nil for none.
    public var sparseVectorNames: [String]? = nil

    /// Weight of the newest outcome in the success rate's moving average. Default 0.2.
    public var successRateSmoothing: Double = 0.2

    /// A cold pattern with at least this many uses, last used within ``promoteWindowDays``,
    /// is promoted to the hot tier. Default 5.
    public var promoteMinimumUses: Int = 5
    /// Default 7.
    public var promoteWindowDays: Double = 7
    /// A hot pattern idle this long is demoted to a cold segment. Default 30.
    public var demoteIdleDays: Double = 30
    /// Pruning removes patterns at or below this quality… Default 0.2.
    public var pruneMaximumQuality: Double = 0.2
    /// …used at most this many times… Default 0.
    public var pruneMaximumUses: Int = 0
    /// …and idle (not used, not changed) at least this long, unless validated. Default 90.
    public var pruneIdleDays: Double = 90

    /// Threads for batch embedding, graph building and dedup. Default: every core.
    public var threads: Int = Parallel.coreCount

    public init() {}

    /// Checks every field, naming the first one out of range.
    public func validate() throws(StoreError) {
        func check(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws(StoreError) {
            if !ok { throw .invalidArgument(name: name, value: "\(value)", expected: expected) }
        }
        try check((2...65_536).contains(dimension), "dimension", dimension, "2 to 65,536")
        try check((2...256).contains(m), "m", m, "2 to 256")
        try check(efConstruction >= m, "efConstruction", efConstruction, "at least m (\(m))")
        try check(efSearch >= 1, "efSearch", efSearch, "at least 1")
        try check(flushThreshold >= 1, "flushThreshold", flushThreshold, "at least 1")
        try check(flushOnCloseMinimum >= 1, "flushOnCloseMinimum", flushOnCloseMinimum, "at least 1")
        try check(bulkSegmentMinimum >= 1, "bulkSegmentMinimum", bulkSegmentMinimum, "at least 1")
        try check(compactDeadRatio > 0 && compactDeadRatio <= 1, "compactDeadRatio", compactDeadRatio, "above 0, at most 1")
        try check(maxSegments >= 1, "maxSegments", maxSegments, "at least 1")
        try check(exactScanLimit >= 0, "exactScanLimit", exactScanLimit, "0 or more")
        if let similarity = nearDuplicateSimilarity {
            try check(similarity > 0 && similarity <= 1, "nearDuplicateSimilarity", similarity, "above 0, at most 1, or none")
        }
        try check(successRateSmoothing > 0 && successRateSmoothing <= 1, "successRateSmoothing", successRateSmoothing, "above 0, at most 1")
        try check(threads >= 1, "threads", threads, "at least 1")
    }
}
