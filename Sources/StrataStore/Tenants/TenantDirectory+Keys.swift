import Foundation
import StrataCatalog

/// What a presented key turned out to be.
public enum KeyCheck: Sendable, Equatable {
    /// A key that opens requests, as whom.
    case valid(TenantPrincipal)
    /// No key of this store (or not a key at all).
    case unknown
    /// A key revoked at this instant.
    case revoked(Date)
    /// A key that expired at this instant.
    case expired(Date)
}

extension TenantDirectory {
    /// Issues a key for `tenant` with `role`, valid until `expiresAt` (nil: until revoked).
    /// The key is in the answer and nowhere else: the catalog keeps its SHA-256.
    ///
    /// - Throws: ``StoreError/invalidArgument(name:value:expected:)`` for a tenant that does
    ///   not exist or an expiry not in the future.
    public func issueKey(for tenant: String, role: TenantRole, expiresAt: Date? = nil, now: Date = Date()) throws(StoreError) -> IssuedKey {
        guard try contains(tenant) else { throw Self.unknown(tenant) }
        if let expiresAt, expiresAt <= now {
            throw .invalidArgument(name: "expiry", value: "\(expiresAt)", expected: "an instant after now")
        }
        let (id, key) = TenantKeyFormat.make()
        let record = TenantKey(id: id, tenant: tenant, role: role, createdAt: now, expiresAt: expiresAt, revokedAt: nil)
        try withKeys { (database) throws(CatalogError) in
            try database.transaction { () throws(CatalogError) in
                let insert = try database.statement("INSERT INTO tenant_keys(tenant, id, role, hash, created_at, expires_at) VALUES(?, ?, ?, ?, ?, ?)")
                insert.bind(1, tenant)
                insert.bind(2, id)
                insert.bind(3, role.rawValue)
                insert.bind(4, TenantKeyFormat.digest(key))
                insert.bind(5, now.timeIntervalSince1970)
                insert.bind(6, expiresAt?.timeIntervalSince1970)
                try insert.run()
                try AuditTrail.append([AuditEvent(action: "key.issue", subject: "\(id) of tenant \(tenant), \(role.rawValue)", after: record.digest)], in: database)
            }
        }
        keys.withLock { $0.hasKeys = (true, .now) }
        return IssuedKey(key: key, record: record)
    }

    /// The keys of `tenant` (nil: of every tenant), oldest first; revoked and expired ones
    /// included, so a list shows what was issued.
    public func keys(of tenant: String? = nil) throws(StoreError) -> [TenantKey] {
        if let tenant, !(try contains(tenant)) { throw Self.unknown(tenant) }
        return try withKeys { (database) throws(CatalogError) -> [TenantKey] in
            let columns = "SELECT tenant, id, role, created_at, expires_at, revoked_at FROM tenant_keys"
            let statement = try database.statement(columns + (tenant == nil ? "" : " WHERE tenant = ?") + " ORDER BY created_at, id")
            if let tenant { statement.bind(1, tenant) }
            return try statement.rows { row in
                TenantKey(
                    id: row.string(1), tenant: row.string(0), role: TenantRole(rawValue: row.string(2)) ?? .read,
                    createdAt: Date(timeIntervalSince1970: row.double(3)),
                    expiresAt: row.optionalDouble(4).map(Date.init(timeIntervalSince1970:)),
                    revokedAt: row.optionalDouble(5).map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    /// Revokes the key `id`: refused from now on, here at once, on other replicas within
    /// ``recheckInterval``. Gives the key as it is now; nil when there is no such key.
    @discardableResult
    public func revoke(keyID id: String, now: Date = Date()) throws(StoreError) -> TenantKey? {
        guard let before = try keys().first(where: { $0.id == id }) else { return nil }
        guard before.revokedAt == nil else { return before }
        var after = before
        after.revokedAt = now
        try withKeys { (database) throws(CatalogError) in
            try database.transaction { () throws(CatalogError) in
                try database.statement("UPDATE tenant_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                    .bind(1, now.timeIntervalSince1970).bind(2, id).run()
                try AuditTrail.append([AuditEvent(action: "key.revoke", subject: "\(id) of tenant \(before.tenant)", before: before.digest, after: after.digest)], in: database)
            }
        }
        keys.withLock { state in state.checked = state.checked.filter { $0.value.principal.keyID != id } }
        return after
    }

    /// Whether any key was ever issued: a store with keys refuses requests that carry none.
    public func requiresKeys() throws(StoreError) -> Bool {
        if let known = keys.withLock({ $0.hasKeys }), known.value || ContinuousClock.now - known.at < Self.recheckInterval {
            return known.value  // keys are never deleted, only revoked: once true, always
        }
        let found = try withKeys { (database) throws(CatalogError) -> Bool in
            try database.statement("SELECT count(*) FROM tenant_keys").rows { $0.int(0) }.first ?? 0 > 0
        }
        keys.withLock { $0.hasKeys = (found, .now) }
        return found
    }

    /// Who `presented` opens requests as, checked against the stored digest in constant time.
    public func check(_ presented: String, now: Date = Date()) throws(StoreError) -> KeyCheck {
        guard let id = TenantKeyFormat.id(of: presented) else { return .unknown }
        let digest = TenantKeyFormat.digest(presented)
        if let known = keys.withLock({ $0.checked[digest] }), ContinuousClock.now - known.at < Self.recheckInterval {
            return .valid(known.principal)
        }
        let (check, expiresAt) = try withKeys { (database) throws(CatalogError) in try Self.check(presented, id: id, digest: digest, in: database, now: now) }
        // A key expiring within the recheck interval is not remembered, so it never outlives its expiry.
        if case let .valid(principal) = check, expiresAt.map({ $0.timeIntervalSince(now) > 2 }) ?? true {
            keys.withLock { $0.checked[digest] = (principal, .now) }
        }
        return check
    }

    /// Who `presented` opens requests as in the store in `directory` (its catalog, or
    /// `catalog`), read without opening the store: the command line's `--key`.
    public static func check(_ presented: String, inStore directory: String, catalog: CatalogLocation? = nil, now: Date = Date()) throws(StoreError) -> KeyCheck {
        guard let id = TenantKeyFormat.id(of: presented) else { return .unknown }
        return try withRootCatalog(of: directory, catalog) { (database) throws(CatalogError) -> KeyCheck in
            guard try database.tableNames().contains("tenant_keys") else { return .unknown }
            return try check(presented, id: id, digest: TenantKeyFormat.digest(presented), in: database, now: now).check
        }
    }

    private static func check(_ presented: String, id: String, digest: String, in database: any CatalogDatabase, now: Date) throws(CatalogError) -> (check: KeyCheck, expiresAt: Date?) {
        let found = try database.statement("SELECT tenant, role, hash, expires_at, revoked_at FROM tenant_keys WHERE id = ?").bind(1, id).rows { row in
            (tenant: row.string(0), role: TenantRole(rawValue: row.string(1)) ?? .read, hash: row.string(2),
             expiresAt: row.optionalDouble(3).map(Date.init(timeIntervalSince1970:)),
             revokedAt: row.optionalDouble(4).map(Date.init(timeIntervalSince1970:)))
        }.first
        guard let found, TenantKeyFormat.same(found.hash, digest) else { return (.unknown, nil) }
        if let revoked = found.revokedAt { return (.revoked(revoked), found.expiresAt) }
        if let expires = found.expiresAt, now >= expires { return (.expired(expires), expires) }
        return (.valid(TenantPrincipal(tenant: found.tenant, role: found.role, keyID: id)), found.expiresAt)
    }

    /// The folder and catalog of the tenant `name` of the store in `directory` (its catalog,
    /// or `catalog`), read without opening the store: the command line's `--tenant`. The
    /// default tenant's are the store's own.
    ///
    /// - Throws: ``StoreError/invalidArgument(name:value:expected:)`` for a tenant the store
    ///   does not have.
    public static func locate(_ name: String, inStore directory: String, catalog: CatalogLocation? = nil) throws(StoreError) -> (folder: String, catalog: CatalogLocation?) {
        guard name != defaultTenant else { return (directory, catalog) }
        let record = try withRootCatalog(of: directory, catalog) { (database) throws(CatalogError) -> (folder: String, schema: String?)? in
            guard try database.tableNames().contains(NamedStoreKind.tenants.table) else { return nil }
            return try database.statement("SELECT folder, catalog_schema FROM tenants WHERE name = ?").bind(1, name)
                .rows { (folder: $0.string(0), schema: $0.optionalString(1)) }.first
        }
        guard let record else { throw unknown(name) }
        let folder = directory + "/" + NamedStoreKind.tenants.folder + "/" + record.folder
        guard let schema = record.schema else { return (folder, nil) }
        let root = try PatternStore.resolveCatalog(of: directory, catalog: catalog)
        return (folder, try inCatalog { () throws(CatalogError) in try root.inSchema(schema) })
    }

    private static func withRootCatalog<T>(of directory: String, _ catalog: CatalogLocation?, _ body: (any CatalogDatabase) throws(CatalogError) -> T) throws(StoreError) -> T {
        let location = try PatternStore.resolveCatalog(of: directory, catalog: catalog)
        return try inCatalog { () throws(CatalogError) -> T in
            let database = try location.connect(create: false)
            defer { database.close() }
            return try body(database)
        }
    }

    private func withKeys<T>(_ body: (any CatalogDatabase) throws(CatalogError) -> T) throws(StoreError) -> T {
        try keyTable.run(body)
    }

    static func unknown(_ tenant: String) -> StoreError {
        .invalidArgument(name: "tenant", value: tenant, expected: "a tenant of this store (`strata tenant list` shows them)")
    }
}
