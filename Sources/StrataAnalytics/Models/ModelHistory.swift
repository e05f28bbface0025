import Foundation

/// Where the model commands read generation records from.
///
/// ``PerformanceTracker`` (the store's catalog) is the history of a running system;
/// ``InMemoryGenerationHistory`` serves tests, the simulation and JSON-lines files.
public protocol GenerationHistory {
    /// The records of `stage` (every stage when `nil`) at or after `since` (all when `nil`),
    /// oldest first.
    func records(stage: String?, since: Date?) throws(AnalyticsError) -> [GenerationRecord]
}

/// Records held in memory, kept in time order.
public struct InMemoryGenerationHistory: GenerationHistory, Sendable {
    public private(set) var all: [GenerationRecord]

    public init(_ records: [GenerationRecord] = []) {
        all = records.sorted { $0.time < $1.time }
    }

    public mutating func append(_ record: GenerationRecord) {
        if let last = all.last, last.time > record.time {
            all.insert(record, at: all.firstIndex { $0.time > record.time } ?? all.count)
        } else {
            all.append(record)
        }
    }

    public func records(stage: String?, since: Date?) throws(AnalyticsError) -> [GenerationRecord] {
        all.filter { record in (stage.map { record.stage == $0 } ?? true) && (since.map { record.time >= $0 } ?? true) }
    }
}

extension PerformanceTracker: GenerationHistory {
    public func records(stage: String?, since: Date?) throws(AnalyticsError) -> [GenerationRecord] {
        try records(matching: RecordQuery(stage: stage, from: since)).sorted { $0.time < $1.time }
    }
}
