import Foundation
import StrataCatalog
import StrataStore
import StrataTestSupport
import Testing

/// A store's tenants: each a store of its own in its own catalog, the holding store the
/// default tenant; keys kept hashed, checked, revoked and expired; on either backend.
@Suite struct TenantDirectoryTests {
    static func textStore(_ directory: String, backend: CatalogBackend) throws -> PatternStore {
        var configuration = StoreConfiguration()
        configuration.dimension = 64
        return try PatternStore.create(at: directory, catalog: try backend.storeCatalog(), configuration: configuration, embedder: CodeEmbedder(dimension: 64), settings: .builtin)
    }

    @Test(arguments: CatalogBackend.available)
    func aStoreMadeBeforeTenantsIsTheDefaultTenantAndTenantsKeepToThemselves(backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let store = try Self.textStore(directory, backend: backend)
        try store.add(NewPattern(id: "shared-id", text: "def load_invoices(path):\n    return read_csv(path)\n"))
        let tenants = try TenantDirectory(store: store)
        #expect(try tenants.names() == ["default"])
        #expect(try tenants.store(of: "default") === store)
        let alpha = try tenants.create("alpha"), beta = try tenants.create("beta")
        // The same id and text in two tenants: no conflict, no dedup across them.
        try alpha.add(NewPattern(id: "shared-id", text: "class AlphaLedger:\n    def post(self, entry):\n        self.rows.append(entry)\n"))
        try beta.add(NewPattern(id: "shared-id", text: "def load_invoices(path):\n    return read_csv(path)\n"))
        #expect(try beta.add(NewPattern(id: "beta-2", text: "def load_invoices(path):\n    return read_csv(path)\n")).action == .mergedExact)
        #expect(try store.pattern(id: "shared-id").text.contains("load_invoices"))
        #expect(try alpha.pattern(id: "shared-id").text.contains("AlphaLedger"))
        let hits = try beta.search(text: "ledger post entry rows", k: 10).hits.map(\.pattern.text)
        #expect(hits.allSatisfy { !$0.contains("AlphaLedger") } && hits.count == 1)
        #expect(try alpha.space == store.space)
        #expect(try tenants.names() == ["default", "alpha", "beta"])
        #expect(throws: StoreError.self) { try tenants.create("alpha") }
        #expect(throws: StoreError.self) { try tenants.create("default") }
        for bad in ["", "Alpha", "-x", "a b", "a/b", String(repeating: "x", count: 64)] {
            #expect(throws: StoreError.self, "\(bad)") { try tenants.create(bad) }
        }
        tenants.closeAll()
        try store.close()

        // Reopened: the tenants and their patterns are there.
        let reopened = try PatternStore.open(at: directory)
        let again = try TenantDirectory(store: reopened)
        #expect(try again.names() == ["default", "alpha", "beta"])
        #expect(try again.store(of: "alpha")?.pattern(id: "shared-id").text.contains("AlphaLedger") == true)
        #expect(try again.store(of: "gamma") == nil)
        let (folder, catalog) = try TenantDirectory.locate("alpha", inStore: directory)
        #expect(folder.hasPrefix(directory + "/tenants/.store-") && (catalog == nil) == (backend == .sqlite))
        #expect(throws: StoreError.self) { try TenantDirectory.locate("gamma", inStore: directory) }
        again.closeAll()
        try reopened.close()
    }

    @Test(arguments: CatalogBackend.available)
    func keysAreKeptHashedCheckedRevokedAndExpired(backend: CatalogBackend) throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let store = try Self.textStore(directory, backend: backend)
        let tenants = try TenantDirectory(store: store)
        defer { tenants.closeAll(); try? store.close() }
        #expect(try !tenants.requiresKeys())
        try tenants.create("alpha")
        let now = Date()
        let write = try tenants.issueKey(for: "alpha", role: .write)
        let admin = try tenants.issueKey(for: "default", role: .admin)
        let brief = try tenants.issueKey(for: "alpha", role: .read, expiresAt: now.addingTimeInterval(60), now: now)
        #expect(try tenants.requiresKeys())
        #expect(throws: StoreError.self) { try tenants.issueKey(for: "nobody", role: .read) }
        #expect(throws: StoreError.self) { try tenants.issueKey(for: "alpha", role: .read, expiresAt: now.addingTimeInterval(-1)) }
        #expect(try tenants.check(write.key) == .valid(TenantPrincipal(tenant: "alpha", role: .write, keyID: write.record.id)))
        #expect(try tenants.check(admin.key) == .valid(TenantPrincipal(tenant: "default", role: .admin, keyID: admin.record.id)))
        #expect(try TenantDirectory.check(write.key, inStore: directory, catalog: store.catalogLocation.isShared ? store.catalogLocation : nil) == .valid(TenantPrincipal(tenant: "alpha", role: .write, keyID: write.record.id)))
        // One character changed, the id kept: unknown.
        var forged = Array(write.key)
        forged[forged.count - 1] = forged.last == "A" ? "B" : "A"
        #expect(try tenants.check(String(forged)) == .unknown)
        #expect(try tenants.check("not a key") == .unknown)
        guard case let .expired(at) = try tenants.check(brief.key, now: now.addingTimeInterval(61)) else {
            Issue.record("a key past its expiry still opens requests")
            return
        }
        #expect(abs(at.timeIntervalSince(brief.record.expiresAt!)) < 0.001)
        #expect(try tenants.check(brief.key, now: now.addingTimeInterval(59)) != .unknown)
        #expect(Set(try tenants.keys(of: "alpha").map(\.id)) == [write.record.id, brief.record.id])
        #expect(try tenants.keys().count == 3)
        let revoked = try tenants.revoke(keyID: write.record.id, now: now)
        #expect(revoked?.revokedAt != nil && revoked?.state(at: now) == "revoked")
        if case .revoked = try tenants.check(write.key) {} else { Issue.record("a revoked key still opens requests") }
        #expect(try tenants.revoke(keyID: "000000000000") == nil)
        // Nothing of a key but its digest is on disk.
        if backend == .sqlite {
            for file in ["catalog.sqlite", "catalog.sqlite-wal"] {
                let bytes = (try? Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))) ?? Data()
                for key in [write.key, admin.key, brief.key] {
                    let secret = String(key.dropFirst("strata_".count + 13))
                    #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds a key's secret")
                }
            }
        }
    }
}
