import Foundation
import Logging
import StrataCatalog
import Synchronization

/// The stores a store holds by name, each with an embedding space of its own: the
/// collections of the Qdrant-compatible API.
///
/// The names are rows of the holding store's catalog (its `collections` table) and each
/// collection's catalog sits beside them: for an embedded store a SQLite file in the
/// collection's folder, for a shared one a schema of the same PostgreSQL database. So on a
/// shared store a collection made through one replica is listed, searched and written through
/// every other, and each replica follows the others' writes to it as it does the store's.
///
/// ```
/// <store>/collections/
///   .store-<token>/   a collection's folder: its catalog (file or URL) and its segments
///   <name>/           a collection made before the catalog listed them, adopted at open
/// ```
///
/// A replica trusts a collection it has open for ``recheckInterval`` before asking the
/// catalog again whether it still exists, so a deletion through another replica shows within
/// that time (an embedded store has no other writer and never asks).
public final class StoreCollections: Sendable {
    /// How long a replica serves an open collection before checking that another replica has
    /// not deleted or replaced it.
    public static let recheckInterval: Duration = .seconds(1)
    /// A collection folder no row names that is older than this (seconds) is what a crash
    /// between making a collection and naming it left behind.
    static let orphanAge: TimeInterval = 600
    /// The folder holding every collection's folder: `<store>/collections`.
    public let directory: String
    /// The holding store's catalog, from which the collections' catalogs are derived.
    let location: CatalogLocation
    let logger: Logger
    let state: Mutex<State>
    /// Collections, or tenants' stores.
    let kind: NamedStoreKind
    /// What a member embeds texts with when opened: the holding store's for a tenant, none
    /// for a collection (its vectors come from the caller).
    let embedder: (any Embedder)?

    struct OpenCollection {
        let folder: String
        let store: PatternStore
        var checked: ContinuousClock.Instant
    }

    struct State: ~Copyable {
        let registry: CollectionRegistry
        var open: [String: OpenCollection] = [:]
        var closed = false
        /// The connection hearing other replicas' deletions (a shared store only).
        var listener: (any CatalogDatabase)?
    }

    /// The collections of `store`: adopts collection folders made before the catalog listed
    /// them (moving their catalogs into the shared database when the store is shared), and
    /// removes what a crash left of a creation or a deletion.
    ///
    /// - Throws: ``StoreError/catalog(_:)`` when the catalog cannot be reached or migrated;
    ///   whatever moving an adopted collection's catalog fails with.
    public convenience init(store: PatternStore) throws(StoreError) {
        try self.init(store: store, kind: .collections, embedder: nil)
    }

    /// The members of `kind` of `store`, opened with `embedder`.
    init(store: PatternStore, kind: NamedStoreKind, embedder: (any Embedder)?) throws(StoreError) {
        directory = store.directory + "/" + kind.folder
        location = store.catalogLocation
        logger = store.logger
        self.kind = kind
        self.embedder = embedder
        let registry = try CollectionRegistry(location: location, lockKey: store.catalogLocation.lockKey(kind.folder), kind: kind)
        do {
            let registered = try Self.adoptFolders(in: directory, location: location, registry: registry, logger: logger)
            Self.sweep(directory, registered: registered, location: location, schemaPrefix: kind.schemaPrefix)
        } catch {
            registry.close()
            throw error
        }
        state = Mutex(State(registry: registry))
        if location.isShared {
            // Without a listener a deletion still shows, at the next request past the recheck.
            state.withLock { [location] state in
                state.listener = try? location.listen(to: kind.channel) { [weak self] in self?.closeDeleted() }
            }
        }
    }

    deinit { closeAll() }

    func path(_ folder: String) -> String { directory + "/" + folder }

    /// Where a collection's catalog is.
    func catalog(of record: CollectionRecord) throws(StoreError) -> CatalogLocation {
        guard let schema = record.catalogSchema else { return .sqlite(path: path(record.folder) + "/catalog.sqlite") }
        return try inCatalog { () throws(CatalogError) in try location.inSchema(schema) }
    }

    /// Whether a collection named `name` exists (without opening it).
    public func contains(named name: String) throws(StoreError) -> Bool {
        try state.withLock { (state) throws(StoreError) -> Bool in
            try Self.checkOpen(state, directory)
            return try state.registry.record(named: name) != nil
        }
    }

    /// Every collection's name, sorted.
    public func names() throws(StoreError) -> [String] {
        try state.withLock { (state) throws(StoreError) -> [String] in
            try Self.checkOpen(state, directory)
            return try state.registry.all().map(\.name)
        }
    }

    /// The open store of the collection `name`, nil when there is none. The first call opens
    /// it (mapping its segments, rebuilding its hot tier); a shared store's collection then
    /// follows the other replicas' writes.
    public func store(named name: String) throws(StoreError) -> PatternStore? {
        try state.withLock { (state) throws(StoreError) -> PatternStore? in
            try Self.checkOpen(state, directory)
            let now = ContinuousClock.now
            if let open = state.open[name], !location.isShared || now - open.checked < Self.recheckInterval {
                return open.store
            }
            let record = try state.registry.record(named: name)
            if let open = state.open[name] {
                if record?.folder == open.folder {
                    state.open[name]?.checked = now
                    return open.store
                }
                // Deleted, or deleted and made again, through another replica.
                state.open[name] = nil
                open.store.closeWithoutFlush()
            }
            guard let record else { return nil }
            let store = try PatternStore.open(at: path(record.folder), catalog: try catalog(of: record), embedder: embedder, follow: true)
            state.open[name] = OpenCollection(folder: record.folder, store: store, checked: now)
            return store
        }
    }

    /// Makes the collection `name`, empty, with `configuration`'s dimension and metric; its
    /// vectors come from the caller (no embedder).
    ///
    /// - Throws: ``StoreError/collectionExists(name:)`` when the name is taken (also when
    ///   another replica took it meanwhile); ``StoreError/invalidArgument(name:value:expected:)``
    ///   for a configuration out of range. Nothing is left behind by a failure.
    @discardableResult
    public func create(named name: String, configuration: StoreConfiguration) throws(StoreError) -> PatternStore {
        try create(named: name, configuration: configuration, embedder: nil, settings: .external(identifier: "collection " + name))
    }

    /// Makes the member `name`, empty, embedding texts with `embedder` as `settings` say.
    func create(named name: String, configuration: StoreConfiguration, embedder: (any Embedder)?, settings: EmbedderSettings) throws(StoreError) -> PatternStore {
        guard !name.isEmpty else { throw .invalidArgument(name: "collection name", value: "", expected: "a name of at least one character") }
        return try state.withLock { (state) throws(StoreError) -> PatternStore in
            try Self.checkOpen(state, directory)
            guard try state.registry.record(named: name) == nil else { throw .collectionExists(name: name) }
            let token = Self.newToken()
            let record = CollectionRecord(name: name, folder: ".store-" + token, catalogSchema: location.isShared ? kind.schemaPrefix + token : nil)
            let catalog = try catalog(of: record)
            let store: PatternStore
            do throws(StoreError) {
                store = try PatternStore.create(
                    at: path(record.folder), catalog: catalog, configuration: configuration,
                    embedder: embedder, settings: settings)
            } catch {
                Self.discard(path(record.folder), catalog: catalog)
                throw error
            }
            try install(record, store: store, catalog: catalog, into: &state) { registry throws(StoreError) in
                guard try registry.exclusively({ () throws(StoreError) -> Bool in try registry.insert(record) }) else {
                    throw StoreError.collectionExists(name: name)
                }
            }
            return store
        }
    }

    /// Names `record` in the registry (by `register`) and keeps `store` open as its
    /// collection; when `register` fails, the new store is closed and its folder removed.
    func install(
        _ record: CollectionRecord, store: PatternStore, catalog: CatalogLocation?, into state: inout State,
        register: (CollectionRegistry) throws(StoreError) -> Void
    ) throws(StoreError) {
        do throws(StoreError) {
            try register(state.registry)
        } catch {
            store.closeWithoutFlush()
            Self.discard(path(record.folder), catalog: catalog)
            throw error
        }
        store.startFollowing()
        state.open[record.name] = OpenCollection(folder: record.folder, store: store, checked: .now)
    }

    /// Deletes the collection `name` with everything in it; false when there was none.
    /// Replicas that have it open see it gone within ``recheckInterval``.
    public func delete(named name: String) throws(StoreError) -> Bool {
        try state.withLock { (state) throws(StoreError) -> Bool in
            try Self.checkOpen(state, directory)
            let removed = try state.registry.remove(named: name)
            if let open = state.open.removeValue(forKey: name) { open.store.closeWithoutFlush() }
            guard let removed else { return false }
            Self.discard(path(removed.folder), catalog: try? catalog(of: removed))
            return true
        }
    }

    /// Closes every open collection (a graceful shutdown) and the catalog connection. Closing
    /// flushes a hot tier large enough to be worth a segment; a smaller one is rebuilt from
    /// the catalog at the next open.
    public func closeAll() {
        let (open, listener) = state.withLock { (state) -> ([PatternStore], (any CatalogDatabase)?) in
            guard !state.closed else { return ([], nil) }
            state.closed = true
            state.registry.close()
            defer {
                state.open.removeAll()
                state.listener = nil
            }
            return (state.open.values.map(\.store), state.listener)
        }
        // Outside the lock: the listener's thread may be waiting for it.
        listener?.close()
        for store in open { try? store.close() }
    }

    /// Closes the open collections another replica deleted (or deleted and made again).
    func closeDeleted() {
        let gone = state.withLock { (state) -> [PatternStore] in
            // A failing catalog proves nothing: the next request past the recheck asks again.
            guard !state.closed, !state.open.isEmpty, let records = try? state.registry.all() else { return [] }
            let folders = Dictionary(uniqueKeysWithValues: records.map { ($0.name, $0.folder) })
            let deleted = state.open.filter { folders[$0.key] != $0.value.folder }
            for name in deleted.keys { state.open[name] = nil }
            return deleted.values.map(\.store)
        }
        for store in gone { store.closeWithoutFlush() }
    }

    static func checkOpen(_ state: borrowing State, _ directory: String) throws(StoreError) {
        if state.closed { throw .closed(path: directory) }
    }

    static func newToken() -> String {
        (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
