import Foundation

/// The store's locks, in the one order a thread may take them: a thread holding one may only
/// take those listed after it. Every lock of the store is a ``RankedLock`` with its rank, and
/// builds with `STRATA_INTERNAL_CHECKS` (debug builds, or any build with
/// `STRATA_INTERNAL_CHECKS=1` in the environment of `swift build`) check the order on every
/// acquisition and stop at the first violation, naming both locks.
///
/// Outside this list, and taken before any of it: the store folder's `flock` (held from open
/// to close) and, on a shared store, the replicas' writer lock (a PostgreSQL advisory lock
/// taken inside ``write``, right after it). The maintainer lease is only ever tried, never
/// waited for.
package enum LockRank: Int, Comparable, Sendable, CustomStringConvertible {
    /// Building the payload index (`PatternStore.payloadIndex()`), which then takes the
    /// write lock so that no write commits between its scan and its publication.
    case payloadBuild = 1
    /// The store's one writer (`PatternStore.write`): every catalog write and tier change.
    case write
    /// The read connection (`PatternStore.read`).
    case read
    /// The payload index's columns, updated under the write lock, read by searches.
    case payloadColumns
    /// The store's state: tiers, embedder, space, closed flag. Held for a copy or a swap only.
    case state
    /// The cache of search hits' metadata.
    case cache
    /// A replica's status and follower thread.
    case replica

    package static func < (lhs: LockRank, rhs: LockRank) -> Bool { lhs.rawValue < rhs.rawValue }

    package var description: String {
        switch self {
        case .payloadBuild: "payloadBuild"
        case .write: "write"
        case .read: "read"
        case .payloadColumns: "payloadColumns"
        case .state: "state"
        case .cache: "cache"
        case .replica: "replica"
        }
    }
}

/// The check behind ``LockRank``.
package enum LockOrder {
    /// Why taking `acquiring` while holding `held` (oldest first) breaks the order; nil when
    /// it keeps it.
    package static func violation(held: [LockRank], acquiring: LockRank) -> String? {
        guard let last = held.last, last >= acquiring else { return nil }
        return "lock order: taking \(acquiring) while holding \(last) (held: \(held.map(\.description).joined(separator: " → "))); " +
            "a thread takes the store's locks only in LockRank's order"
    }

    #if STRATA_INTERNAL_CHECKS
    private static let key = "strata.held-locks"

    private static var held: [LockRank] {
        get { (Thread.current.threadDictionary[key] as? [Int])?.compactMap(LockRank.init(rawValue:)) ?? [] }
        set { Thread.current.threadDictionary[key] = newValue.map(\.rawValue) }
    }

    static func willAcquire(_ rank: LockRank) {
        if let problem = violation(held: held, acquiring: rank) { preconditionFailure(problem) }
        held.append(rank)
    }

    static func didRelease(_ rank: LockRank) {
        var stack = held
        if let position = stack.lastIndex(of: rank) { stack.remove(at: position) }
        held = stack
    }
    #else
    @inline(__always) static func willAcquire(_ rank: LockRank) {}
    @inline(__always) static func didRelease(_ rank: LockRank) {}
    #endif
}

/// A mutex with its place in the store's lock order (``LockRank``).
final class RankedLock: @unchecked Sendable {
    let rank: LockRank
    private let mutex = NSLock()

    init(_ rank: LockRank) {
        self.rank = rank
    }

    func lock() {
        LockOrder.willAcquire(rank)
        mutex.lock()
    }

    func unlock() {
        mutex.unlock()
        LockOrder.didRelease(rank)
    }

    @inline(__always)
    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
