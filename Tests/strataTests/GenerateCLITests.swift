import Foundation
import Testing

@Suite struct GenerateCLITests {
    let directory: String
    var store: String { directory + "/store" }
    var out: String { directory + "/out" }

    init() throws {
        directory = NSTemporaryDirectory() + "strata-generate-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(try CLI.run("init", "--store", store).status == 0)
    }

    @Test func generateWritesTheNodeAndTheJSONContract() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = try CLI.run("generate", "Create PostgreSQL writer Effect node", "--store", store, "--out", out, "--json")
        #expect(output.status == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["path", "node_type", "class_name", "quality", "gates", "cost_usd", "model", "seconds", "stages", "patterns", "hits", "reviews", "review_decision", "learn"])
        #expect(object["node_type"] as? String == "effect")
        #expect(object["class_name"] as? String == "NodePostgreSQLWriterEffect")
        #expect(object["model"] as? String == "templates")
        #expect(object["cost_usd"] as? Double == 0)
        let gates = try #require(object["gates"] as? [String: Int])
        #expect(gates["passed"] == gates["total"] && (gates["total"] ?? 0) >= 5)
        let stages = try #require(object["stages"] as? [[String: Any]])
        #expect(stages.map { $0["name"] as? String } == ["parse", "retrieve", "select", "predict", "contract", "render", "refine", "validate", "review", "score", "write", "record", "learn"])
        let path = try #require(object["path"] as? String)
        for file in ["node.py", "contract.yaml", "__init__.py", "models/__init__.py", "tests/test_node.py"] {
            #expect(FileManager.default.fileExists(atPath: path + "/" + file), "\(file)")
        }

        // The node exists: refused without --force, replaced with it; the summary says what happened.
        let again = try CLI.run("generate", "Create PostgreSQL writer Effect node", "--store", store, "--out", out)
        #expect(again.status != 0)
        #expect(again.stderr.contains("already exists; pass --force"))
        let forced = try CLI.run("generate", "Create PostgreSQL writer Effect node", "--store", store, "--out", out, "--force")
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("Generated NodePostgreSQLWriterEffect (effect)"))
        #expect(forced.stdout.contains("Gates: 6 of 6 passed") || forced.stdout.contains("Gates: 5 of 5 passed"))
        #expect(forced.stdout.contains("Pattern: "))
        #expect(forced.stdout.contains("grounding"))
        let records = try CLI.run("records", "--store", store, "--json")
        #expect(records.status == 0)
        #expect(records.stdout.contains("\"offline\""))
    }

    @Test func badOptionsAreRefusedWithWhatWasExpected() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let provider = try CLI.run("generate", "Create PostgreSQL writer Effect node", "--store", store, "--provider", "bard")
        #expect(provider.status != 0)
        #expect(provider.stderr.contains("--provider takes offline, openai, anthropic, gemini"))
        let type = try CLI.run("generate", "Create a writer", "--store", store, "--node-type", "none")
        #expect(type.status != 0)
        #expect(type.stderr.contains("--node-type takes effect, compute, reducer or orchestrator"))
        let unclear = try CLI.run("generate", "do it", "--store", store, "--out", out)
        #expect(unclear.status != 0)
        #expect(unclear.stderr.contains("cannot tell what to build"))
        let key = try CLI.run("generate", "Create PostgreSQL writer Effect node", "--store", store, "--provider", "anthropic", "--model", "claude-x")
        #expect(key.status != 0)
        #expect(key.stderr.contains("ANTHROPIC_API_KEY"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aDryRunWritesRecordsAndStoresNothing() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = try CLI.run("generate", "Aggregate daily revenue per region", "--store", store, "--out", out, "--dry-run")
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("(not written)"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let stats = try CLI.run("stats", "--store", store, "--json")
        let counts = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
        #expect(counts?["patterns"] as? Int == 0)
        let records = try CLI.run("records", "--store", store, "--json")
        let listed = try JSONSerialization.jsonObject(with: Data(records.stdout.utf8)) as? [String: Any]
        #expect((listed?["records"] as? [Any])?.isEmpty == true)
    }

    @Test func aWorkflowMakesAFeatureThatCheckPassesUntilANodeIsBroken() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let made = try CLI.run("generate", "Create CRUD API for User management", "--fields", "name:str,email:str", "--store", store, "--out", out, "--json")
        #expect(made.status == 0, "\(made.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any])
        #expect(object["workflow"] as? String == "crud")
        #expect((object["nodes"] as? [[String: Any]])?.count == 4)
        let checked = try CLI.run("check", out, "--json")
        #expect(checked.status == 0, "\(checked.stdout) \(checked.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(checked.stdout.utf8)) as? [String: Any])
        #expect((report["nodes"] as? [[String: Any]])?.count == 4)
        // A node whose entry point is renamed fails its gate, and check fails.
        let feature = out + "/feature_user_crud"
        let node = feature + "/node_database_user_reader_effect/v1_0_0/node.py"
        let source = try String(contentsOfFile: node, encoding: .utf8)
        try source.replacingOccurrences(of: "    def process(self, request", with: "    def handle(self, request").write(toFile: node, atomically: true, encoding: .utf8)
        let broken = try CLI.run("check", feature, "--no-tests")
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("FAIL NodeUserReaderEffect") && broken.stdout.contains("required_methods"), "\(broken.stdout)")
        // Bad input is refused before anything is written.
        for arguments in [["--workflow", "saga"], ["--workflow", "crud", "--entity", "class"], ["--workflow", "crud", "--fields", "e-mail:str"],
                          ["--workflow", "crud", "--node-type", "effect"]] {
            let refused = try CLI.run(["generate", "CRUD for User", "--store", store, "--out", directory + "/refused"] + arguments, environment: [:])
            #expect(refused.status != 0, "\(arguments)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/refused"), "\(arguments)")
        }
        #expect(try CLI.run("check", directory + "/nothing-here").status != 0)
    }
}
