#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import StrataKernels

/// The benchmark behind `strata bench`: build an HNSW graph, measure recall against exact
/// search, latency and throughput at several `ef`, and the time to open its segment.
public struct IndexBenchmark: Sendable {
    /// What to measure.
    public struct Configuration: Sendable {
        /// `M`. Default 16.
        public var m: Int = 16
        /// `efConstruction`. Default 200.
        public var efConstruction: Int = 200
        /// The `ef` values to measure. Default 16, 32, 64, 128, 256.
        public var efs: [Int] = [16, 32, 64, 128, 256]
        /// Neighbours per query. Default 10.
        public var k: Int = 10
        /// Threads for the build and the batch searches. Default all cores.
        public var threads: Int = Parallel.coreCount
        /// Default cosine.
        public var metric: Metric = .cosine
        /// Int8 traversal with float32 re-ranking, or float32 throughout (the default).
        public var quantization: VectorQuantization = .none
        /// Timed passes per figure; the best is kept (as ../shared/bench does). Default 3.
        public var passes: Int = 3
        /// Where the segment is written; default a fresh temporary directory, removed after.
        public var segmentDirectory: String?

        public init() {}

        func validate() throws(IndexError) {
            guard k >= 1 else { throw .invalidArgument(name: "k", value: "\(k)", expected: "≥ 1") }
            guard !efs.isEmpty, efs.allSatisfy({ $0 >= 1 }) else {
                throw .invalidArgument(name: "ef", value: "\(efs)", expected: "one or more values ≥ 1")
            }
            guard threads >= 1 else { throw .invalidArgument(name: "threads", value: "\(threads)", expected: "≥ 1") }
            guard passes >= 1 else { throw .invalidArgument(name: "passes", value: "\(passes)", expected: "≥ 1") }
        }
    }

    public var configuration: Configuration
    public let base: VectorSet
    public let queries: VectorSet
    /// Ground truth: for each query, the row numbers of its nearest base vectors, nearest first.
    public var groundTruth: [[Int32]]?

    public init(configuration: Configuration, base: VectorSet, queries: VectorSet, groundTruth: [[Int32]]? = nil) {
        self.configuration = configuration
        self.base = base
        self.queries = queries
        self.groundTruth = groundTruth
    }

    /// Runs every measurement; `progress` receives a line per step.
    public func run(progress: (String) -> Void = { _ in }) throws(IndexError) -> BenchmarkReport {
        try configuration.validate()
        guard base.dimension == queries.dimension else {
            throw .dimensionMismatch(expected: base.dimension, got: queries.dimension)
        }
        if let groundTruth, groundTruth.count < queries.count {
            throw .invalidArgument(name: "gt", value: "\(groundTruth.count) rows", expected: "one row per query (\(queries.count))")
        }
        let config = configuration
        let ids = (0..<UInt64(base.count)).map { $0 }

        progress("building HNSW (M=\(config.m), efConstruction=\(config.efConstruction)) over \(base.count) × \(base.dimension) on \(config.threads) threads")
        let graph = try HNSWGraph(configuration: HNSWConfiguration(
            dimension: base.dimension, metric: config.metric, m: config.m, efConstruction: config.efConstruction,
            quantization: config.quantization))
        let buildSeconds = try Self.seconds { () throws(IndexError) in try graph.insert(contentsOf: base.values, ids: ids, threads: config.threads) }
        progress(String(format: "built in %.2f s", buildSeconds))

        let flat = try FlatIndex(dimension: base.dimension, metric: config.metric)
        try flat.add(contentsOf: base.values, ids: ids)
        var exactSeconds = Double.infinity
        var exactResults: [[SearchResult]] = []
        for _ in 0..<config.passes {
            exactSeconds = min(exactSeconds, try Self.seconds { () throws(IndexError) in
                exactResults = try flat.search(batch: queries.values, k: config.k, threads: config.threads)
            })
        }
        let truth: [[Int32]] = groundTruth ?? exactResults.map { $0.map { Int32($0.id) } }
        progress(String(format: "exact batch search: %.0f QPS", Double(queries.count) / exactSeconds))

        var points: [BenchmarkReport.SearchPoint] = []
        var referenceResults: [[SearchResult]] = []
        for ef in config.efs {
            let point = try measure(graph: graph, ef: ef, truth: truth, results: &referenceResults)
            points.append(point)
            progress(String(format: "ef %4d: recall@%d %.4f, %.0f QPS single-thread, p99 %.0f µs, %.0f QPS batch",
                            ef, min(config.k, 10), point.recallAt10 ?? point.recallAt1 ?? 0, point.qps, point.p99Us, point.qpsBatch))
        }

        let (open, fileBytes, matches) = try measureSegment(graph: graph, reference: referenceResults)
        progress(String(format: "segment: %d bytes, open %.3f ms, first query %.3f ms, identical results: %@",
                        fileBytes, open.ms, open.firstQueryMs, matches ? "yes" : "NO"))

        return BenchmarkReport(
            n: base.count, dim: base.dimension, metric: config.metric.rawValue, m: config.m,
            efConstruction: config.efConstruction, quantization: config.quantization.rawValue, k: config.k, queries: queries.count,
            build: .init(seconds: buildSeconds, threads: config.threads),
            memory: .init(bytes: graph.memoryBytes, fileBytes: fileBytes),
            open: open, exact: .init(qpsBatch: Double(queries.count) / exactSeconds),
            search: points, unreachable: graph.unreachableCount(), segmentMatchesGraph: matches)
    }

    /// One `ef`: recall, single-thread latency (best of the passes) and batch throughput.
    private func measure(graph: HNSWGraph, ef: Int, truth: [[Int32]], results: inout [[SearchResult]]) throws(IndexError) -> BenchmarkReport.SearchPoint {
        let k = configuration.k
        let n = queries.count
        var found = [[SearchResult]](repeating: [], count: n)
        // Warm-up pass, then timed passes, one query per call on this thread.
        for q in 0..<min(n, 200) { _ = try graph.search(queries[q], k: k, ef: ef) }
        var bestTotal = UInt64.max
        var bestLatencies: [UInt64] = []
        var latencies = [UInt64](repeating: 0, count: n)
        let queryRows = (0..<n).map { queries[$0] }
        for _ in 0..<configuration.passes {
            var total: UInt64 = 0
            for q in 0..<n {
                let start = DispatchTime.now().uptimeNanoseconds
                found[q] = try graph.search(queryRows[q], k: k, ef: ef)
                let elapsed = DispatchTime.now().uptimeNanoseconds - start
                latencies[q] = elapsed
                total += elapsed
            }
            if total < bestTotal {
                bestTotal = total
                bestLatencies = latencies
            }
        }
        results = found
        var batchSeconds = Double.infinity
        for _ in 0..<configuration.passes {
            batchSeconds = min(batchSeconds, try Self.seconds { () throws(IndexError) in
                _ = try graph.search(batch: queries.values, k: k, ef: ef, threads: configuration.threads)
            })
        }
        bestLatencies.sort()
        func percentile(_ p: Double) -> Double {
            Double(bestLatencies[min(bestLatencies.count - 1, Int(p * Double(bestLatencies.count)))]) / 1000
        }
        func recall(at depth: Int) -> Double? {
            guard depth <= k, truth.allSatisfy({ $0.count >= depth }) else { return nil }
            var hits = 0
            for q in 0..<n {
                let expected = Set(truth[q].prefix(depth).map { UInt64($0) })
                hits += found[q].prefix(depth).filter { expected.contains($0.id) }.count
            }
            return Double(hits) / Double(n * depth)
        }
        return .init(ef: ef, recallAt1: recall(at: 1), recallAt10: recall(at: 10), recallAt100: recall(at: 100),
                     qps: Double(n) / (Double(bestTotal) / 1e9),
                     p50Us: percentile(0.50), p95Us: percentile(0.95), p99Us: percentile(0.99),
                     qpsBatch: Double(n) / batchSeconds)
    }

    /// Writes the segment, opens it by mmap, times the first query, and checks that it answers
    /// every query exactly as the graph did at the last `ef`.
    private func measureSegment(graph: HNSWGraph, reference: [[SearchResult]]) throws(IndexError) -> (BenchmarkReport.Open, Int, Bool) {
        let ownDirectory = configuration.segmentDirectory == nil
        let directory = configuration.segmentDirectory ?? NSTemporaryDirectory() + "strata-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        catch { throw .file(path: directory, problem: "cannot create: \(error.localizedDescription)") }
        defer { if ownDirectory { try? FileManager.default.removeItem(atPath: directory) } }
        let path = directory + "/bench.segment"
        let fileBytes = try graph.writeSegment(to: path)
        let firstQuery = queries[0]
        let ef = configuration.efs.last!

        var segment: Segment?
        let openSeconds = try Self.seconds { () throws(IndexError) in segment = try Segment(path: path) }
        let firstSeconds = try Self.seconds { () throws(IndexError) in _ = try segment!.search(firstQuery, k: configuration.k, ef: ef) }
        var matches = true
        for q in 0..<queries.count where try segment!.search(queries[q], k: configuration.k, ef: ef) != reference[q] {
            matches = false
            break
        }
        segment = nil

        var cold: Double?
        let fd = open(path, O_RDONLY)
        if fd >= 0, posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0 {
            close(fd)
            let reopened = try Segment(path: path)
            cold = try Self.seconds { () throws(IndexError) in _ = try reopened.search(firstQuery, k: configuration.k, ef: ef) } * 1000
        } else if fd >= 0 {
            close(fd)
        }
        return (.init(ms: openSeconds * 1000, firstQueryMs: firstSeconds * 1000, coldFirstQueryMs: cold), fileBytes, matches)
    }

    static func seconds(_ body: () throws(IndexError) -> Void) throws(IndexError) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
