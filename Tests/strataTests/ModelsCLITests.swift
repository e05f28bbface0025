import Foundation
import Testing

@Suite struct ModelsCLITests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "strata-models-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func json(_ output: CLI.Output) throws -> [String: Any] {
        #expect(output.status == 0, "\(output.stderr)")
        return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test func simulateWritesTheJSONContractAndASummary() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/simulation.json"
        let output = try CLI.run("models", "simulate", "--seed", "2", "--generations", "500", "--json", file)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("% of always using the best model"))
        #expect(output.stdout.contains("roll back: rolled back to fast (from mini)"))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let keys = ["cost_ratio_vs_best", "quality_delta_points", "rollback_after_generations", "decisions"]
        let positions = keys.map { text.range(of: "\"\($0)\":")?.lowerBound }
        #expect(text.hasPrefix("{\"cost_ratio_vs_best\":"))
        #expect(positions.allSatisfy { $0 != nil } && positions.map { $0! } == positions.map { $0! }.sorted())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(try #require(object["cost_ratio_vs_best"] as? Double) <= 0.25)
        #expect(try #require(object["quality_delta_points"] as? Double) >= -1)
        #expect(try #require(object["rollback_after_generations"] as? Int) <= 30)
        #expect(try #require(object["decisions"] as? Int) >= 5)

        let bad = try CLI.run("models", "simulate", "--generations", "0")
        #expect(bad.status != 0 && bad.stderr.contains("--generations must be at least 1"))
    }

    /// Three models over 120 generations each: `large` best and dear, `medium` good enough
    /// and cheap, `small` cheapest and not good enough.
    func writeRecords() throws -> String {
        let path = directory + "/records.jsonl"
        var lines: [String] = []
        for index in 0..<360 {
            let (model, quality, cost) = [("large", 0.90, 0.03), ("medium", 0.89, 0.003), ("small", 0.6, 0.0003)][index % 3]
            let wobble = Double((index * 37) % 11 - 5) / 100
            let time = 1_767_225_600 + 60 * index
            lines.append("{\"time\":\(time),\"stage\":\"generate\",\"provider\":\"p\",\"model\":\"\(model)\",\"quality\":\(quality + wobble),\"cost\":\(cost),"
                + "\"input_tokens\":900,\"output_tokens\":250,\"latency_seconds\":1.5,\"outcome\":\"success\"}")
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func listStatsAndRecommendReadJSONLines() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let records = try writeRecords()
        let list = try json(CLI.run("models", "list", "--records", records, "--json"))
        let models = try #require(list["models"] as? [[String: Any]])
        #expect(models.map { $0["model"] as? String } == ["large", "medium", "small"])
        #expect(models.map { $0["generations"] as? Int } == [120, 120, 120])
        let stats = try json(CLI.run("models", "stats", "--records", records, "--stage", "generate", "--since", "2026-01-01", "--json"))
        #expect((stats["stats"] as? [Any])?.count == 3)
        let table = try CLI.run("models", "stats", "--records", records)
        #expect(table.stdout.contains("generate  medium"))

        let choice = try json(CLI.run("models", "recommend", "--records", records, "--stage", "generate", "--quality-target", "0.8", "--json"))
        #expect(choice["model"] as? String == "medium")
        #expect(choice["exploring"] as? Bool == false)
        #expect((choice["reason"] as? String)?.hasPrefix("medium meets the 0.80 target") == true)
        let broke = try CLI.run("models", "recommend", "--records", records, "--stage", "generate", "--budget", "0.01", "--generations", "1000")
        #expect(broke.status != 0 && broke.stderr.contains("no model fits"), "\(broke.stderr)")
        let orphan = try CLI.run("models", "recommend", "--records", records, "--stage", "generate", "--generations", "10")
        #expect(orphan.status != 0 && orphan.stderr.contains("--generations needs --budget"))
    }

    @Test func migrateShowsTheDecisionAndAppliesItToTheStore() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let records = try writeRecords()
        let store = directory + "/store"
        let refused = try CLI.run("models", "migrate", "--records", records, "--store", store, "--apply")
        #expect(refused.status != 0 && refused.stderr.contains("strata init --store"))
        let dry = try json(CLI.run("models", "migrate", "--records", records, "--store", store, "--json"))
        let decision = try #require((dry["decisions"] as? [[String: Any]])?.first)
        #expect(decision["action"] as? String == "start_canary")
        #expect(decision["after"] as? String == "canary large → medium (10 %)")

        #expect(try CLI.run("init", "--store", store, "--dim", "16").status == 0)
        #expect(try CLI.run("models", "migrate", "--records", records, "--store", store, "--apply").status == 0)
        let next = try CLI.run("models", "migrate", "--records", records, "--store", store)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.hasPrefix("generate: canary large → medium (10 %) → hold"), "\(next.stdout)")
        #expect(next.stdout.contains("canary of medium: 0 of 30 generations"))
    }

    @Test func theCommandsReadTheStoresRecordsAndPrices() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = directory + "/store"
        #expect(try CLI.run("init", "--store", store, "--dim", "16").status == 0)
        let recorded = try CLI.run("record", try writeRecords(), "--store", store)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let list = try json(CLI.run("models", "list", "--store", store, "--json"))
        #expect((list["models"] as? [[String: Any]])?.map { $0["generations"] as? Int } == [120, 120, 120])
        let choice = try json(CLI.run("models", "recommend", "--store", store, "--stage", "generate", "--quality-target", "0.8", "--json"))
        #expect(choice["model"] as? String == "medium")
        // A priced model with no generations yet is a candidate the selector explores.
        #expect(try CLI.run("prices", "set", "--store", store, "--provider", "p", "--model", "fresh", "--input", "0.01", "--output", "0.02").status == 0)
        let explored = try json(CLI.run("models", "recommend", "--store", store, "--stage", "generate", "--quality-target", "0.8", "--json"))
        let considered = (explored["alternatives"] as? [[String: Any]])?.compactMap { $0["model"] as? String } ?? []
        #expect(considered.contains("fresh") || explored["model"] as? String == "fresh", "\(explored)")
        let migrate = try json(CLI.run("models", "migrate", "--store", store, "--json"))
        #expect((migrate["decisions"] as? [[String: Any]])?.first?["action"] as? String == "start_canary")
    }
}
