import Foundation
import StrataIndex
import StrataStore
import StrataKernels

/// `strata bench --store DIR --queries FILE.jsonl`: latency of text RAG lookups as a
/// generator makes them (embed the text, search both tiers, hydrate metadata), one at a time.
struct StoreBenchmark {
    var store: String
    var queries: String
    var queryVectors: String?
    var mode: SearchMode?
    var k: Int
    var filter: String?
    var ef: Int?
    var passes: Int
    var json: String?

    func run() throws {
        let pattern = try PatternStore.open(at: store)
        defer { try? pattern.close() }
        let filter = try parseFilter(self.filter)
        let requests: [SearchRequest]
        if let queryVectors {
            let set = try VectorSet.read(contentsOf: queryVectors)
            requests = (0..<set.count).map { row in
                SearchRequest(query: .vector(Array(set.values[row * set.dimension..<(row + 1) * set.dimension])), k: k, filter: filter, ef: ef)
            }
        } else {
            requests = try PatternStore.readQueries(path: queries).map { SearchRequest(query: .text($0), k: k, filter: filter, ef: ef, mode: mode) }
        }
        guard !requests.isEmpty else { throw StoreError.file(path: queryVectors ?? queries, problem: "holds no queries") }
        // One untimed pass warms the page cache and the per-thread search contexts.
        for request in requests { _ = try pattern.search(request) }
        let modeRun = try pattern.search(requests[0]).mode
        var best: (latencies: [Double], seconds: Double)?
        for _ in 0..<max(1, passes) {
            var latencies: [Double] = []
            latencies.reserveCapacity(requests.count)
            let started = DispatchTime.now().uptimeNanoseconds
            for request in requests {
                let begin = DispatchTime.now().uptimeNanoseconds
                _ = try pattern.search(request)
                latencies.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1_000)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            if best == nil || seconds < best!.seconds { best = (latencies.sorted(), seconds) }
        }
        let (sorted, seconds) = best!
        // Recall of what a generator gets against an exact scan of the same (filtered) set.
        var found = 0, expected = 0
        for request in requests {
            var exact = request
            exact.exact = true
            let truth = Set(try pattern.search(exact).hits.map(\.pattern.id))
            found += try pattern.search(request).hits.filter { truth.contains($0.pattern.id) }.count
            expected += truth.count
        }
        let recall = expected == 0 ? 1 : Double(found) / Double(expected)
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
        let stats = try pattern.stats()
        let result: [String: Any] = [
            "queries": sorted.count, "p50_us": percentile(0.50), "p95_us": percentile(0.95), "p99_us": percentile(0.99),
            "qps": Double(sorted.count) / seconds, "recall": recall, "k": k, "patterns": stats.patterns, "hot": stats.hot, "cold": stats.cold,
            "segments": stats.segments.count, "embedder": stats.embedder, "filter": self.filter ?? "", "mode": modeRun.rawValue,
            "kernels": KernelLevel.report,
        ]
        print("\(sorted.count) \(queryVectors == nil ? "text lookups (embed + search + metadata)" : "vector lookups (search + metadata)"), \(modeRun.rawValue), k=\(k), \(stats.patterns) patterns (\(stats.hot) hot, \(stats.cold) cold in \(stats.segments.count) segments)\(self.filter.map { ", filter \($0)" } ?? "")")
        print(String(format: "p50 %.1f µs  p95 %.1f µs  p99 %.1f µs  %.0f QPS (one thread, best of %d passes); recall@%d %.4f against exact", percentile(0.5), percentile(0.95), percentile(0.99), Double(sorted.count) / seconds, max(1, passes), k, recall))
        if let json {
            let data = try JSONSerialization.data(withJSONObject: result, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: json))
        }
    }
}
