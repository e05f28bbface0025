import Foundation

/// The scored generations of one stage, per model in time order: what the migration engine
/// tests and watches.
package struct StageObservations: Sendable {
    package struct Series: Sendable {
        package var times: [Date] = []
        package var quality: [Double] = []
        /// `nil` entries where a generation had no retrieval similarity.
        package var similarity: [Double?] = []
        package var costTotal = 0.0
        package var costed = 0
        package var generations = 0
    }

    package private(set) var series: [String: Series] = [:]

    package init() {}

    package mutating func add(_ record: GenerationRecord) {
        var entry = series[record.model] ?? Series()
        entry.generations += 1
        if let cost = record.cost {
            entry.costTotal += cost
            entry.costed += 1
        }
        if let quality = record.quality {
            // Records arrive in time order in practice; a late one is put in its place.
            let index = entry.times.last.map { $0 <= record.time } ?? true
                ? entry.times.count
                : entry.times.firstIndex { $0 > record.time } ?? entry.times.count
            entry.times.insert(record.time, at: index)
            entry.quality.insert(quality, at: index)
            entry.similarity.insert(record.topSimilarity, at: index)
        }
        series[record.model] = entry
    }

    package var models: [String] { series.keys.sorted() }

    /// Dollars per generation; `nil` when no generation of `model` had a cost.
    package func costMean(_ model: String) -> Double? {
        guard let entry = series[model], entry.costed > 0 else { return nil }
        return entry.costTotal / Double(entry.costed)
    }

    /// The model with the most generations (the incumbent of a stage with no decision yet).
    package var mostUsed: String? {
        series.max { ($0.value.generations, $1.key) < ($1.value.generations, $0.key) }?.key
    }

    /// The last `window` scored generations of `model` strictly after `after` and strictly
    /// before `before`, with their similarities when every one has one.
    package func sample(_ model: String, after: Date? = nil, before: Date? = nil, window: Int = .max) -> NonInferiorityTest.Sample {
        guard let entry = series[model] else { return NonInferiorityTest.Sample(quality: [], covariate: nil) }
        var start = 0, end = entry.times.count
        if let after { start = entry.times.partitioningIndex { $0 > after } }
        if let before { end = max(start, entry.times.partitioningIndex { $0 >= before }) }
        start = max(start, end - window)
        let similarity = entry.similarity[start..<end]
        let covariate = similarity.contains { $0 == nil } ? nil : similarity.map { $0! }
        return NonInferiorityTest.Sample(quality: Array(entry.quality[start..<end]), covariate: covariate)
    }
}

extension Array where Element == Date {
    /// The first index whose element satisfies `isAfter`, which must be false then true
    /// along the (sorted) array: a binary search.
    func partitioningIndex(where isAfter: (Date) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if isAfter(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

extension NonInferiorityTest.Sample {
    func summary(_ model: String) -> ArmSummary {
        let n = Double(quality.count)
        let mean = n > 0 ? quality.reduce(0, +) / n : 0
        let variance = n > 1 ? quality.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
        return ArmSummary(model: model, generations: quality.count, mean: mean, sd: variance.squareRoot())
    }
}
