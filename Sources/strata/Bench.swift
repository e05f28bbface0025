import ArgumentParser
import Foundation
import StrataIndex
import StrataKernels
import StrataStore

extension Strata {
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Benchmark the HNSW index: build time, memory, recall, latency and throughput per ef, exact search, segment open.",
            discussion: """
            Data comes from files (--base, --query, optional --gt) or is generated (--synthetic N --dim D --seed S). \
            Without --gt, ground truth is computed with the exact (flat) index. Use a release build: make bench.
            """)

        @Option(help: "Base vectors: TEXMEX .fvecs or NumPy .npy (float32/float64, 2-D).")
        var base: String?
        @Option(help: "Query vectors, same formats as --base.")
        var query: String?
        @Option(help: "Ground truth .ivecs: per query, the row numbers of its nearest base vectors.")
        var gt: String?
        @Option(help: "Generate N clustered base vectors instead of reading files.")
        var synthetic: Int?
        @Option(help: "Dimension of generated vectors.")
        var dim: Int = 384
        @Option(help: "Seed of generated vectors.")
        var seed: UInt64 = 1
        @Option(help: "Generated queries (a count); with --store, a JSONL file whose lines' text are the queries.")
        var queries: String = "1000"
        @Option(name: .customLong("store"), help: "Benchmark text RAG lookups (embed + search + metadata) on this store instead of the bare index.")
        var storeFolder: String?
        @Option(help: "With --store: a filter on every lookup. Format: node_type=effect,quality>=0.7")
        var filter: String?
        @Option(help: "With --store: the search mode of text lookups, hybrid, dense or lexical (default: the store's, hybrid for a text).")
        var mode: SearchMode?
        @Option(name: .customLong("query-vectors"), help: "With --store: search these vectors (.fvecs/.npy) instead of embedding the texts of --queries.")
        var queryVectors: String?
        @Option(help: "HNSW M: neighbours per node on upper levels (2M on level 0).")
        var m: Int = 16
        @Option(name: .customLong("ef-construction"), help: "HNSW efConstruction.")
        var efConstruction: Int = 200
        @Option(help: "Comma-separated ef values to measure. Format: 16,32,64")
        var ef: IntegerList = IntegerList(argument: "16,32,64,128,256")!
        @Option(help: "Neighbours per query.")
        var k: Int = 10
        @Option(help: "Threads for build and batch search (default: all cores).")
        var threads: Int = Parallel.coreCount
        @Option(help: "Metric: cosine, ip or l2.")
        var metric: Metric = .cosine
        @Option(help: "Vector reads during search: none (float32) or int8 (traverse on int8 codes, re-rank in float32; cosine and ip).")
        var quantization: VectorQuantization = .none
        @Option(help: "Timed passes per figure; the best is reported.")
        var passes: Int = 3
        @Option(help: "Write the report as JSON to this file.")
        var json: String?
        @Flag(help: "Print only the table.")
        var quiet = false

        var queryCount: Int { Int(queries) ?? 0 }

        func validate() throws {
            if storeFolder != nil {
                if synthetic != nil || base != nil { throw ValidationError("--store benchmarks a store; drop --synthetic and --base") }
                return
            }
            if Int(queries) == nil { throw ValidationError("--queries takes a count without --store, got \(queries)") }
            if synthetic == nil && (base == nil || query == nil) {
                throw ValidationError("give --base and --query files, or --synthetic N")
            }
            if synthetic != nil && base != nil { throw ValidationError("--synthetic and --base exclude each other") }
            if let synthetic, synthetic < 1 { throw ValidationError("--synthetic must be ≥ 1, got \(synthetic)") }
            if dim < 2 { throw ValidationError("--dim must be ≥ 2, got \(dim)") }
            if queryCount < 1 { throw ValidationError("--queries must be ≥ 1, got \(queries)") }
        }

        func run() throws {
            if let storeFolder {
                return try StoreBenchmark(store: storeFolder, queries: queries, queryVectors: queryVectors, mode: mode, k: k, filter: filter, ef: ef.values == [16, 32, 64, 128, 256] ? nil : ef.values.first, passes: passes, json: json).run()
            }
            let log: (String) -> Void = quiet ? { _ in } : { line in
                FileHandle.standardError.write(Data(("· " + line + "\n").utf8))
            }
            let baseSet: VectorSet, querySet: VectorSet
            var truth: [[Int32]]?
            if let synthetic {
                log("generating \(synthetic) clustered vectors of dimension \(dim), seed \(seed)")
                let data = SyntheticDataset(dimension: dim, seed: seed)
                baseSet = data.base(count: synthetic)
                querySet = data.queries(count: queryCount)
            } else {
                baseSet = try VectorSet.read(contentsOf: base!)
                querySet = try VectorSet.read(contentsOf: query!)
                if let gt { truth = try TexmexFile.readIntegers(gt) }
            }
            var configuration = IndexBenchmark.Configuration()
            configuration.m = m
            configuration.efConstruction = efConstruction
            configuration.efs = ef.values
            configuration.k = k
            configuration.threads = threads
            configuration.metric = metric
            configuration.passes = passes
            configuration.quantization = quantization
            let report = try IndexBenchmark(configuration: configuration, base: baseSet, queries: querySet, groundTruth: truth).run(progress: log)
            print(BenchTable(report: report).text)
            if let json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try encoder.encode(report).write(to: URL(fileURLWithPath: json))
            }
        }
    }
}

/// The human-readable form of a ``BenchmarkReport``.
struct BenchTable {
    let report: BenchmarkReport

    var text: String {
        let r = report
        var lines = [
            "n=\(r.n) dim=\(r.dim) metric=\(r.metric) M=\(r.m) efConstruction=\(r.efConstruction) quantization=\(r.quantization) k=\(r.k) queries=\(r.queries)",
            String(format: "build %.2f s on %d threads; memory %.1f MiB (%.0f bytes/vector); file %.1f MiB; unreachable %d",
                   r.build.seconds, r.build.threads, Double(r.memory.bytes) / 1_048_576, Double(r.memory.bytes) / Double(max(r.n, 1)),
                   Double(r.memory.fileBytes) / 1_048_576, r.unreachable),
            String(format: "segment open %.3f ms, first query %.3f ms%@; matches graph: %@", r.open.ms, r.open.firstQueryMs,
                   r.open.coldFirstQueryMs.map { String(format: " (cold %.3f ms)", $0) } ?? "", r.segmentMatchesGraph ? "yes" : "NO"),
            String(format: "exact (flat, sgemm) batch: %.0f QPS", r.exact.qpsBatch),
            "",
            "   ef  recall@1  recall@10  recall@100      QPS  p50 µs  p95 µs  p99 µs  batch QPS",
        ]
        // Foundation's `%8@` does not pad on Linux: pad by hand.
        func cell(_ value: Double?, _ width: Int) -> String {
            let text = value.map { String(format: "%.4f", $0) } ?? "-"
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
        for p in r.search {
            let recalls = "\(cell(p.recallAt1, 8))  \(cell(p.recallAt10, 9))  \(cell(p.recallAt100, 10))"
            lines.append(String(format: "%5d  ", p.ef) + recalls + String(format: "  %7.0f  %6.1f  %6.1f  %6.1f  %9.0f",
                                p.qps, p.p50Us, p.p95Us, p.p99Us, p.qpsBatch))
        }
        return lines.joined(separator: "\n")
    }
}
