import Foundation

/// What a maintenance run did; also written to the catalog's maintenance log.
public struct MaintenanceReport: Sendable, Equatable, Codable {
    /// `flush`, `compact`, `promote`, `demote` or `prune`.
    public var operation: String
    /// Patterns moved between tiers or removed.
    public var patterns: Int
    public var segmentsWritten: Int
    public var segmentsRemoved: Int
    public var seconds: Double
    /// Ids of pruned patterns (prune only).
    public var removedIDs: [String]

    init(operation: String, patterns: Int = 0, segmentsWritten: Int = 0, segmentsRemoved: Int = 0, seconds: Double = 0, removedIDs: [String] = []) {
        self.operation = operation
        self.patterns = patterns
        self.segmentsWritten = segmentsWritten
        self.segmentsRemoved = segmentsRemoved
        self.seconds = seconds
        self.removedIDs = removedIDs
    }
}
