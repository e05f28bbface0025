import Foundation

/// What the records say about one model in one scope (a stage, optionally narrowed to a node
/// type and a domain): volume, quality, outcomes, cost and latency, kept as running sums so
/// that a record is added in constant time.
public struct ModelEvidence: Sendable, Equatable {
    /// Generations recorded, scored or not.
    public private(set) var generations = 0
    /// Generations with a quality score.
    public private(set) var scored = 0
    /// Mean quality of the scored generations (0 when none).
    public private(set) var qualityMean = 0.0
    private var qualitySquares = 0.0
    public private(set) var successes = 0
    public private(set) var failures = 0
    public private(set) var errors = 0
    /// Generations with a known cost.
    public private(set) var costed = 0
    /// Dollars over the costed generations.
    public private(set) var totalCost = 0.0
    public private(set) var totalLatencySeconds = 0.0
    public private(set) var totalInputTokens = 0
    public private(set) var totalOutputTokens = 0
    public private(set) var first: Date?
    public private(set) var last: Date?

    public init() {}

    /// The evidence of `records` (all of them; filter first for a scope).
    public init(_ records: some Sequence<GenerationRecord>) {
        for record in records { add(record) }
    }

    public mutating func add(_ record: GenerationRecord) {
        generations += 1
        if let quality = record.quality {
            scored += 1
            // Welford's update keeps the variance exact over long histories.
            let delta = quality - qualityMean
            qualityMean += delta / Double(scored)
            qualitySquares += delta * (quality - qualityMean)
        }
        switch record.outcome {
        case .success: successes += 1
        case .failure: failures += 1
        case .error: errors += 1
        }
        if let cost = record.cost {
            costed += 1
            totalCost += cost
        }
        totalLatencySeconds += record.latencySeconds
        totalInputTokens += record.inputTokens
        totalOutputTokens += record.outputTokens
        first = min(first ?? record.time, record.time)
        last = max(last ?? record.time, record.time)
    }

    /// Sample standard deviation of quality; 0 below two scored generations.
    public var qualitySD: Double { scored > 1 ? (max(qualitySquares, 0) / Double(scored - 1)).squareRoot() : 0 }
    /// Sum of squared deviations of quality from its mean (the Normal–Gamma update needs it).
    var qualitySquaredDeviations: Double { max(qualitySquares, 0) }
    /// Dollars per generation over the costed generations; `nil` when none was costed.
    public var costMean: Double? { costed > 0 ? totalCost / Double(costed) : nil }
    /// Share of generations that ended in success.
    public var successRate: Double { generations > 0 ? Double(successes) / Double(generations) : 0 }
    public var latencyMean: Double { generations > 0 ? totalLatencySeconds / Double(generations) : 0 }
    public var inputTokensMean: Double { generations > 0 ? Double(totalInputTokens) / Double(generations) : 0 }
    public var outputTokensMean: Double { generations > 0 ? Double(totalOutputTokens) / Double(generations) : 0 }
}
