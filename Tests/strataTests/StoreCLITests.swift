import Foundation
import Testing

@Suite struct StoreCLITests {
    let directory: String
    var store: String { directory + "/store" }

    init() throws {
        directory = NSTemporaryDirectory() + "strata-store-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func json(_ output: CLI.Output) throws -> [String: Any] {
        #expect(output.status == 0, "\(output.stderr)")
        return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test func initAddSearchGetDeleteAsAUserWould() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try CLI.run("init", "--store", store, "--dim", "128").status == 0)
        let writer = "class PostgresWriter:\n    def write(self, rows):\n        with self.pool.connection() as conn:\n            conn.executemany(INSERT_SQL, rows)\n"
        let added = try json(CLI.run("add", "--store", store, "--id", "pg-writer", "--text", writer, "--name", "PostgresWriter",
                                     "--node-type", "effect", "--domain", "database", "--language", "python", "--tags", "io,db", "--quality", "0.9", "--json"))
        #expect(added["action"] as? String == "added")
        let reader = "def parse_config(path):\n    with open(path) as handle:\n        return json.load(handle)\n"
        #expect(try CLI.run("add", "--store", store, "--id", "cfg", "--text", reader, "--node-type", "compute", "--quality", "0.4").status == 0)
        let again = try json(CLI.run("add", "--store", store, "--id", "pg-copy", "--text", writer + "\n\n", "--json"))
        #expect(again["action"] as? String == "merged_exact")
        #expect(again["stored_as"] as? String == "pg-writer")

        let found = try json(CLI.run("search", "--store", store, "write rows to postgres", "--k", "2", "--json"))
        let results = found["results"] as? [[String: Any]] ?? []
        #expect(results.first?["id"] as? String == "pg-writer")
        #expect(results.first?["node_type"] as? String == "effect")
        #expect(results.first?["score"] is Double)
        #expect(found["took_us"] is Int)
        let filtered = try json(CLI.run("search", "--store", store, "write rows to postgres", "--filter", "node_type=compute", "--json"))
        #expect((filtered["results"] as? [[String: Any]])?.map { $0["id"] as? String } == ["cfg"])
        let strict = try json(CLI.run("search", "--store", store, "anything", "--filter", "quality>=0.95", "--json"))
        #expect((strict["results"] as? [Any])?.isEmpty == true)

        let bad = try CLI.run("search", "--store", store, "x", "--filter", "node_type=gizmo")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("unknown node type"))

        let got = try json(CLI.run("get", "--store", store, "pg-writer", "--json"))
        #expect(got["usage_count"] as? Int == 1)
        #expect(got["tags"] as? [String] == ["io", "db"])
        let human = try CLI.run("get", "--store", store, "pg-writer")
        #expect(human.stdout.contains("PostgresWriter"))

        #expect(try CLI.run("delete", "--store", store, "cfg").status == 0)
        let missing = try CLI.run("get", "--store", store, "cfg")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no pattern with id \"cfg\""))
        let stats = try json(CLI.run("stats", "--store", store, "--json"))
        #expect(stats["patterns"] as? Int == 1)
        #expect(try CLI.run("verify", "--store", store).status == 0)
    }

    @Test func importExportIngestAndMaintenance() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try CLI.run("init", "--store", store, "--dim", "64").status == 0)
        let source = directory + "/src"
        try FileManager.default.createDirectory(atPath: source + "/node_modules/lib", withIntermediateDirectories: true)
        try """
        def load_rows(path):
            with open(path) as handle:
                return [line.split(",") for line in handle]


        class Cache:
            def get(self, key):
                value = self.items.get(key)
                return value

            def put(self, key, value):
                self.items[key] = value
                self.order.append(key)
                self.evict_oldest()
        """.write(toFile: source + "/data.py", atomically: true, encoding: .utf8)
        try """
        func mergeSorted(_ a: [Int], _ b: [Int]) -> [Int] {
            var result: [Int] = []
            result.reserveCapacity(a.count + b.count)
            return result
        }
        """.write(toFile: source + "/merge.swift", atomically: true, encoding: .utf8)
        try "function ignored() {\n  return 1;\n}\n".write(toFile: source + "/node_modules/lib/index.js", atomically: true, encoding: .utf8)
        let first = try json(CLI.run("ingest", "--store", store, source, "--json"))
        #expect(first["added"] as? Int == 5, "\(first)")
        #expect(first["files"] as? Int == 2)
        let second = try json(CLI.run("ingest", "--store", store, source, "--json"))
        #expect(second["added"] as? Int == 0)
        #expect(second["unchanged_files"] as? Int == 2)
        // The one progress bar: drawn in place on a terminal (forced here), nothing when piped.
        let drawn = try CLI.run(["ingest", "--store", store, source], environment: ["STRATA_PROGRESS": "always"])
        #expect(drawn.stderr.contains("\r\u{1B}[2K[####################] 2/2 files  0 patterns  "), "\(drawn.stderr.debugDescription)")
        #expect(drawn.stderr.hasSuffix(" s\n"))
        let piped = try CLI.run(["ingest", "--store", store, source], environment: ["STRATA_PROGRESS": "never"])
        #expect(piped.status == 0 && !piped.stderr.contains("files"), "\(piped.stderr)")
        let method = try json(CLI.run("get", "--store", store, source + "/data.py#Cache.get", "--json"))
        #expect(method["kind"] as? String == "method")
        #expect(method["language"] as? String == "python")
        #expect(method["line_start"] as? Int == 7)

        let exported = directory + "/out.jsonl"
        #expect(try CLI.run("export", exported, "--store", store).status == 0)
        let other = directory + "/other"
        #expect(try CLI.run("init", "--store", other, "--dim", "64").status == 0)
        let imported = try json(CLI.run("import", exported, "--store", other, "--json").stdout.split(separator: "\n").last.map { CLI.Output(status: 0, stdout: String($0), stderr: "") }!)
        #expect(imported["added"] as? Int == 5)

        try "{\"id\": \"a\", \"text\": \"x = 1\"}\n{\"id\": \"b\", \"text\": 7}\n".write(toFile: directory + "/bad.jsonl", atomically: true, encoding: .utf8)
        let bad = try CLI.run("import", directory + "/bad.jsonl", "--store", other)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("bad.jsonl:2"))
        #expect(try json(CLI.run("stats", "--store", other, "--json"))["patterns"] as? Int == 5)

        for command in ["flush", "compact", "prune", "promote", "demote"] {
            let report = try json(CLI.run(command, "--store", store, "--json"))
            #expect(report["operation"] != nil, "\(command)")
        }
        let stats = try json(CLI.run("stats", "--store", store, "--json"))
        #expect(stats["cold"] as? Int == 5)
        #expect(try CLI.run("verify", "--store", store).status == 0)
        let reembedded = try json(CLI.run("reembed", "--store", store, "--dim", "96", "--json"))
        #expect(reembedded["patterns"] as? Int == 5)
        let after = try json(CLI.run("search", "--store", store, "merge sorted arrays", "--k", "1", "--json"))
        #expect((after["results"] as? [[String: Any]])?.first?["name"] as? String == "mergeSorted")
        #expect(try CLI.run("verify", "--store", store).status == 0)

        let queries = directory + "/queries.jsonl"
        try "{\"text\": \"load rows from a csv file\"}\n{\"text\": \"cache lookup\"}\n".write(toFile: queries, atomically: true, encoding: .utf8)
        let benchJSON = directory + "/bench.json"
        #expect(try CLI.run("bench", "--store", store, "--queries", queries, "--json", benchJSON, "--passes", "1").status == 0)
        let bench = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: benchJSON))) as? [String: Any] ?? [:]
        for key in ["queries", "p50_us", "p95_us", "p99_us", "qps"] { #expect(bench[key] != nil, "\(key)") }
    }

    @Test func aSnapshotIsCreatedInspectedAndRestoredAsAUserWould() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try CLI.run("init", "--store", store, "--dim", "128").status == 0)
        let subjects = ["invoice", "parcel", "ledger", "coupon", "tenant"]
        for (index, subject) in subjects.enumerated() {
            let text = "class \(subject.capitalized)Archive:\n    def store_\(subject)(self, \(subject)_rows):\n        return self.\(subject)_table.extend(\(subject)_rows)\n"
            #expect(try CLI.run("add", "--store", store, "--id", "p\(index)", "--text", text).status == 0)
        }
        let archive = directory + "/store.strata"
        let made = try json(CLI.run("snapshot", "create", "--store", store, "--out", archive, "--json"))
        #expect(made["path"] as? String == archive && made["patterns"] as? Int == 5)
        #expect((made["bytes"] as? Int ?? 0) > 0 && made["seconds"] is Double)
        let inspected = try json(CLI.run("snapshot", "inspect", archive, "--json"))
        #expect((inspected["files"] as? [[String: Any]])?.first?["name"] as? String == "catalog.sqlite")
        let restored = try json(CLI.run("snapshot", "restore", archive, "--store", directory + "/restored", "--json"))
        #expect(restored["patterns"] as? Int == 5 && (restored["problems"] as? [String])?.isEmpty == true)
        let found = try json(CLI.run("search", "--store", directory + "/restored", "store ledger rows", "--json"))
        #expect(!((found["results"] as? [Any]) ?? (found["hits"] as? [Any]) ?? []).isEmpty, "\(found)")
        // Again into the same folder: refused, naming it.
        let again = try CLI.run("snapshot", "restore", archive, "--store", directory + "/restored")
        #expect(again.status != 0 && again.stderr.contains("already exists"))
    }

    @Test func missingStoreSaysHowToCreateOne() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = try CLI.run("search", "--store", directory + "/none", "x")
        #expect(output.status != 0)
        #expect(output.stderr.contains("strata init"))
    }
}
