import Foundation
import Logging
import StrataIndex
import StrataKernels

/// The embedding space of a store: every vector in it comes from one embedder, has one
/// dimension and is compared by one metric.
public struct EmbeddingSpace: Sendable, Equatable, CustomStringConvertible {
    public var embedder: String
    public var dimension: Int
    public var metric: Metric

    public var description: String { "\(embedder), \(dimension) dimensions, \(metric.rawValue)" }
}

/// A code generator's memory: patterns with metadata, searched by text or vector under
/// filters, durable across crashes, tidy as it grows.
///
/// Layout of a store folder:
///
/// ```
/// <store>/
///   catalog.sqlite   source of truth: patterns, hot vectors, payload indexes, segments, manifest
///   segments/        cold tier: immutable segment files, memory-mapped
///   LOCK             held (flock) by the process that has the store open
/// ```
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
    public let configuration: StoreConfiguration
    /// What the manifest says about the embedder.
    public let embedderSettings: EmbedderSettings

    let writer: Catalog
    let reader: Catalog
    let writeLock = StoreLock()
    let readLock = StoreLock()
    let stateLock = NSLock()
    let logger: Logger
    private let directoryLock: StoreDirectoryLock

    // Guarded by stateLock.
    private var _space: EmbeddingSpace
    private var _embedder: (any Embedder)?
    private var _hot: HNSWGraph
    private var _cold: [ColdSegment]
    private var _payload: PayloadIndex?
    private let payloadBuild = NSLock()
    private var closed = false

    /// The format of the store folder this build writes.
    public static let formatVersion = 1

    static func catalogPath(_ directory: String) -> String { directory + "/catalog.sqlite" }
    static func segmentsPath(_ directory: String) -> String { directory + "/segments" }

    // MARK: create and open

    /// Creates an empty store in `directory` (made if missing; it must not hold a store).
    ///
    /// - Parameters:
    ///   - embedder: the embedder for texts; nil with ``EmbedderSettings/external(identifier:)``.
    ///   - settings: how to rebuild the embedder at every open.
    public static func create(
        at directory: String, configuration: StoreConfiguration = StoreConfiguration(),
        embedder: (any Embedder)?, settings: EmbedderSettings
    ) throws(StoreError) -> PatternStore {
        try configuration.validate()
        if let embedder, embedder.dimension != configuration.dimension {
            throw .invalidArgument(name: "dimension", value: "\(configuration.dimension)", expected: "the embedder's dimension \(embedder.dimension)")
        }
        let manager = FileManager.default
        if manager.fileExists(atPath: catalogPath(directory)) {
            throw .noStore(path: directory, problem: "already holds a store; open it, or pick an empty folder")
        }
        do {
            try manager.createDirectory(atPath: segmentsPath(directory), withIntermediateDirectories: true)
        } catch {
            throw .file(path: directory, problem: "cannot create the store folder: \(error.localizedDescription)")
        }
        let identifier: String
        switch settings {
        case let .external(name): identifier = name
        default:
            guard let embedder else { throw .invalidArgument(name: "embedder", value: "none", expected: "an embedder for \(settings)") }
            identifier = embedder.identifier
        }
        let lock = try StoreDirectoryLock(directory: directory, timeout: 10)
        let catalog = try Catalog(path: catalogPath(directory), create: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let configurationJSON = String(decoding: (try? encoder.encode(configuration)) ?? Data(), as: UTF8.self)
        let settingsJSON = String(decoding: (try? encoder.encode(settings)) ?? Data(), as: UTF8.self)
        try catalog.database.transaction { () throws(StoreError) in
            try catalog.setManifestValue("format_version", "\(formatVersion)")
            try catalog.setManifestValue("embedder", identifier)
            try catalog.setManifestValue("embedder_settings", settingsJSON)
            try catalog.setManifestValue("dimension", "\(configuration.dimension)")
            try catalog.setManifestValue("metric", configuration.metric.rawValue)
            try catalog.setManifestValue("configuration", configurationJSON)
            try catalog.setManifestValue("created_at", ISO8601DateFormatter().string(from: Date()))
        }
        catalog.close()
        return try PatternStore(directory: directory, lock: lock, embedder: embedder)
    }

    /// Opens the store in `directory`.
    ///
    /// Removes orphan segment files (written, never committed), maps every cold segment
    /// (header checks only: constant time per segment) and rebuilds the hot graph from the
    /// catalog.
    ///
    /// - Parameter embedder: overrides the embedder the manifest names (tests, custom
    ///   models); its identifier and dimension must match the store's space.
    public static func open(at directory: String, embedder: (any Embedder)? = nil, lockTimeout: Double = 10) throws(StoreError) -> PatternStore {
        try open(at: directory, embedder: embedder, lockTimeout: lockTimeout, resolvingEmbedder: true)
    }

    /// Opens without building the manifest's embedder when `resolvingEmbedder` is false
    /// (re-embedding replaces it, and the old one may be unreachable).
    static func open(at directory: String, embedder: (any Embedder)? = nil, lockTimeout: Double = 10, resolvingEmbedder: Bool) throws(StoreError) -> PatternStore {
        guard FileManager.default.fileExists(atPath: catalogPath(directory)) else {
            throw .noStore(path: directory, problem: "no store here (no catalog.sqlite); create one with `strata init --store \(directory)`")
        }
        let lock = try StoreDirectoryLock(directory: directory, timeout: lockTimeout)
        return try PatternStore(directory: directory, lock: lock, embedder: embedder, resolvingEmbedder: resolvingEmbedder)
    }

    private init(directory: String, lock: StoreDirectoryLock, embedder: (any Embedder)?, resolvingEmbedder: Bool = true) throws(StoreError) {
        self.directory = directory
        directoryLock = lock
        var logger = Logger(label: "strata.store")
        logger[metadataKey: "store"] = "\(directory)"
        self.logger = logger
        writer = try Catalog(path: Self.catalogPath(directory), create: false)
        reader = try Catalog(path: Self.catalogPath(directory), create: false)
        try reader.database.execute("PRAGMA query_only=1")

        guard let format = try writer.manifestValue("format_version"), let formatNumber = Int(format) else {
            throw .noStore(path: directory, problem: "the catalog has no manifest; it was not made by strata")
        }
        guard formatNumber <= Self.formatVersion else {
            throw .noStore(path: directory, problem: "store format \(formatNumber) is newer than this build reads (\(Self.formatVersion)); upgrade strata")
        }
        let decoder = JSONDecoder()
        guard let configurationText = try writer.manifestValue("configuration"),
              let configuration = try? decoder.decode(StoreConfiguration.self, from: Data(configurationText.utf8)),
              let settingsText = try writer.manifestValue("embedder_settings"),
              let settings = try? decoder.decode(EmbedderSettings.self, from: Data(settingsText.utf8)),
              let identifier = try writer.manifestValue("embedder")
        else {
            throw .noStore(path: directory, problem: "the manifest is incomplete or unreadable; restore the catalog from a backup")
        }
        self.configuration = configuration
        embedderSettings = settings
        _space = EmbeddingSpace(embedder: identifier, dimension: configuration.dimension, metric: configuration.metric)
        _hot = try Self.makeGraph(configuration)
        _cold = []

        let resolved: (any Embedder)?
        if let embedder {
            resolved = embedder
        } else if !resolvingEmbedder {
            resolved = nil
        } else {
            resolved = try Self.makeEmbedder(settings: settings, catalog: writer, dimension: configuration.dimension)
        }
        if let resolved {
            guard resolved.dimension == configuration.dimension else {
                throw .dimensionMismatch(space: _space.description, got: resolved.dimension)
            }
            if resolved.identifier != identifier {
                throw .invalidArgument(name: "embedder", value: resolved.identifier, expected: "the store's embedder \(identifier); switch with `strata reembed`")
            }
        }
        _embedder = resolved
        try removeOrphanSegments()
        _cold = try loadColdSegments()
        try reloadHotGraph()
    }

    /// Flushes the hot tier when it is large enough (see
    /// ``StoreConfiguration/flushOnCloseMinimum``), then closes the catalog. Calls after
    /// `close` fail; closing twice is harmless.
    public func close() throws(StoreError) {
        try write { () throws(StoreError) in
            guard !isClosed else { return }
            if hot.count >= configuration.flushOnCloseMinimum {
                try flushLocked(rows: nil, reason: "close")
            }
            stateLock.withLock { closed = true }
            writer.close()
            readLock.run { reader.close() }
            directoryLock.release()
        }
    }

    /// Closes without flushing (after a re-embed, whose tiers are already on disk).
    func closeWithoutFlush() {
        writeLock.run {
            stateLock.withLock { closed = true }
            writer.close()
            readLock.run { reader.close() }
            directoryLock.release()
        }
    }

    deinit {
        if !closed {
            writer.close()
            reader.close()
        }
    }

    // MARK: state

    /// Runs `body` with the read connection, which sees every committed write.
    func read<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try readLock.run { () throws(StoreError) in
            reader.database.resetActiveStatements()
            defer { reader.database.resetActiveStatements() }
            return try body()
        }
    }

    /// Runs `body` as the one writer.
    func write<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try writeLock.run { () throws(StoreError) in
            // Before too: a statement left mid-result by a read holds an old snapshot, and a
            // write from it fails at once (SQLITE_BUSY_SNAPSHOT) once another connection, such
            // as the analytics tracker's, has committed.
            if !isClosed { writer.database.resetActiveStatements() }
            defer { if !isClosed { writer.database.resetActiveStatements() } }
            return try body()
        }
    }

    /// The store's embedding space.
    public var space: EmbeddingSpace { stateLock.withLock { _space } }
    var hot: HNSWGraph { stateLock.withLock { _hot } }
    var cold: [ColdSegment] { stateLock.withLock { _cold } }
    var isClosed: Bool { stateLock.withLock { closed } }
    var snapshot: TierSnapshot { stateLock.withLock { TierSnapshot(hot: _hot, cold: _cold) } }

    /// The embedder for texts, or an error naming the store's space when it has none.
    func requireEmbedder() throws(StoreError) -> any Embedder {
        guard let embedder = stateLock.withLock({ _embedder }) else {
            throw .embedder(problem: "the store (\(space)) takes vectors only; pass a vector, or re-embed with a text embedder")
        }
        return embedder
    }

    func replaceEmbedder(_ embedder: any Embedder) {
        stateLock.withLock {
            _embedder = embedder
            _space.embedder = embedder.identifier
        }
    }

    func replaceTiers(hot: HNSWGraph? = nil, cold: [ColdSegment]? = nil) {
        stateLock.withLock {
            if let hot { _hot = hot }
            if let cold { _cold = cold }
        }
    }

    /// The in-RAM filter columns, built from the catalog on first use.
    func payloadIndex() throws(StoreError) -> PayloadIndex {
        if let index = stateLock.withLock({ _payload }) { return index }
        payloadBuild.lock()
        defer { payloadBuild.unlock() }
        if let index = stateLock.withLock({ _payload }) { return index }
        // Built under the write lock, so no write commits between the scan and publication.
        return try write { () throws(StoreError) -> PayloadIndex in
            let index = PayloadIndex()
            try index.update(writer.database.statement("SELECT \(PayloadIndex.columns) FROM patterns"))
            stateLock.withLock { _payload = index }
            return index
        }
    }

    /// Re-reads `rows` into the payload index after a commit (deleted rows are dropped).
    /// Called by every write, under the write lock.
    func refreshPayload(_ rows: [Int64]) throws(StoreError) {
        guard let index = stateLock.withLock({ _payload }), !rows.isEmpty else { return }
        let width = 64
        var found = Set<Int64>()
        for start in stride(from: 0, to: rows.count, by: width) {
            let chunk = rows[start..<min(start + width, rows.count)]
            let statement = try writer.database.statement("SELECT \(PayloadIndex.columns) FROM patterns WHERE row IN (\(Array(repeating: "?", count: width).joined(separator: ",")))")
            for (offset, row) in chunk.enumerated() { statement.bind(Int32(offset + 1), row) }
            for offset in chunk.count..<width { statement.bind(Int32(offset + 1), Int64(-1)) }
            found.formUnion(try index.update(statement))
        }
        index.remove(rows.filter { !found.contains($0) })
    }

    func ensureOpen() throws(StoreError) {
        if isClosed { throw .invalidArgument(name: "store", value: "closed", expected: "an open store; open it again") }
    }

    static func makeGraph(_ configuration: StoreConfiguration) throws(StoreError) -> HNSWGraph {
        do {
            return try HNSWGraph(configuration: HNSWConfiguration(
                dimension: configuration.dimension, metric: configuration.metric, m: configuration.m,
                efConstruction: configuration.efConstruction, efSearch: configuration.efSearch, reuseDeletedSlots: true,
                // int8 codes serve cosine and inner product; an l2 store reads float32.
                quantization: configuration.metric == .l2 ? .none : configuration.quantization))
        } catch {
            throw .index(error)
        }
    }

    // MARK: open-time recovery

    /// Deletes segment files the catalog does not reference: a flush or compaction that
    /// died after writing its file and before its transaction committed.
    private func removeOrphanSegments() throws(StoreError) {
        let referenced = Set(try writer.segments().map(\.file))
        let folder = Self.segmentsPath(directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var removed: [String] = []
        for name in names where !referenced.contains(name) {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
            removed.append(name)
        }
        if !removed.isEmpty {
            logger.notice("removed orphan segment files", metadata: ["files": "\(removed.sorted())"])
            try writer.log("orphans", "removed \(removed.count) uncommitted segment file(s): \(removed.sorted().joined(separator: ", "))")
        }
    }

    private func loadColdSegments() throws(StoreError) -> [ColdSegment] {
        var segments: [ColdSegment] = []
        for record in try writer.segments() {
            let path = Self.segmentsPath(directory) + "/" + record.file
            let segment: Segment
            do {
                segment = try Segment(path: path)
            } catch {
                throw .index(error)
            }
            guard segment.dimension == configuration.dimension, segment.slotCount == record.slots else {
                throw .file(path: path, problem: "segment holds \(segment.slotCount) slots of dimension \(segment.dimension); the catalog expects \(record.slots) of dimension \(configuration.dimension). Run `strata verify`")
            }
            segments.append(ColdSegment(record: record, segment: segment, dead: Set(try writer.tombstones(segment: record.id))))
        }
        return segments
    }

    private func reloadHotGraph() throws(StoreError) {
        let (rows, vectors) = try writer.hotVectors(dimension: configuration.dimension)
        let graph = try Self.makeGraph(configuration)
        if !rows.isEmpty {
            do {
                try graph.insert(contentsOf: vectors, ids: rows, threads: configuration.threads)
            } catch {
                throw .index(error)
            }
        }
        replaceTiers(hot: graph)
    }

    /// Opens a segment this process just wrote.
    func openSegment(file: String) throws(StoreError) -> Segment {
        do {
            return try Segment(path: Self.segmentsPath(directory) + "/" + file)
        } catch {
            throw .index(error)
        }
    }
}
