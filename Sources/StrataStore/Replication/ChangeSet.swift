import Foundation

/// What one write transaction changed, as the replicas of a shared store need to know it.
struct ChangeSet: Sendable, Equatable {
    /// Rows whose vector may have changed: added, deleted, re-embedded, or moved between tiers.
    var vectorRows: Set<Int64> = []
    /// Rows whose metadata alone changed (feedback, a re-add of the same text).
    var metadataRows: Set<Int64> = []
    /// The segment list or a segment's tombstones changed.
    var segments = false
    /// Everything may have changed (a re-embedding): followers reload both tiers.
    var reload = false

    var isEmpty: Bool { vectorRows.isEmpty && metadataRows.isEmpty && !segments && !reload }

    /// Rows as the feed stores them: 8-byte integers, ascending.
    static func encode(_ rows: Set<Int64>) -> [UInt8] {
        rows.sorted().withUnsafeBytes { Array($0) }
    }

    static func decode(_ bytes: [UInt8]) -> Set<Int64> {
        let count = bytes.count / MemoryLayout<Int64>.size
        var rows = Set<Int64>(minimumCapacity: count)
        bytes.withUnsafeBytes { raw in
            for index in 0..<count { rows.insert(raw.loadUnaligned(fromByteOffset: index * 8, as: Int64.self)) }
        }
        return rows
    }

    mutating func formUnion(_ other: ChangeSet) {
        vectorRows.formUnion(other.vectorRows)
        metadataRows.formUnion(other.metadataRows)
        segments = segments || other.segments
        reload = reload || other.reload
    }
}

/// One committed write as the feed records it.
struct FeedEntry: Sendable {
    var sequence: Int64
    var committedAt: Date
    var origin: String
    var changes: ChangeSet
}
