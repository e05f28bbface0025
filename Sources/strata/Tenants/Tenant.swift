import ArgumentParser
import Foundation
import StrataServer
import StrataStore

extension Strata {
    struct TenantCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tenant", abstract: "Tenants (teams) of a store and their API keys.",
            discussion: """
            A tenant owns a store of its own inside this one: patterns, collections, generations, budgets, cluster runs. \
            The store itself is the tenant "default". Keys belong to a tenant, carry a role (read, write, admin) and are \
            kept hashed: a key is shown once, when it is issued. Once a store has keys, its server refuses requests without one.
            """,
            subcommands: [CreateTenant.self, ListTenants.self, TenantKeys.self, RevokeKey.self])
    }

    /// The options of the tenant commands: the holding store, and the operator's key when
    /// one is given (it must be an admin's).
    struct TenantAdminOptions: ParsableArguments {
        @Option(name: .customLong("store"), help: "The store folder. Default: $STRATA_STORE, else ./.strata")
        var storeFolder: String?
        @Option(name: .customLong("catalog"), help: ArgumentHelp("The store's catalog, for a shared store. Default: $STRATA_CATALOG.", valueName: "url"))
        var catalogText: String?
        @Option(help: ArgumentHelp("An admin key of the store. Without one, the command acts as the store's operator. Default: $STRATA_KEY.", valueName: "key"))
        var key: String?
        @Flag(help: "Print JSON for tools instead of tables.")
        var json = false

        /// Opens the holding store and its tenants, after checking that a key, if given, is an admin's.
        func open() throws -> (store: PatternStore, tenants: TenantDirectory) {
            let path = StoreOptions.path(storeFolder), catalog = try StoreOptions.catalog(catalogText)
            if let key = key ?? ProcessInfo.processInfo.environment["STRATA_KEY"].flatMap({ $0.isEmpty ? nil : $0 }) {
                guard case let .valid(principal) = try TenantDirectory.check(key, inStore: path, catalog: catalog) else {
                    throw ValidationError("the key is not a valid key of the store at \(path) (unknown, revoked or expired)")
                }
                guard principal.role == .admin else {
                    throw ValidationError("the key has the \(principal.role.rawValue) role: tenants and keys need an admin key")
                }
            }
            let store = try PatternStore.open(at: path, catalog: catalog)
            do {
                return (store, try TenantDirectory(store: store))
            } catch {
                try? store.close()
                throw error
            }
        }

        func close(_ opened: (store: PatternStore, tenants: TenantDirectory)) throws {
            opened.tenants.closeAll()
            try opened.store.close()
        }
    }

    struct CreateTenant: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Make a tenant (when it is new) and issue it a key.",
            discussion: """
            The key is printed once and kept only as its SHA-256. Run again on an existing tenant to issue another key. \
            --json prints {"tenant","key","role","key_id","created","expires_at"}.
            """)
        @Argument(help: "The tenant: 1 to 63 lowercase letters, digits, - or _.") var name: String
        @Option(help: "The key's role: read, write or admin.") var role: String = "write"
        @Option(help: ArgumentHelp("Days until the key expires (default: never).", valueName: "days")) var expiresDays: Double?
        @OptionGroup var options: TenantAdminOptions

        func run() throws {
            let role = try TenantRole.named(role)
            if let expiresDays, !(expiresDays > 0) { throw ValidationError("--expires-days must be a positive number of days; got \(expiresDays)") }
            let opened = try options.open()
            defer { try? options.close(opened) }
            let created = try !opened.tenants.contains(name)
            if created { try opened.tenants.create(name) }
            let issued = try opened.tenants.issueKey(for: name, role: role, expiresAt: expiresDays.map { Date().addingTimeInterval($0 * 86_400) })
            if options.json {
                var object: [String: Any] = ["tenant": name, "key": issued.key, "role": role.rawValue, "key_id": issued.record.id, "created": created]
                object["expires_at"] = issued.record.expiresAt.map { ISO8601DateFormatter().string(from: $0) } ?? NSNull()
                options.emit(object)
            } else {
                print("\(created ? "made tenant" : "tenant") \(name); new \(role.rawValue) key \(issued.record.id) (shown once, keep it):")
                print(issued.key)
            }
        }
    }

    struct ListTenants: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tenants: their patterns and active keys.")
        @OptionGroup var options: TenantAdminOptions

        func run() throws {
            let opened = try options.open()
            defer { try? options.close(opened) }
            let keys = try opened.tenants.keys()
            let now = Date()
            let rows = try opened.tenants.names().map { (name) throws -> [String: Any] in
                let patterns = try opened.tenants.store(of: name)?.count() ?? 0
                return ["tenant": name, "patterns": patterns, "active_keys": keys.filter { $0.tenant == name && $0.isActive(at: now) }.count]
            }
            if options.json {
                options.emit(["tenants": rows])
            } else {
                print(table(["tenant", "patterns", "active keys"], rows.map { ["\($0["tenant"]!)", "\($0["patterns"]!)", "\($0["active_keys"]!)"] }))
            }
        }
    }

    struct TenantKeys: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys", abstract: "List the keys issued (ids and roles, never the keys), of one tenant or all.")
        @Argument(help: "The tenant (default: every tenant).") var name: String?
        @OptionGroup var options: TenantAdminOptions

        func run() throws {
            let opened = try options.open()
            defer { try? options.close(opened) }
            let keys = try opened.tenants.keys(of: name)
            if options.json {
                options.emit(["keys": keys.map(\.jsonObject)])
            } else {
                print(table(["key id", "tenant", "role", "created", "expires", "state"], keys.map { key in
                    [key.id, key.tenant, key.role.rawValue, stamp(key.createdAt), key.expiresAt.map(stamp) ?? "never", key.state(at: Date())]
                }))
            }
        }
    }

    struct RevokeKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a key by its id: refused from now on (other replicas: within a second).")
        @Argument(help: "The key id (`strata tenant keys` lists them).") var keyID: String
        @OptionGroup var options: TenantAdminOptions

        func run() throws {
            let opened = try options.open()
            defer { try? options.close(opened) }
            guard let key = try opened.tenants.revoke(keyID: keyID) else {
                throw ValidationError("no key has the id \(keyID): `strata tenant keys` lists them")
            }
            if options.json { options.emit(key.jsonObject) } else { print("key \(key.id) of tenant \(key.tenant): revoked") }
        }
    }
}

extension Strata.TenantAdminOptions {
    func emit(_ object: Any) { printJSON(object) }
}

private func stamp(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
