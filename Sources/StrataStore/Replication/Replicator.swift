import Foundation
import Logging
import StrataCatalog
import StrataIndex

/// A replica of a shared store: its position in the change feed, the maintainer lock, and the
/// thread that follows the feed, applying other replicas' writes to the store's tiers and
/// running maintenance while it holds the lock.
///
/// Its own state is guarded by its own lock (taken last, for a moment: see ``PatternStore``'s
/// lock order); the catalog work happens under the store's write lock.
final class Replicator: @unchecked Sendable {
    private let lock = RankedLock(.replica)
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

    /// The replicas' writer lock and maintainer lease keys for this store's catalog.
    let writerKey: Int64
    let maintainerKey: Int64

    init(appliedSequence: Int64, location: CatalogLocation) {
        status = ReplicationStatus(appliedSequence: appliedSequence, newestSequence: appliedSequence, isMaintainer: false)
        writerKey = location.lockKey("writer")
        maintainerKey = location.lockKey("maintainer")
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

extension Replicator {
    /// One turn of the follower: apply what the feed holds, then take or use the maintainer
    /// lock. Failures are recorded in the status (``/readyz`` reports them) and retried.
    func step(_ store: PatternStore) {
        guard !store.isClosed else { return }
        do {
            try catchUp(store)
            try maintainIfDue(store)
        } catch {
            update { $0.lastError = "\(error)" }
            store.logger.warning("replica step failed", metadata: ["error": "\(error)"])
        }
    }

    /// Applies every feed entry after the last applied one, as one batch.
    func catchUp(_ store: PatternStore) throws(StoreError) {
        try store.writeLocally { () throws(StoreError) in
            guard !store.isClosed else { return }
            let applied = current.appliedSequence
            let prunedThrough = Int64(try store.writer.manifestValue("feed_pruned_through") ?? "0") ?? 0
            var entries: [FeedEntry] = []
            var changes = ChangeSet()
            if applied < prunedThrough {
                // Entries this replica never saw are gone: start again from the catalog.
                changes.reload = true
            } else {
                entries = try store.writer.feed(after: applied)
                for entry in entries where entry.origin != store.writer.origin { changes.formUnion(entry.changes) }
            }
            let newest = try store.writer.feedBounds().newest
            try apply(changes, to: store)
            let now = Date()
            update { status in
                status.appliedSequence = max(entries.last?.sequence ?? applied, changes.reload ? newest : applied)
                status.newestSequence = newest
                if let foreign = entries.last(where: { $0.origin != store.writer.origin }) {
                    status.lagSeconds = max(0, now.timeIntervalSince(foreign.committedAt))
                }
                status.lastPoll = now
                status.lastError = nil
            }
        }
    }

    /// Brings the in-memory tiers and the payload index in line with the catalog for what
    /// `changes` names. Idempotent: each row is set to what the catalog holds now.
    private func apply(_ changes: ChangeSet, to store: PatternStore) throws(StoreError) {
        guard !changes.isEmpty else { return }
        if changes.reload {
            if try !reloadSpace(store) { try store.reloadTiers() }
            store.dropPayloadIndex()
            return
        }
        if changes.segments {
            store.tiers.replace(cold: try syncedColdSegments(store))
        }
        if !changes.vectorRows.isEmpty {
            let hot = store.tiers.hot
            let rows = Array(changes.vectorRows)
            let state = try store.writer.hotVectors(rows: rows, dimension: store.configuration.dimension)
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
        try store.refreshPayload(Array(changes.vectorRows.union(changes.metadataRows)))
    }

    /// The store.cold tier as the catalog lists it now: segments already mapped are kept (with
    /// their records and tombstones re-read), new ones are mapped from the shared folder.
    private func syncedColdSegments(_ store: PatternStore) throws(StoreError) -> [ColdSegment] {
        let loaded = Dictionary(uniqueKeysWithValues: store.tiers.cold.map { ($0.record.id, $0) })
        var segments: [ColdSegment] = []
        for record in try store.writer.segments() {
            let dead = Set(try store.writer.tombstones(segment: record.id))
            if let existing = loaded[record.id] {
                segments.append(ColdSegment(record: record, segment: existing.segment, lexical: existing.lexical, dead: dead))
            } else {
                segments.append(try store.folder.coldSegment(record, listedIn: store.writer, dimension: store.configuration.dimension, logger: store.logger))
            }
        }
        return segments
    }

    // MARK: the maintainer

    /// Takes the maintainer lock when it is free; as maintainer, flushes a full hot tier and
    /// prunes old feed entries.
    private func maintainIfDue(_ store: PatternStore) throws(StoreError) {
        if !current.isMaintainer {
            // Trying the lock needs no store.writer lock: a replica that does not maintain never
            // holds up the others' writes.
            let took = try store.writeLocally { () throws(StoreError) -> Bool in
                guard !store.isClosed else { return false }
                return try tryLease(store)
            }
            guard took else { return }
            try store.write { () throws(StoreError) in try becomeMaintainer(store) }
        }
        let now = Date()
        let flushDue = store.tiers.hot.count >= store.configuration.flushThreshold
        let pruneDue = feedPruneDue(now: now)
        guard flushDue || pruneDue else { return }
        try store.write { () throws(StoreError) in
            guard !store.isClosed else { return }
            if flushDue, store.tiers.hot.count >= store.configuration.flushThreshold {
                try store.flushLocked(rows: nil, reason: "size")
            }
            if pruneDue {
                try store.writer.transaction { () throws(StoreError) in
                    guard let through = try store.writer.pruneFeed(before: now.addingTimeInterval(-Self.feedRetention)) else { return }
                    try store.writer.setManifestValue("feed_pruned_through", "\(through)")
                }
            }
        }
    }

    /// Having just taken the maintainer lock: removes the segment files a dead store.writer left
    /// unreferenced, then says this replica maintains. Called under ``store.write(_:)``, so no
    /// store.writer is between writing a segment file and committing it.
    private func becomeMaintainer(_ store: PatternStore) throws(StoreError) {
        guard !store.isClosed else { return }
        try store.folder.removeOrphanSegments(listedIn: store.writer, logger: store.logger)
        try store.writer.log("maintainer", "replica \(store.writer.origin) took the maintainer lock")
        update { $0.isMaintainer = true }
        store.logger.notice("this replica is now the maintainer")
    }

    /// Tries the maintainer lock on the store.writer connection: a session lock, released when the
    /// connection ends, so a killed maintainer frees it at once.
    private func tryLease(_ store: PatternStore) throws(StoreError) -> Bool {
        try inCatalog { () throws(CatalogError) in try store.writer.database.tryMaintainerLease(key: maintainerKey) }
    }

    /// Whether this process may run maintenance now: when it holds the maintainer lock or
    /// takes it now (it is free). Called under ``PatternStore/write(_:)``.
    func claimMaintenance(_ store: PatternStore) throws(StoreError) -> Bool {
        if current.isMaintainer { return true }
        guard try tryLease(store) else { return false }
        try becomeMaintainer(store)
        return true
    }
}

extension Replicator {
    /// Reads the embedding space anew from the manifest, after another replica re-embedded the
    /// shared store: the configuration, the embedder's settings and the embedder they build
    /// (fitted state included), swapped in together with the tiers of the new vectors.
    /// Returns false when the space has not changed (the tiers are then the caller's to reload).
    ///
    /// When the new embedder cannot be built here (its model is missing on this machine), the
    /// store keeps the new space without an embedder: text searches and adds fail with the
    /// reason, vector searches go on.
    func reloadSpace(_ store: PatternStore) throws(StoreError) -> Bool {
        let manifest = try StoreManifest.read(from: store.writer, directory: store.directory, location: store.catalogLocation)
        let space = EmbeddingSpace(embedder: manifest.embedder, dimension: manifest.configuration.dimension, metric: manifest.configuration.metric)
        guard space != store.space || manifest.settings != store.embedderSettings || manifest.configuration != store.configuration else { return false }
        var embedder: (any Embedder)?
        do {
            embedder = try manifest.embedder(given: nil, resolving: true, catalog: store.writer)
        } catch {
            store.logger.error("the store was re-embedded, but its new embedder cannot be built here", metadata: ["embedder": "\(space.embedder)", "error": "\(error)"])
        }
        let loaded = try store.loadTiers(manifest.configuration)
        store.tiers.replaceSpace(
            configuration: manifest.configuration, settings: manifest.settings, space: space, embedder: embedder,
            hot: loaded.hot, hotLexical: loaded.hotLexical, cold: loaded.cold)
        store.logger.info("followed a re-embed", metadata: ["space": "\(space)"])
        return true
    }
}
