import StrataKernels

/// What `strata bench` measured. The JSON field names are a contract other tools read:
/// `n, dim, metric, m, ef_construction, build{seconds,threads}, memory{bytes,file_bytes},
/// open{ms,first_query_ms}, exact{qps_batch}, search[{ef, recall_at_10, qps, p50_us, p95_us,
/// p99_us, qps_batch}]`. Other fields may be added, never renamed.
public struct BenchmarkReport: Codable, Sendable, Equatable {
    public struct Build: Codable, Sendable, Equatable {
        /// Wall-clock seconds to insert every base vector.
        public var seconds: Double
        public var threads: Int
    }

    public struct Memory: Codable, Sendable, Equatable {
        /// Bytes the in-memory graph holds.
        public var bytes: Int
        /// Bytes of the saved segment file.
        public var fileBytes: Int
        enum CodingKeys: String, CodingKey {
            case bytes
            case fileBytes = "file_bytes"
        }
    }

    public struct Open: Codable, Sendable, Equatable {
        /// Milliseconds to open and map the segment (page cache warm).
        public var ms: Double
        /// Milliseconds for the first query on the freshly opened segment.
        public var firstQueryMs: Double
        /// The first query again after the file was dropped from the page cache, when the
        /// system allowed it (`posix_fadvise(DONTNEED)`).
        public var coldFirstQueryMs: Double?
        enum CodingKeys: String, CodingKey {
            case ms
            case firstQueryMs = "first_query_ms"
            case coldFirstQueryMs = "cold_first_query_ms"
        }
    }

    public struct Exact: Codable, Sendable, Equatable {
        /// Queries per second of the flat index answering all queries in one batch on all threads.
        public var qpsBatch: Double
        enum CodingKeys: String, CodingKey { case qpsBatch = "qps_batch" }
    }

    public struct SearchPoint: Codable, Sendable, Equatable {
        public var ef: Int
        public var recallAt1: Double?
        public var recallAt10: Double?
        public var recallAt100: Double?
        /// One query per call, one thread: queries per second of the best pass.
        public var qps: Double
        public var p50Us: Double
        public var p95Us: Double
        public var p99Us: Double
        /// All queries in one batch call on all threads.
        public var qpsBatch: Double
        enum CodingKeys: String, CodingKey {
            case ef
            case recallAt1 = "recall_at_1"
            case recallAt10 = "recall_at_10"
            case recallAt100 = "recall_at_100"
            case qps
            case p50Us = "p50_us"
            case p95Us = "p95_us"
            case p99Us = "p99_us"
            case qpsBatch = "qps_batch"
        }
    }

    public var n: Int
    public var dim: Int
    public var metric: String
    public var m: Int
    public var efConstruction: Int
    /// `none` or `int8` (traversal on int8 codes, re-ranked in float32).
    public var quantization: String
    public var k: Int
    public var queries: Int
    public var build: Build
    public var memory: Memory
    public var open: Open
    public var exact: Exact
    public var search: [SearchPoint]
    /// Live nodes no level-0 list links to.
    public var unreachable: Int
    /// Whether the mapped segment returned exactly the in-memory graph's results.
    public var segmentMatchesGraph: Bool
    /// The kernels that ran (``KernelLevel/report``): level, detected, f32, i8, cpu.
    public var kernels: [String: String] = KernelLevel.report

    enum CodingKeys: String, CodingKey {
        case n, dim, metric, m, k, queries, build, memory, open, exact, search, unreachable, quantization, kernels
        case efConstruction = "ef_construction"
        case segmentMatchesGraph = "segment_matches_graph"
    }
}
