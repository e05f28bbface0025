import ArgumentParser
import Foundation
import StrataAnalytics

/// Where the model commands read generation records, and how they print.
struct HistoryOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions

    @Option(help: "Read generation records from this JSON-lines file instead of the store's catalog (what `strata record` wrote).")
    var records: String?

    var json: Bool { store.json }

    /// The records of `stage` (all when `nil`) since `since`, oldest first: from `--records`
    /// when given, else from the store's performance tracker.
    func history(stage: String? = nil, since: Date? = nil) throws -> [GenerationRecord] {
        guard let records else { return try store.tracker().records(stage: stage, since: since) }
        let history = InMemoryGenerationHistory(try GenerationRecord.readJSONLines(path: records).map(\.record))
        return try history.records(stage: stage, since: since)
    }

    /// The models with a price in the store (the latest price of each), so that a model with
    /// no generations yet can still be recommended; empty when reading a --records file
    /// without a store.
    func modelCatalog() throws -> ModelCatalog {
        guard try records == nil || store.exists() else { return ModelCatalog() }
        return ModelCatalog(latestOf: try store.tracker().prices.all())
    }
}

/// A day (`2026-03-01`) or an instant (`2026-03-01T12:00:00Z`).

/// One model's evidence as table cells and as JSON.
extension ModelEvidence {
    var cells: [String] {
        [
            "\(generations)", scored > 0 ? "\(format(qualityMean)) ± \(format(qualitySD))" : "-", "\(Int((successRate * 100).rounded())) %",
            costMean.map { "$" + format($0, digits: 5) } ?? "-", "$" + format(totalCost, digits: 2), format(latencyMean, digits: 2) + " s",
        ]
    }

    static let header = ["generations", "quality", "success", "cost/gen", "total cost", "latency"]

    var jsonObject: [String: Any] {
        var object: [String: Any] = [
            "generations": generations, "scored": scored, "success_rate": successRate, "total_cost": totalCost, "latency_seconds": latencyMean,
        ]
        if scored > 0 {
            object["quality"] = qualityMean
            object["quality_sd"] = qualitySD
        }
        if let costMean { object["cost_per_generation"] = costMean }
        if let first { object["first"] = ISO8601DateFormatter().string(from: first) }
        if let last { object["last"] = ISO8601DateFormatter().string(from: last) }
        return object
    }
}
