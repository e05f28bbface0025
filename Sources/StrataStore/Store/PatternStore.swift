import Foundation
import Logging
import StrataCatalog
import StrataIndex
import StrataKernels
import StrataTracing

/// A code generator's memory: patterns with metadata, searched by text or vector under
/// filters, durable across crashes, tidy as it grows.
///
/// Layout of a store folder:
///
/// ```
/// <store>/
///   catalog.sqlite   source of truth: patterns, hot vectors, payload indexes, segments, manifest
///   catalog.url      instead of catalog.sqlite: the PostgreSQL catalog the store lives in
///   segments/        cold tier: immutable segment files, memory-mapped
///   LOCK             held (flock) by the process that has an embedded store open
/// ```
///
/// A store whose catalog is PostgreSQL is shared: its folder sits on a file system every
/// replica mounts, and each replica opens it.
///
/// Writes go through one catalog transaction each and are acknowledged when it commits; the
/// in-memory tiers follow. Searches run concurrently with each other and with writes: they
/// read a snapshot of the tiers and a connection of their own.
///
/// - Important: One process at a time opens a store; a second waits for the lock, then fails
///   with a message.
public final class PatternStore: @unchecked Sendable {
    /// The store's folder.
    public let directory: String
    /// The policy the store was created with.
    public var configuration: StoreConfiguration { tiers.configuration }
    /// What the manifest says about the embedder.
    public var embedderSettings: EmbedderSettings { tiers.settings }
    /// Where the catalog is: the folder's SQLite file, or a shared PostgreSQL database.
    public let catalogLocation: CatalogLocation

    let writer: Catalog
    let reader: Catalog
    // The locks, in the order a thread may take them (LockRank): payloadBuild, writeLock,
    // readLock, the payload index's columns, the tier set's, the hit cache's, the replica's.
    let writeLock = StoreLock(.write)
    let readLock = StoreLock(.read)
    let logger: Logger
    private let directoryLock: StoreDirectoryLock?
    /// The replica's feed position and follower thread; nil for an embedded store.
    let replica: Replicator?
    /// Search hits' metadata, kept between searches.
    let hydrated = PatternCache()

    /// The space, embedder, tiers and payload index, behind their own lock.
    let tiers: TierSet
    private let payloadBuild = RankedLock(.payloadBuild)

    /// The format of the store folder this build writes.
    public static let formatVersion = 1

    /// The store's folder: its catalog's place and its segment files.
    var folder: StoreFolder { StoreFolder(path: directory) }

    /// Where the catalog of the store in `directory` is: the URL its `catalog.url` names, its
    /// `catalog.sqlite`, or nil when the folder holds no store.
    ///
    /// - Throws: ``StoreError/noStore(path:problem:)`` when `catalog.url` cannot be read or
    ///   holds no PostgreSQL URL.
    public static func catalogLocation(of directory: String) throws(StoreError) -> CatalogLocation? {
        try StoreFolder(path: directory).catalogLocation()
    }

    /// The catalog to open for the store in `directory`: `catalog` when given, else the
    /// folder's own (see ``catalogLocation(of:)``).
    ///
    /// - Throws: ``StoreError/noStore(path:problem:)`` when there is neither.
    public static func resolveCatalog(of directory: String, catalog: CatalogLocation?) throws(StoreError) -> CatalogLocation {
        try StoreFolder(path: directory).resolveCatalog(catalog)
    }

    /// Whether `directory` holds a store (a catalog file, or the URL of a shared one).
    public static func exists(at directory: String) -> Bool {
        StoreFolder(path: directory).holdsStore
    }

    /// Creates an empty store in `directory` (made if missing; it must not hold a store).
    ///
    /// - Parameters:
    ///   - catalog: where the catalog lives; nil for `catalog.sqlite` in the folder. A
    ///     PostgreSQL catalog must hold no store yet; the folder then records its URL in
    ///     `catalog.url` and keeps the segments every replica shares.
    ///   - embedder: the embedder for texts; nil with ``EmbedderSettings/external(identifier:)``.
    ///   - settings: how to rebuild the embedder at every open.
    public static func create(
        at directory: String, catalog: CatalogLocation? = nil, configuration: StoreConfiguration = StoreConfiguration(),
        embedder: (any Embedder)?, settings: EmbedderSettings
    ) throws(StoreError) -> PatternStore {
        let (location, lock) = try StoreFolder(path: directory).createStore(catalog: catalog, configuration: configuration, embedder: embedder, settings: settings)
        return try PatternStore(directory: directory, location: location, lock: lock, embedder: embedder)
    }

    /// Opens the store in `directory`.
    ///
    /// Removes orphan segment files (written, never committed), maps every cold segment
    /// (header checks only: constant time per segment) and rebuilds the hot graph from the
    /// catalog.
    ///
    /// - Parameter embedder: overrides the embedder the manifest names (tests, custom
    ///   models); its identifier and dimension must match the store's space.
    ///   - catalog: overrides where the catalog is (a replica given `--catalog`); nil reads it
    ///     from the folder.
    ///   - follow: for a shared store, follow the other replicas' writes and stand for
    ///     maintainer (a long-running server). Without it the store shows the catalog as of
    ///     its open plus its own writes, and runs maintenance only when asked (and no replica
    ///     maintains): what a short command wants.
    public static func open(at directory: String, catalog: CatalogLocation? = nil, embedder: (any Embedder)? = nil, lockTimeout: Double = 10, follow: Bool = false) throws(StoreError) -> PatternStore {
        try open(at: directory, catalog: catalog, embedder: embedder, lockTimeout: lockTimeout, resolvingEmbedder: true, follow: follow)
    }

    /// Opens without building the manifest's embedder when `resolvingEmbedder` is false
    /// (re-embedding replaces it, and the old one may be unreachable).
    static func open(at directory: String, catalog: CatalogLocation? = nil, embedder: (any Embedder)? = nil, lockTimeout: Double = 10, resolvingEmbedder: Bool, follow: Bool = false) throws(StoreError) -> PatternStore {
        let location = try resolveCatalog(of: directory, catalog: catalog)
        // Replicas share a PostgreSQL store; an embedded one belongs to one process.
        let lock = location.isShared ? nil : try StoreDirectoryLock(directory: directory, timeout: lockTimeout)
        let store = try PatternStore(directory: directory, location: location, lock: lock, embedder: embedder, resolvingEmbedder: resolvingEmbedder)
        if follow { store.startFollowing() }
        return store
    }

    private init(directory: String, location: CatalogLocation, lock: StoreDirectoryLock?, embedder: (any Embedder)?, resolvingEmbedder: Bool = true) throws(StoreError) {
        self.directory = directory
        catalogLocation = location
        directoryLock = lock
        var logger = Logger(label: "strata.store")
        logger[metadataKey: "store"] = "\(directory)"
        self.logger = logger
        writer = try Catalog(location: location, create: false)
        reader = try Catalog(location: location, create: false)
        try reader.makeReadOnly()
        // Read before the tiers load: whatever commits meanwhile is applied again, harmlessly.
        replica = location.isShared ? Replicator(appliedSequence: try writer.feedBounds().newest, location: location) : nil
        let manifest = try StoreManifest.read(from: writer, directory: directory, location: location)
        let (configuration, identifier) = (manifest.configuration, manifest.embedder)
        let space = EmbeddingSpace(embedder: identifier, dimension: configuration.dimension, metric: configuration.metric)
        let resolved = try manifest.embedder(given: embedder, resolving: resolvingEmbedder, catalog: writer)
        tiers = TierSet(configuration: configuration, settings: manifest.settings, space: space, embedder: resolved, hot: try configuration.makeGraph())
        if !location.isShared {
            // In a shared folder, another replica's flush may be writing a file right now.
            try folder.removeOrphanSegments(listedIn: writer, logger: logger)
        }
        try reloadTiers()
    }

    /// Flushes the hot tier when it is large enough (see
    /// ``StoreConfiguration/flushOnCloseMinimum``), then closes the catalog. Calls after
    /// `close` fail; closing twice is harmless.
    public func close() throws(StoreError) {
        replica?.stop()
        try write { () throws(StoreError) in
            guard !isClosed else { return }
            if maintains && tiers.hot.count >= configuration.flushOnCloseMinimum {
                try flushLocked(rows: nil, reason: "close")
            }
            shutDown()
        }
    }

    /// Closes without flushing (after a re-embed, whose tiers are already on disk).
    func closeWithoutFlush() {
        replica?.stop()
        writeLock.run { shutDown() }
    }

    /// Marks the store closed and lets go of its connections and folder lock; under the
    /// write lock.
    private func shutDown() {
        tiers.close()
        writer.close()
        readLock.run { reader.close() }
        directoryLock?.release()
    }

    deinit {
        replica?.stop()
        if !tiers.isClosed {
            writer.close()
            reader.close()
        }
    }

    /// Runs `body` with the read connection, which sees every committed write.
    func read<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try EngineTrace.span("catalog.read") { (span) throws(StoreError) in
            span.set("db.system.name", reader.database.dialect.systemName)
            return try readLock.run { () throws(StoreError) in
                reader.database.releaseSnapshots()
                defer { reader.database.releaseSnapshots() }
                return try body()
            }
        }
    }

    /// Runs `body` as the one writer: of this process, and on a shared store, of every
    /// replica (a PostgreSQL advisory lock, as SQLite's write lock is for one file), so the
    /// reads a write decides on and its commit see no other replica's write in between, and
    /// the change feed's order is the commit order.
    func write<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try writeLocally { () throws(StoreError) in
            guard let replica, !isClosed else { return try body() }
            return try writer.database.withWriterLock(key: replica.writerKey, body)
        }
    }

    /// Runs `body` as this process's one writer, without the replicas' lock: applying the
    /// change feed, which only reads the catalog.
    func writeLocally<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try writeLock.run { () throws(StoreError) in
            // Before too: a statement left mid-result by a read holds an old snapshot, and a
            // write from it fails at once (SQLITE_BUSY_SNAPSHOT) once another connection, such
            // as the analytics tracker's, has committed.
            if !isClosed { writer.database.releaseSnapshots() }
            defer { if !isClosed { writer.database.releaseSnapshots() } }
            return try body()
        }
    }

    /// The store's embedding space.
    public var space: EmbeddingSpace { tiers.space }
    /// The payload field indexes: declared, listed, dropped.
    public var payloadFields: PayloadFieldIndexes { PayloadFieldIndexes(store: self) }
    /// Search by the patterns' named sparse vectors.
    public var sparseVectors: SparseVectorSearch { SparseVectorSearch(store: self) }
    var isClosed: Bool { tiers.isClosed }

    /// The embedder for texts, or an error naming the store's space when it has none.
    func requireEmbedder() throws(StoreError) -> any Embedder {
        guard let embedder = tiers.embedder else {
            throw .embedder(problem: "the store (\(space)) takes vectors only; pass a vector, or re-embed with a text embedder")
        }
        return embedder
    }

    /// The in-RAM filter columns, built from the catalog on first use.
    func payloadIndex() throws(StoreError) -> PayloadIndex {
        if let index = tiers.payload { return index }
        payloadBuild.lock()
        defer { payloadBuild.unlock() }
        if let index = tiers.payload { return index }
        // Built under the write lock, so no write commits between the scan and publication.
        return try write { () throws(StoreError) -> PayloadIndex in
            let index = PayloadIndex(fields: try PayloadFieldIndexes.declared(in: writer))
            try writer.scanPayloads(into: index)
            tiers.payload = index
            return index
        }
    }

    /// Forgets the payload index and the cached hits; the next searches rebuild them from
    /// the catalog.
    func dropPayloadIndex() {
        tiers.payload = nil
        hydrated.removeAll()
    }

    /// Re-reads `rows` into the payload index and the hot lexical index after a commit
    /// (deleted rows are dropped, rows that left the hot tier leave its lexical index).
    /// Called by every write, under the write lock.
    func refreshPayload(_ rows: [Int64]) throws(StoreError) {
        hydrated.invalidate(rows)
        try tiers.hotLexical.refresh(rows, from: writer)
        guard let index = tiers.payload, !rows.isEmpty else { return }
        let found = try writer.scanPayloads(of: rows, into: index)
        index.remove(rows.filter { !found.contains($0) })
    }

    func ensureOpen() throws(StoreError) {
        if isClosed { throw .closed(path: directory) }
    }

    /// Reads both tiers anew from the catalog: the cold segments it lists, the hot graph
    /// rebuilt from its hot vectors.
    func reloadTiers() throws(StoreError) {
        let loaded = try loadTiers(configuration)
        tiers.replace(hot: loaded.hot, hotLexical: loaded.hotLexical, cold: loaded.cold)
    }

    /// Both tiers as the catalog lists them, for a store of `configuration`.
    func loadTiers(_ configuration: StoreConfiguration) throws(StoreError) -> (hot: HNSWGraph, hotLexical: LexicalMemoryIndex, cold: [ColdSegment]) {
        let (rows, vectors) = try writer.hotVectors(dimension: configuration.dimension)
        return (
            try configuration.makeGraph(holding: vectors, ids: rows),
            try LexicalMemoryIndex(hotTiersOf: writer),
            try folder.coldSegments(listedIn: writer, dimension: configuration.dimension, logger: logger))
    }
}
