import Foundation
import StrataStore

/// The columns statistics read: one record without its prompt and lists.
private struct RecordFacts {
    var group: [String]
    var time: Double
    var latency: Double
    var inputTokens: Int
    var outputTokens: Int
    var cost: Double
    var quality: Double?
    var success: Bool
}

extension PerformanceTracker {
    /// Statistics per group of the records `filter` matches, largest group first.
    ///
    /// ```swift
    /// let perModelAndStage = try tracker.statistics(groupBy: [.model, .stage], filter: RecordQuery(project: "shop"))
    /// ```
    /// - Parameters:
    ///   - groupBy: the fields that make a group; empty gives one group of everything.
    ///   - filter: which records count (its `limit` is ignored).
    /// - Complexity: reads every matching record once; percentiles sort each group's latencies.
    public func statistics(groupBy: [RecordGrouping] = [.model], filter: RecordQuery = .all) throws(AnalyticsError) -> [ModelStatistics] {
        let facts = try facts(groupBy: groupBy, filter: filter)
        let groups = Dictionary(grouping: facts, by: \.group)
        return groups.map { key, members in
            let qualities = members.compactMap(\.quality)
            let latencies = members.map(\.latency).sorted()
            let totalCost = members.reduce(0) { $0 + $1.cost }
            let meanQuality = qualities.isEmpty ? nil : qualities.reduce(0, +) / Double(qualities.count)
            var deviation: Double?
            if let meanQuality, qualities.count > 1 {
                deviation = (qualities.reduce(0) { $0 + ($1 - meanQuality) * ($1 - meanQuality) } / Double(qualities.count - 1)).squareRoot()
            }
            return ModelStatistics(
                group: Dictionary(uniqueKeysWithValues: zip(groupBy, key)), count: members.count,
                successRate: Double(members.count { $0.success }) / Double(members.count),
                scoredCount: qualities.count, meanQuality: meanQuality, qualityStandardDeviation: deviation,
                latency: LatencySummary(
                    mean: latencies.reduce(0, +) / Double(latencies.count), p50: Percentile.of(sorted: latencies, 0.5),
                    p95: Percentile.of(sorted: latencies, 0.95), p99: Percentile.of(sorted: latencies, 0.99)),
                meanCost: totalCost / Double(members.count), totalCost: totalCost,
                inputTokens: members.reduce(0) { $0 + $1.inputTokens }, outputTokens: members.reduce(0) { $0 + $1.outputTokens },
                firstTime: Date(timeIntervalSince1970: members.map(\.time).min()!),
                lastTime: Date(timeIntervalSince1970: members.map(\.time).max()!))
        }
        .sorted { a, b in
            let keyA = groupBy.map { a.group[$0] ?? "" }, keyB = groupBy.map { b.group[$0] ?? "" }
            return a.count != b.count ? a.count > b.count : keyA.lexicographicallyPrecedes(keyB)
        }
    }

    /// Per UTC day: count, success rate, mean quality and spend, for the records `filter`
    /// matches. Days without records inside the span (from `filter.from`, or the first
    /// record, to `filter.to`, or the last) appear with zeros, so a chart has no gaps.
    public func dailyTrends(filter: RecordQuery = .all) throws(AnalyticsError) -> [DailyTrend] {
        let facts = try facts(groupBy: [], filter: filter)
        let day = 86_400.0
        let byDay = Dictionary(grouping: facts) { ($0.time / day).rounded(.down) }
        guard let firstData = byDay.keys.min(), let lastData = byDay.keys.max() else { return [] }
        let first = filter.from.map { ($0.timeIntervalSince1970 / day).rounded(.down) } ?? firstData
        let last = filter.to.map { (($0.timeIntervalSince1970 - 1e-6) / day).rounded(.down) } ?? lastData
        guard first <= last else { return [] }
        return stride(from: first, through: last, by: 1).map { index in
            let members = byDay[index] ?? []
            let qualities = members.compactMap(\.quality)
            return DailyTrend(
                day: Date(timeIntervalSince1970: index * day), count: members.count,
                successRate: members.isEmpty ? 0 : Double(members.count { $0.success }) / Double(members.count),
                meanQuality: qualities.isEmpty ? nil : qualities.reduce(0, +) / Double(qualities.count),
                cost: members.reduce(0) { $0 + $1.cost })
        }
    }

    /// Percentiles of one metric over the records `filter` matches.
    ///
    /// - Parameter fractions: each between 0 and 1 (0.5 is the median).
    /// - Returns: one value per fraction; empty when no record matches.
    public func percentiles(of metric: RecordMetric, at fractions: [Double], filter: RecordQuery = .all) throws(AnalyticsError) -> [Double] {
        if let bad = fractions.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw .invalidArgument(name: "percentile", value: "\(bad)", expected: "a fraction from 0 to 1, such as 0.95")
        }
        let facts = try facts(groupBy: [], filter: filter)
        let values: [Double] = facts.compactMap { fact in
            switch metric {
            case .latency: fact.latency
            case .cost: fact.cost
            case .quality: fact.quality
            case .inputTokens: Double(fact.inputTokens)
            case .outputTokens: Double(fact.outputTokens)
            }
        }.sorted()
        guard !values.isEmpty else { return [] }
        return fractions.map { Percentile.of(sorted: values, $0) }
    }

    private func facts(groupBy: [RecordGrouping], filter: RecordQuery) throws(AnalyticsError) -> [RecordFacts] {
        let (condition, bind) = filter.condition
        let groupColumns = groupBy.map(\.rawValue)
        let columns = (["time", "latency_seconds", "input_tokens", "output_tokens", "cost", "quality", "outcome"] + groupColumns).joined(separator: ", ")
        return try withCatalog { catalog throws(AnalyticsError) in
            try catalog.run { () throws(CatalogError) in
                let statement = try catalog.database.statement("SELECT \(columns) FROM generations \(condition)")
                bind(statement)
                return try statement.rows { row in
                    RecordFacts(
                        group: groupColumns.indices.map { row.string(Int32(7 + $0)) }, time: row.double(0), latency: row.double(1),
                        inputTokens: row.int(2), outputTokens: row.int(3), cost: row.double(4), quality: row.optionalDouble(5),
                        success: row.string(6) == GenerationRecord.Outcome.success.rawValue)
                }
            }
        }
    }
}
