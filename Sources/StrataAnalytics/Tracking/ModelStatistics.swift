import Foundation

/// A field records are grouped by in ``PerformanceTracker/statistics(groupBy:filter:)``.
public enum RecordGrouping: String, Sendable, CaseIterable, Codable {
    case model, provider, stage, project, environment, nodeType = "node_type", domain
}

/// A numeric field of the records, for ``PerformanceTracker/percentiles(of:at:filter:)``.
public enum RecordMetric: String, Sendable, CaseIterable {
    /// Seconds.
    case latency
    /// Dollars.
    case cost
    /// 0–1, scored records only.
    case quality
    case inputTokens = "input_tokens"
    case outputTokens = "output_tokens"
}

/// Latency percentiles of a group of records, in seconds.
public struct LatencySummary: Sendable, Equatable {
    public var mean: Double
    public var p50: Double
    public var p95: Double
    public var p99: Double
}

/// What a group of generations (one model, or one model at one stage, ...) did: volume,
/// success, quality, latency, cost and tokens.
public struct ModelStatistics: Sendable, Equatable {
    /// The group's value of each grouping field, e.g. `[.model: "gpt-4o-mini", .stage: "generate"]`.
    public var group: [RecordGrouping: String]
    public var count: Int
    /// Share of records whose outcome is success (0–1).
    public var successRate: Double
    /// Records with a quality score; the quality figures are over these only.
    public var scoredCount: Int
    public var meanQuality: Double?
    /// Sample standard deviation of quality; nil below two scored records.
    public var qualityStandardDeviation: Double?
    public var latency: LatencySummary
    /// Dollars per record.
    public var meanCost: Double
    /// Dollars.
    public var totalCost: Double
    public var inputTokens: Int
    public var outputTokens: Int
    public var firstTime: Date
    public var lastTime: Date

    /// The group's model, when grouped by model.
    public var model: String? { group[.model] }
    /// The group's stage, when grouped by stage.
    public var stage: String? { group[.stage] }
}

/// One UTC day of a trend.
public struct DailyTrend: Sendable, Equatable {
    /// Midnight UTC starting the day.
    public var day: Date
    public var count: Int
    public var successRate: Double
    /// Over the day's scored records; nil when none was scored.
    public var meanQuality: Double?
    /// Dollars spent that day.
    public var cost: Double
}

/// Linear-interpolation percentiles (the common "type 7" definition, as numpy's default).
public enum Percentile {
    /// The `fraction` (0–1) percentile of `sorted` (ascending, non-empty).
    public static func of(sorted values: [Double], _ fraction: Double) -> Double {
        precondition(!values.isEmpty, "a percentile of nothing")
        let position = min(max(fraction, 0), 1) * Double(values.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, values.count - 1)
        return values[below] + (values[above] - values[below]) * (position - Double(below))
    }
}
