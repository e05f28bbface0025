import Foundation
import StrataIndex
import StrataKernels

/// Hydrated patterns by row, so a search answers from memory instead of asking the catalog
/// for the metadata of its hits: a few microseconds against a SQLite read, or a PostgreSQL
/// round trip on a replica.
///
/// Every write drops the rows it changed (``PatternStore/refreshPayload(_:)``, which every
/// write and every applied feed entry calls) and moves the epoch on. A search that read the
/// catalog keeps what it read only if no write came between its read and its keeping, so a
/// value read before a commit never outlives it. Thread-safe.
final class PatternCache: @unchecked Sendable {
    private let lock = RankedLock(.cache)
    private var patterns: [Int64: Pattern] = [:]
    private var epoch: UInt64 = 0
    /// Patterns kept at most; when full it starts again empty (the working set refills it).
    let capacity: Int

    init(capacity: Int = 16_384) { self.capacity = capacity }

    /// The cached patterns among `rows`, and the epoch to hand back to ``keep(_:from:)``.
    func lookup(_ rows: [Int64]) -> (found: [Int64: Pattern], epoch: UInt64) {
        lock.withLock {
            var found: [Int64: Pattern] = [:]
            for row in rows { if let pattern = patterns[row] { found[row] = pattern } }
            return (found, epoch)
        }
    }

    /// Keeps patterns read from the catalog at `readEpoch`, unless a write came since.
    func keep(_ read: [Int64: Pattern], from readEpoch: UInt64) {
        lock.withLock {
            guard readEpoch == epoch, !read.isEmpty else { return }
            if patterns.count + read.count > capacity { patterns.removeAll(keepingCapacity: true) }
            patterns.merge(read) { _, new in new }
        }
    }

    /// Drops `rows` (changed by a write that has committed).
    func invalidate(_ rows: [Int64]) {
        lock.withLock {
            epoch &+= 1
            for row in rows { patterns[row] = nil }
        }
    }

    /// Drops everything (the tiers were reloaded).
    func removeAll() {
        lock.withLock {
            epoch &+= 1
            patterns.removeAll()
        }
    }

    /// The search hits of `ranked`: patterns from the cache, the missing ones from `read`
    /// (kept for the next searches), with their ranking scores and their similarity under
    /// `metric`. A row deleted meanwhile drops out.
    func hits(_ ranked: [SearchLegs.Ranked], metric: Metric, read: ([Int64]) throws(StoreError) -> [Int64: Pattern]) throws(StoreError) -> [SearchHit] {
        guard !ranked.isEmpty else { return [] }
        let rows = ranked.map { Int64($0.row) }
        var (patterns, epoch) = lookup(rows)
        let missing = rows.filter { patterns[$0] == nil }
        if !missing.isEmpty {
            let found = try read(missing)
            keep(found, from: epoch)
            patterns.merge(found) { _, new in new }
        }
        return ranked.compactMap { ranked in
            guard let pattern = patterns[Int64(ranked.row)] else { return nil }
            let similarity = ranked.distance.map { Double(metric.score(fromDistance: $0)) } ?? 0
            return SearchHit(pattern: pattern, score: Double(ranked.score), similarity: similarity)
        }
    }
}
