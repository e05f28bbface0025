import ArgumentParser
import Foundation
import StrataAnalytics

/// Where the model commands read generation records, and how they print.
struct HistoryOptions: ParsableArguments {
    @Option(help: "Generation records, one JSON object a line (see `strata models --help`).")
    var records: String

    @Flag(help: "Print JSON for tools instead of tables.")
    var json = false

    /// The records of `stage` (all when `nil`) since `since`, oldest first.
    func history(stage: String? = nil, since: Date? = nil) throws -> [GenerationRecord] {
        let history = InMemoryGenerationHistory(try GenerationRecord.readJSONLines(path: records))
        return try history.records(stage: stage, since: since)
    }
}

/// A day (`2026-03-01`) or an instant (`2026-03-01T12:00:00Z`).
struct DateArgument: ExpressibleByArgument {
    var date: Date

    init?(argument: String) {
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        guard let parsed = ISO8601DateFormatter().date(from: argument) ?? day.date(from: argument) else { return nil }
        date = parsed
    }
}

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
