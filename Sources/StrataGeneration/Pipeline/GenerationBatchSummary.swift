/// Figures over a series of generations: what a learning pass or a latency run reports.
public struct GenerationBatchSummary: Sendable, Equatable {
    public var generations: Int
    public var meanQuality: Double
    /// Generations with every gate that ran passed.
    public var allGatesPassed: Int
    /// Retrieved patterns at or above the similarity threshold, summed over the generations.
    public var hits: Int
    /// Generations with at least one such pattern.
    public var generationsWithHits: Int
    /// Mean over the generations of the best same-type similarity (0 without patterns).
    public var meanTopSimilarity: Double
    /// Results offered to the store that were added as new patterns.
    public var storedNew: Int
    /// Results merged into a pattern already stored (the same or nearly the same code).
    public var merged: Int
    public var medianSeconds: Double
    public var p95Seconds: Double
    /// The RAG stage's median and 95th percentile, in milliseconds.
    public var medianRetrieveMilliseconds: Double
    public var p95RetrieveMilliseconds: Double

    public init(_ results: [GenerationResult]) {
        generations = results.count
        meanQuality = results.isEmpty ? 0 : results.map(\.quality.value).reduce(0, +) / Double(results.count)
        allGatesPassed = results.count { $0.validation.allPassed }
        hits = results.map(\.hits).reduce(0, +)
        generationsWithHits = results.count { $0.hits > 0 }
        meanTopSimilarity = results.isEmpty ? 0 : results.map { result in
            result.patterns.filter { $0.nodeType == result.nodeType }.map(\.similarity).max() ?? 0
        }.reduce(0, +) / Double(results.count)
        storedNew = results.count { $0.storedPattern?.action == .added }
        merged = results.count { [.mergedExact, .mergedNear, .unchanged].contains($0.storedPattern?.action) }
        let seconds = results.map(\.seconds).sorted()
        medianSeconds = Self.percentile(seconds, 0.5)
        p95Seconds = Self.percentile(seconds, 0.95)
        let retrieve = results.compactMap { $0.stages.first { $0.stage == .retrieve }?.milliseconds }.sorted()
        medianRetrieveMilliseconds = Self.percentile(retrieve, 0.5)
        p95RetrieveMilliseconds = Self.percentile(retrieve, 0.95)
    }

    /// The nearest-rank percentile of sorted values; 0 for none.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// The summary as JSON for benchmark files.
    public var jsonObject: [String: Any] {
        [
            "generations": generations, "mean_quality": meanQuality, "all_gates_passed": allGatesPassed, "hits": hits,
            "generations_with_hits": generationsWithHits, "mean_top_similarity": meanTopSimilarity, "stored_new": storedNew,
            "merged": merged, "median_seconds": medianSeconds, "p95_seconds": p95Seconds,
            "median_retrieve_ms": medianRetrieveMilliseconds, "p95_retrieve_ms": p95RetrieveMilliseconds,
        ]
    }
}
