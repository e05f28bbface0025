import Foundation
import StrataCatalog
import Synchronization

/// The tenants of a store and their API keys.
///
/// A tenant (a team) owns a store of its own: its patterns, collections, generations,
/// budgets and cluster runs live in its own catalog (a SQLite file in its folder under
/// `<store>/tenants/`, or a schema of the shared PostgreSQL database), named in the holding
/// store's `tenants` table. Isolation is thus the catalog's: no query run on one tenant's
/// catalog can reach another's rows, however it is written. The holding store itself is the
/// tenant ``defaultTenant``, so a store made before tenants existed is that tenant's, as it
/// was, with nothing to move.
///
/// A tenant's store shares the holding store's embedding space and embedder (one model in
/// memory, whatever the number of tenants).
///
/// Keys are kept as their SHA-256 (``TenantKeyFormat``); a valid key is remembered for
/// ``recheckInterval``, so a revocation through another replica holds within that time (at
/// once on the replica that revoked).
public final class TenantDirectory: Sendable {
    /// The tenant that is the holding store itself.
    public static let defaultTenant = "default"
    /// How long a checked key, and whether the store has keys, are trusted before asking the
    /// catalog again.
    public static let recheckInterval: Duration = .seconds(1)

    /// The holding store: the default tenant's.
    public let root: PatternStore
    /// The other tenants' stores.
    let stores: StoreCollections
    /// The keys table, through a connection of its own.
    let keyTable: KeyTable
    /// What was learnt of the keys lately: valid keys by digest, and whether there are keys.
    let keys = Mutex(KeyCache())

    struct KeyCache: ~Copyable {
        var checked: [String: (principal: TenantPrincipal, at: ContinuousClock.Instant)] = [:]
        var hasKeys: (value: Bool, at: ContinuousClock.Instant)?
    }

    /// A catalog connection used by one call at a time.
    final class KeyTable: @unchecked Sendable {
        private let database: any CatalogDatabase
        private let lock = NSLock()
        private var closed = false
        private let path: String

        init(_ database: any CatalogDatabase, path: String) {
            self.database = database
            self.path = path
        }

        func run<T>(_ body: (any CatalogDatabase) throws(CatalogError) -> T) throws(StoreError) -> T {
            lock.lock()
            defer { lock.unlock() }
            if closed { throw .closed(path: path) }
            return try inCatalog { () throws(CatalogError) -> T in try body(database) }
        }

        func close() {
            lock.lock()
            defer { lock.unlock() }
            guard !closed else { return }
            closed = true
            database.close()
        }
    }

    /// The tenants of `store`, migrating its catalog to hold them.
    ///
    /// - Throws: ``StoreError/catalog(_:)`` when the catalog cannot be reached or migrated.
    public init(store: PatternStore) throws(StoreError) {
        root = store
        stores = try StoreCollections(store: store, kind: .tenants, embedder: store.tiers.embedder)
        do {
            let database = try inCatalog { () throws(CatalogError) in try store.catalogLocation.connect(create: false) }
            keyTable = KeyTable(database, path: store.directory)
        } catch {
            stores.closeAll()
            throw error
        }
    }

    deinit { closeAll() }

    /// Closes every tenant store this directory opened (not the holding store) and the key
    /// connection.
    public func closeAll() {
        stores.closeAll()
        keyTable.close()
    }

    /// A tenant name: 1 to 63 lowercase ASCII letters, digits, `-` and `_`, starting with a
    /// letter or digit.
    ///
    /// - Throws: ``StoreError/invalidArgument(name:value:expected:)`` otherwise.
    public static func validate(name: String) throws(StoreError) {
        let scalars = Array(name.unicodeScalars)
        func plain(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) }
        guard (1...63).contains(scalars.count), plain(scalars[0]), scalars.allSatisfy({ plain($0) || $0 == "-" || $0 == "_" }) else {
            throw .invalidArgument(name: "tenant", value: String(name.prefix(80)), expected: "1 to 63 lowercase letters, digits, - or _, starting with a letter or digit")
        }
    }

    /// Every tenant's name, the default first, then sorted.
    public func names() throws(StoreError) -> [String] {
        [Self.defaultTenant] + (try stores.names())
    }

    /// Whether the tenant `name` exists.
    public func contains(_ name: String) throws(StoreError) -> Bool {
        if name == Self.defaultTenant { return true }
        return try stores.contains(named: name)
    }

    /// The open store of the tenant `name`, nil when there is no such tenant. The first call
    /// opens it; a shared store's then follows the other replicas' writes.
    public func store(of name: String) throws(StoreError) -> PatternStore? {
        name == Self.defaultTenant ? root : try stores.store(named: name)
    }

    /// Makes the tenant `name`, with an empty store in the holding store's space.
    ///
    /// - Throws: ``StoreError/invalidArgument(name:value:expected:)`` for a name that is not
    ///   valid or is taken (also by another replica meanwhile). Nothing is left behind.
    @discardableResult
    public func create(_ name: String) throws(StoreError) -> PatternStore {
        try Self.validate(name: name)
        guard name != Self.defaultTenant else { throw Self.taken(name) }
        do {
            return try stores.create(named: name, configuration: root.configuration, embedder: root.tiers.embedder, settings: root.embedderSettings)
        } catch .collectionExists {
            throw Self.taken(name)
        }
    }

    static func taken(_ name: String) -> StoreError {
        .invalidArgument(name: "tenant", value: name, expected: "a name no tenant has (`strata tenant list` shows them)")
    }
}
