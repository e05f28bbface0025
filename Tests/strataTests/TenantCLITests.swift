import Foundation
import Testing

/// `strata tenant` and `--key`/`--tenant` as a user runs them: keys issued once, listed
/// without their secret, revoked; every store command run with tenant B's key sees only B's.
@Suite final class TenantCLITests {
    let directory: String
    var store: String { directory + "/store" }

    init() throws {
        directory = NSTemporaryDirectory() + "strata-tenant-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func json(_ output: CLI.Output) throws -> [String: Any] {
        #expect(output.status == 0, "\(output.stderr)")
        return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test func tenantsAndKeysFromTheCommandLine() throws {
        #expect(try CLI.run("init", "--store", store, "--dim", "128").status == 0)
        let made = try json(CLI.run("tenant", "create", "alpha", "--store", store, "--json"))
        #expect(made["tenant"] as? String == "alpha" && made["role"] as? String == "write" && made["created"] as? Bool == true)
        let alphaKey = made["key"] as? String ?? ""
        let alphaRead = try json(CLI.run("tenant", "create", "alpha", "--role", "read", "--store", store, "--json"))
        #expect(alphaRead["created"] as? Bool == false)
        let betaKey = try json(CLI.run("tenant", "create", "beta", "--store", store, "--json"))["key"] as? String ?? ""
        let admin = try json(CLI.run("tenant", "create", "default", "--role", "admin", "--store", store, "--json"))["key"] as? String ?? ""

        // Alpha's patterns, added with alpha's key.
        for (index, subject) in ["invoice", "parcel", "ledger", "coupon"].enumerated() {
            let text = "class AlphaSecret\(subject.capitalized):\n    def post_\(subject)(self, \(subject)_entry):\n        return self.\(subject)_rows.append(\(subject)_entry)\n"
            #expect(try CLI.run("add", "--store", store, "--key", alphaKey, "--id", "alpha-\(index)", "--text", text).status == 0)
        }
        // Beta sees none of them, by search, get, export or stats.
        let search = try CLI.run("search", "ledger post entry rows", "--store", store, "--key", betaKey, "--json")
        #expect(search.status == 0 && !search.stdout.contains("AlphaSecret") && !search.stdout.contains("alpha-"), "\(search.stdout)")
        let get = try CLI.run("get", "alpha-1", "--store", store, "--key", betaKey)
        #expect(get.status != 0 && !get.stdout.contains("AlphaSecret"))
        #expect(try json(CLI.run("stats", "--store", store, "--key", betaKey, "--json"))["patterns"] as? Int == 0)
        let export = directory + "/beta.jsonl"
        #expect(try CLI.run("export", export, "--store", store, "--key", betaKey).status == 0)
        #expect(!((try? String(contentsOfFile: export, encoding: .utf8)) ?? "").contains("AlphaSecret"))
        // Beta's key cannot name alpha; a deletion with it finds nothing of alpha's.
        let crossed = try CLI.run("get", "alpha-1", "--store", store, "--key", betaKey, "--tenant", "alpha")
        #expect(crossed.status != 0 && crossed.stderr.contains("only an admin key"))
        #expect(try CLI.run("delete", "alpha-1", "--store", store, "--key", betaKey).status != 0)
        // Alpha's read key reads, and cannot write.
        #expect(try CLI.run("get", "alpha-1", "--store", store, "--key", alphaRead["key"] as? String ?? "").status == 0)
        let refused = try CLI.run("add", "--store", store, "--key", alphaRead["key"] as? String ?? "", "--id", "x", "--text", "def x():\n    return 1\n")
        #expect(refused.status != 0 && refused.stderr.contains("read role"))
        // The admin works in any tenant; the operator (no key) too, with --tenant.
        #expect(try json(CLI.run("stats", "--store", store, "--key", admin, "--tenant", "alpha", "--json"))["patterns"] as? Int == 4)
        #expect(try json(CLI.run("stats", "--store", store, "--tenant", "alpha", "--json"))["patterns"] as? Int == 4)
        #expect(try json(CLI.run("stats", "--store", store, "--json"))["patterns"] as? Int == 0)
        #expect(try CLI.run("stats", "--store", store, "--tenant", "nobody").stderr.contains("a tenant of this store"))

        // Tenants and keys need an admin key when a key is given.
        #expect(try CLI.run("tenant", "list", "--store", store, "--key", betaKey).stderr.contains("admin key"))
        let list = try json(CLI.run("tenant", "list", "--store", store, "--key", admin, "--json"))
        let rows = list["tenants"] as? [[String: Any]] ?? []
        #expect(rows.map { $0["tenant"] as? String } == ["default", "alpha", "beta"])
        #expect(rows.first { $0["tenant"] as? String == "alpha" }?["patterns"] as? Int == 4)
        let keys = try CLI.run("tenant", "keys", "alpha", "--store", store, "--json")
        #expect(keys.status == 0 && !keys.stdout.contains(alphaKey) && keys.stdout.contains(made["key_id"] as? String ?? "?"))
        let revoked = try json(CLI.run("tenant", "revoke", made["key_id"] as? String ?? "", "--store", store, "--json"))
        #expect(revoked["state"] as? String == "revoked")
        let after = try CLI.run("stats", "--store", store, "--key", alphaKey)
        #expect(after.status != 0 && after.stderr.contains("revoked"))
        #expect(try CLI.run("tenant", "create", "Bad Name", "--store", store).stderr.contains("lowercase"))
    }
}
