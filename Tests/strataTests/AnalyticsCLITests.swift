import Foundation
import Testing

@Suite struct AnalyticsCLITests {
    let directory: String
    var store: String { directory + "/store" }

    init() throws {
        directory = NSTemporaryDirectory() + "strata-analytics-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(try CLI.run("init", "--store", directory + "/store", "--dim", "32").status == 0)
    }

    func json(_ output: CLI.Output) throws -> [String: Any] {
        #expect(output.status == 0, "\(output.stderr)")
        return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] ?? [:]
    }

    func write(_ lines: [String], to name: String) throws -> String {
        let path = directory + "/" + name
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func recordNeedsAPriceOrACostAndNamesTheBadLine() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let line = #"{"time": "2026-03-02T10:00:00Z", "project": "shop", "provider": "openai", "model": "gpt-4o-mini", "latency_ms": 800, "input_tokens": 1000000, "output_tokens": 1000000, "quality": 0.8}"#
        let file = try write([line, line], to: "gens.jsonl")
        let unpriced = try CLI.run("record", "--store", store, file)
        #expect(unpriced.status != 0)
        #expect(unpriced.stderr.contains("gens.jsonl:1: no price for openai/gpt-4o-mini"))
        #expect(unpriced.stderr.contains("strata prices set --provider openai --model gpt-4o-mini"))

        #expect(try CLI.run("prices", "set", "--store", store, "--provider", "openai", "--model", "gpt-4o-mini", "--input", "0.15", "--output", "0.6", "--from", "2026-01-01").status == 0)
        #expect(try CLI.run("prices", "set", "--store", store, "--provider", "openai", "--model", "gpt-4o-mini", "--input", "1", "--output", "1", "--from", "2026-03-02T12:00:00Z").status == 0)
        let listed = try json(CLI.run("prices", "list", "--store", store, "--json"))
        #expect((listed["prices"] as? [[String: Any]])?.count == 2)
        let recorded = try json(CLI.run("record", "--store", store, file, "--json"))
        #expect(recorded["recorded"] as? Int == 2)
        #expect(abs((recorded["cost"] as? Double ?? 0) - 1.5) < 1e-9)

        let bad = try write([line, "", #"{"provider": "openai", "model": "m", "cost": 1, "quality": 1.5}"#], to: "bad.jsonl")
        let refused = try CLI.run("record", "--store", store, bad)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("bad.jsonl:3: invalid quality"))
        let records = try json(CLI.run("records", "--store", store, "--json"))
        #expect((records["records"] as? [[String: Any]])?.count == 2)
        let human = try CLI.run("records", "--store", store, "--model", "gpt-4o-mini")
        #expect(human.stdout.contains("$0.7500"))
    }

    @Test func budgetStatusRaisesEachAlertOnce() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try CLI.run("budget", "set", "--store", store, "--project", "shop", "--period", "month", "--limit", "10").status == 0)
        let spend = (1...6).map { #"{"time": "2026-03-0\#($0)T09:00:00Z", "project": "shop", "provider": "p", "model": "m", "cost": 1}"# }
        #expect(try CLI.run("record", "--store", store, write(spend, to: "spend.jsonl")).status == 0)
        let first = try json(CLI.run("budget", "--store", store, "--json", "--at", "2026-03-06T12:00:00Z"))
        let status = try #require((first["budgets"] as? [[String: Any]])?.first)
        #expect(status["spent"] as? Double == 6)
        #expect((status["new_alerts"] as? [[String: Any]])?.map { $0["level"] as? Int } == [50])
        let forecast = try #require(status["forecast"] as? [String: Any])
        #expect(forecast["method"] as? String == "linear_trend")
        #expect(abs((forecast["expected"] as? Double ?? 0) - 31) < 1.5)
        let second = try json(CLI.run("budget", "status", "--store", store, "--json", "--project", "shop", "--at", "2026-03-06T12:00:00Z"))
        let again = try #require((second["budgets"] as? [[String: Any]])?.first)
        #expect((again["new_alerts"] as? [Any])?.isEmpty == true)
        #expect((again["alerts"] as? [Any])?.count == 1)
        let human = try CLI.run("budget", "--store", store, "--at", "2026-03-06T12:00:00Z")
        #expect(human.stdout.contains("heading for"))
        let unknown = try CLI.run("budget", "--store", store, "--project", "blog")
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown budget project 'blog'; known: shop"))
    }

    @Test func predictFitsTheRecordedGenerations() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tooFew = try CLI.run("predict", "--store", store, "--model", "a", "--prompt", "x")
        #expect(tooFew.status != 0 && tooFew.stderr.contains("need at least 30, have 0"))
        let lines = (0..<90).map { i -> String in
            let model = ["big", "small", "mid"][i % 3]
            let similarity = Double(i % 10) / 10
            let quality = 0.6 + (model == "small" ? -0.1 : 0) + 0.3 * similarity + Double(i % 7 - 3) * 0.004
            return #"{"provider": "p", "model": "\#(model)", "stage": "generate", "node_type": "effect", "prompt": "make a writer", "top_similarity": \#(similarity), "cost": 0.01, "latency_seconds": 2, "quality": \#(quality)}"#
        }
        #expect(try CLI.run("record", "--store", store, write(lines, to: "gens.jsonl")).status == 0)
        let predicted = try json(CLI.run("predict", "--store", store, "--node-type", "effect", "--model", "small", "--prompt", "make a writer",
                                         "--top-similarity", "0.5", "--context", "2", "--json"))
        let quality = try #require(predicted["quality"] as? [String: Any])
        #expect(abs((quality["value"] as? Double ?? 0) - 0.65) < 0.02)
        #expect((quality["low"] as? Double ?? 1) < (quality["high"] as? Double ?? 0))
        let coefficients = try #require(quality["coefficients"] as? [String: Double])
        #expect(abs(coefficients["model=small"]! - coefficients["model=big"]! + 0.1) < 0.02)
        let human = try CLI.run("predict", "--store", store, "--model", "small", "--prompt", "make a writer")
        #expect(human.stdout.contains("quality weighs most: "))
        #expect(try CLI.run("predict", "--store", store, "--model", "small", "--prompt", "x", "--confidence", "2").status != 0)
    }

    @Test func fitReadsANumpyFileWithTheTargetLast() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var values: [Double] = []
        for i in 0..<50 {
            let a = Double(i % 7), b = Double((i * 3) % 11)
            values += [a, b, 2 * a - b + 3]
        }
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (50, 3), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(header.utf8.count), 0])
        data.append(contentsOf: Array(header.utf8))
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        let file = directory + "/xy.npy"
        try data.write(to: URL(fileURLWithPath: file))
        let fit = try json(CLI.run("fit", file, "--lambda", "0", "--folds", "0", "--repeat", "2", "--json"))
        let coefficients = try #require(fit["coefficients"] as? [Double])
        #expect(abs(coefficients[0] - 2) < 1e-9 && abs(coefficients[1] + 1) < 1e-9)
        #expect(abs((fit["intercept"] as? Double ?? 0) - 3) < 1e-9)
        #expect((fit["seconds"] as? [Double])?.count == 2)
    }
}
