import Foundation

/// Where a replica of a shared store stands against the others.
public struct ReplicationStatus: Sendable, Equatable {
    /// The last change-feed entry this replica has applied.
    public var appliedSequence: Int64
    /// The newest entry the last poll saw in the feed.
    public var newestSequence: Int64
    /// Seconds from the commit of the last entry another replica wrote to its application
    /// here; nil before the first.
    public var lagSeconds: Double?
    /// When the feed was last read successfully.
    public var lastPoll: Date?
    /// The last poll's failure, if it failed.
    public var lastError: String?
    /// Whether this replica holds the maintainer lock (flush, compaction, promotion, pruning).
    public var isMaintainer: Bool

    /// Applied everything the feed held at a poll within `freshness` seconds.
    public func isCaughtUp(freshness: Double = 5, now: Date = Date()) -> Bool {
        guard let lastPoll, lastError == nil else { return false }
        return appliedSequence >= newestSequence && now.timeIntervalSince(lastPoll) <= freshness
    }
}

