import Foundation
import Logging
import StrataCatalog
import StrataIndex

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

/// The moving parts of a replica: its position in the feed, the maintainer lock, and the
/// thread that follows the feed. Guarded by its own lock; the catalog work happens under the
/// store's write lock.
final class ReplicaState: @unchecked Sendable {
    private let lock = NSLock()
    private var status: ReplicationStatus
    private var running = true
    private let wake = DispatchSemaphore(value: 0)
    private var listener: (any CatalogDatabase)?
    private var thread: Thread?
    private var lastFeedPrune = Date.distantPast

    /// How often the feed is read when no notification arrives.
    static let pollInterval = 0.5
    /// How long feed entries are kept; a replica further behind reloads its tiers.
    static let feedRetention = 600.0

    init(appliedSequence: Int64) {
        status = ReplicationStatus(appliedSequence: appliedSequence, newestSequence: appliedSequence, isMaintainer: false)
    }

    var current: ReplicationStatus { lock.withLock { status } }
    var isRunning: Bool { lock.withLock { running } }

    func update(_ body: (inout ReplicationStatus) -> Void) { lock.withLock { body(&status) } }

    /// Whether the feed is due for pruning (once a minute, by the maintainer).
    func feedPruneDue(now: Date) -> Bool {
        lock.withLock {
            guard now.timeIntervalSince(lastFeedPrune) >= 60 else { return false }
            lastFeedPrune = now
            return true
        }
    }

    /// Starts following: a LISTEN connection that wakes the thread on each commit, and the
    /// thread, which also polls, so a lost notification costs at most one interval.
    func start(location: CatalogLocation, logger: Logger, step: @escaping @Sendable () -> Void) {
        do {
            let connection = try location.listen(to: Catalog.feedChannel) { [weak self] in self?.wake.signal() }
            lock.withLock { listener = connection }
        } catch {
            logger.warning("change notifications unavailable; following by polling", metadata: ["error": "\(error)"])
        }
        let thread = Thread { [weak self] in
            while let self, self.isRunning {
                step()
                _ = self.wake.wait(timeout: .now() + Self.pollInterval)
            }
        }
        thread.name = "strata-replica"
        lock.withLock { self.thread = thread }
        thread.start()
    }

    /// Stops the thread (it finishes its current step) and closes the listener.
    func stop() {
        let listener = lock.withLock { () -> (any CatalogDatabase)? in
            running = false
            defer { self.listener = nil }
            return self.listener
        }
        wake.signal()
        listener?.close()
    }
}

extension PatternStore {
    /// Where this replica stands against the others; nil for an embedded store.
    public var replicationStatus: ReplicationStatus? { replica?.current }

    /// Whether this process runs maintenance: always for an embedded store; for a shared one,
    /// only while it holds the maintainer lock.
    var maintains: Bool { replica?.current.isMaintainer ?? true }

    /// Advisory lock keys of this store: one for writers, one for the maintainer. Derived
    /// from the catalog's location, so stores in different schemas never share them.
    func advisoryKey(_ purpose: String) -> Int64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in (purpose + "|" + catalogLocation.description).utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return Int64(bitPattern: hash)
    }

    /// Begins following the other replicas (a shared store only).
    func startFollowing() {
        guard let replica, catalogLocation.isShared else { return }
        replica.start(location: catalogLocation, logger: logger) { [weak self] in self?.followStep() }
    }

    /// One turn of the follower: apply what the feed holds, then take or use the maintainer
    /// lock. Failures are recorded in the status (``/readyz`` reports them) and retried.
    func followStep() {
        guard let replica, !isClosed else { return }
        do {
            try catchUp()
            try maintainIfDue()
        } catch {
            replica.update { $0.lastError = "\(error)" }
            logger.warning("replica step failed", metadata: ["error": "\(error)"])
        }
    }

    /// Applies every feed entry after the last applied one, as one batch.
    func catchUp() throws(StoreError) {
        guard let replica else { return }
        try writeLocally { () throws(StoreError) in
            guard !isClosed else { return }
            let applied = replica.current.appliedSequence
            let prunedThrough = Int64(try writer.manifestValue("feed_pruned_through") ?? "0") ?? 0
            var entries: [FeedEntry] = []
            var changes = ChangeSet()
            if applied < prunedThrough {
                // Entries this replica never saw are gone: start again from the catalog.
                changes.reload = true
            } else {
                entries = try writer.feed(after: applied)
                for entry in entries where entry.origin != writer.origin { changes.formUnion(entry.changes) }
            }
            let newest = try writer.feedBounds().newest
            try apply(changes)
            let now = Date()
            replica.update { status in
                status.appliedSequence = max(entries.last?.sequence ?? applied, changes.reload ? newest : applied)
                status.newestSequence = newest
                if let foreign = entries.last(where: { $0.origin != writer.origin }) {
                    status.lagSeconds = max(0, now.timeIntervalSince(foreign.committedAt))
                }
                status.lastPoll = now
                status.lastError = nil
            }
        }
    }

    /// Brings the in-memory tiers and the payload index in line with the catalog for what
    /// `changes` names. Idempotent: each row is set to what the catalog holds now.
    private func apply(_ changes: ChangeSet) throws(StoreError) {
        guard !changes.isEmpty else { return }
        if changes.reload {
            replaceTiers(cold: try loadColdSegments())
            try reloadHotGraph()
            dropPayloadIndex()
            return
        }
        if changes.segments {
            replaceTiers(cold: try syncedColdSegments())
        }
        if !changes.vectorRows.isEmpty {
            let hot = self.hot
            let rows = Array(changes.vectorRows)
            let state = try writer.hotVectors(rows: rows, dimension: configuration.dimension)
            do throws(IndexError) {
                for row in rows {
                    let id = UInt64(row)
                    if hot.contains(id) { try hot.delete(id) }
                    if let vector = state[row] { try hot.insert(vector, id: id) }
                }
            } catch {
                throw .index(error)
            }
        }
        try refreshPayload(Array(changes.vectorRows.union(changes.metadataRows)))
    }

    /// The cold tier as the catalog lists it now: segments already mapped are kept (with
    /// their records and tombstones re-read), new ones are mapped from the shared folder.
    private func syncedColdSegments() throws(StoreError) -> [ColdSegment] {
        let loaded = Dictionary(uniqueKeysWithValues: cold.map { ($0.record.id, $0) })
        var segments: [ColdSegment] = []
        for record in try writer.segments() {
            let dead = Set(try writer.tombstones(segment: record.id))
            if let existing = loaded[record.id] {
                segments.append(ColdSegment(record: record, segment: existing.segment, dead: dead))
            } else {
                segments.append(ColdSegment(record: record, segment: try openSegment(file: record.file, expecting: record), dead: dead))
            }
        }
        return segments
    }

    // MARK: the maintainer

    /// Takes the maintainer lock when it is free; as maintainer, flushes a full hot tier and
    /// prunes old feed entries.
    private func maintainIfDue() throws(StoreError) {
        guard let replica else { return }
        if !replica.current.isMaintainer {
            // Trying the lock needs no writer lock: a replica that does not maintain never
            // holds up the others' writes.
            let took = try writeLocally { () throws(StoreError) -> Bool in
                guard !isClosed else { return false }
                return try tryMaintainerLock()
            }
            guard took else { return }
            try write { () throws(StoreError) in try becomeMaintainer() }
        }
        let now = Date()
        let flushDue = hot.count >= configuration.flushThreshold
        let pruneDue = replica.feedPruneDue(now: now)
        guard flushDue || pruneDue else { return }
        try write { () throws(StoreError) in
            guard !isClosed else { return }
            if flushDue, hot.count >= configuration.flushThreshold {
                try flushLocked(rows: nil, reason: "size")
            }
            if pruneDue {
                try writer.transaction { () throws(StoreError) in
                    guard let through = try writer.pruneFeed(before: now.addingTimeInterval(-ReplicaState.feedRetention)) else { return }
                    try writer.setManifestValue("feed_pruned_through", "\(through)")
                }
            }
        }
    }

    /// Having just taken the maintainer lock: removes the segment files a dead writer left
    /// unreferenced, then says this replica maintains. Called under ``write(_:)``, so no
    /// writer is between writing a segment file and committing it.
    private func becomeMaintainer() throws(StoreError) {
        guard let replica, !isClosed else { return }
        try removeOrphanSegments()
        try writer.log("maintainer", "replica \(writer.origin) took the maintainer lock")
        replica.update { $0.isMaintainer = true }
        logger.notice("this replica is now the maintainer")
    }

    /// Tries the maintainer lock on the writer connection: a session lock, released when the
    /// connection ends, so a killed maintainer frees it at once.
    private func tryMaintainerLock() throws(StoreError) -> Bool {
        try inCatalog { () throws(CatalogError) in try writer.database.tryMaintainerLease(key: advisoryKey("maintainer")) }
    }

    /// Whether this process may run maintenance now: always for an embedded store; for a
    /// shared one, when it holds the maintainer lock or takes it now (it is free). Called
    /// under ``write(_:)``.
    func claimMaintenance() throws(StoreError) -> Bool {
        guard let replica else { return true }
        if replica.current.isMaintainer { return true }
        guard try tryMaintainerLock() else { return false }
        try becomeMaintainer()
        return true
    }

    /// Refuses maintenance on a replica that is not the maintainer (taking the lock first
    /// when it is free). Called under the write lock.
    func requireMaintainer(_ operation: String) throws(StoreError) {
        guard try !claimMaintenance() else { return }
        throw .notMaintainer(operation: operation)
    }
}
