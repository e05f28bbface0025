import Foundation

/// A store's shape: sizes of its tiers and segments, where its patterns come from, and its
/// recent maintenance.
public struct StoreStats: Sendable, Equatable, Codable {
    public struct SegmentStats: Sendable, Equatable, Codable {
        public var file: String
        public var slots: Int
        public var live: Int
        public var dead: Int
        public var bytes: Int
    }

    public struct LogEntry: Sendable, Equatable, Codable {
        public var at: Date
        public var operation: String
        public var detail: String
    }

    public var embedder: String
    public var dimension: Int
    public var metric: String
    public var patterns: Int
    public var hot: Int
    public var cold: Int
    public var segments: [SegmentStats]
    public var catalogBytes: Int
    public var hotMemoryBytes: Int
    public var byNodeType: [String: Int]
    public var byLanguage: [String: Int]
    public var byKind: [String: Int]
    public var recentMaintenance: [LogEntry]
}
