import Foundation
import Testing
import StrataTestSupport
import StrataAnalytics

/// A tracker in memory (SQLite) or in a PostgreSQL schema of its own, or on disk in a
/// fresh folder.
func makeTracker(_ backend: CatalogBackend = .sqlite, path: String? = nil) throws -> PerformanceTracker {
    if let path { return try PerformanceTracker(catalog: AnalyticsCatalog(path: path, create: true)) }
    guard let location = try backend.storeCatalog() else { return try PerformanceTracker(catalog: AnalyticsCatalog.inMemory()) }
    return try PerformanceTracker(catalog: AnalyticsCatalog(location: location, create: true))
}

let day = 86_400.0
/// 2026-03-02, a Monday, 00:00 UTC.
let monday = Date(timeIntervalSince1970: 1_772_409_600)

@Suite struct PerformanceTrackerTests {
    func generation(_ model: String, stage: String = "generate", hours: Double, latency: Double, quality: Double?, cost: Double = 0.01, outcome: GenerationRecord.Outcome = .success) -> GenerationRecord {
        GenerationRecord(time: monday.addingTimeInterval(hours * 3600), project: "shop", prompt: "make a writer", nodeType: "effect",
                         domain: "database", stage: stage, provider: "openai", model: model, latencySeconds: latency,
                         inputTokens: 100, outputTokens: 50, cost: cost, quality: quality, outcome: outcome)
    }

    @Test func recordsSurviveClosingAndReopeningTheCatalog() throws {
        let folder = NSTemporaryDirectory() + "strata-tracker-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var original = generation("gpt-4o-mini", hours: 1, latency: 1.25, quality: 0.8)
        original.gatesPassed = ["syntax", "naming"]
        original.gatesFailed = ["imports"]
        original.patternIDs = ["p1", "p2"]
        original.topSimilarity = 0.91
        original.environment = "production"
        let stored = try makeTracker(path: folder + "/catalog.sqlite").record(original)
        #expect(stored.id != nil)
        let reopened = try PerformanceTracker.open(storeDirectory: folder)
        let read = try reopened.records()
        #expect(read == [stored])
        #expect(read.first?.gatesFailed == ["imports"])
    }

    @Test(arguments: CatalogBackend.available) func queriesFilterByModelStageProjectAndPeriod(_ backend: CatalogBackend) throws {
        let tracker = try makeTracker(backend)
        try tracker.record((0..<10).map { generation($0 % 2 == 0 ? "a" : "b", stage: $0 < 6 ? "generate" : "refine", hours: Double($0), latency: 1, quality: 0.5) })
        #expect(try tracker.records(matching: RecordQuery(model: "a")).count == 5)
        #expect(try tracker.count(matching: RecordQuery(model: "a", stage: "refine")) == 2)
        #expect(try tracker.count(matching: RecordQuery(project: "other")) == 0)
        let window = try tracker.records(matching: RecordQuery(from: monday.addingTimeInterval(2 * 3600), to: monday.addingTimeInterval(5 * 3600)))
        #expect(window.map(\.time) == [4, 3, 2].map { monday.addingTimeInterval($0 * 3600) })
        #expect(try tracker.records(matching: RecordQuery(limit: 3)).count == 3)
    }

    @Test(arguments: CatalogBackend.available) func statisticsPerModelAndStage(_ backend: CatalogBackend) throws {
        let tracker = try makeTracker(backend)
        let latencies = (1...100).map(Double.init)
        try tracker.record(latencies.map { generation("fast", hours: $0 / 10, latency: $0 / 100, quality: $0.truncatingRemainder(dividingBy: 2) == 0 ? 0.9 : 0.7, cost: 0.002) })
        try tracker.record([
            generation("slow", hours: 1, latency: 4, quality: nil, cost: 0.5, outcome: .failure),
            generation("slow", stage: "refine", hours: 2, latency: 6, quality: 0.4, cost: 0.25),
        ])
        let perModel = try tracker.statistics(groupBy: [.model])
        #expect(perModel.map(\.model) == ["fast", "slow"])
        let fast = perModel[0]
        #expect(fast.count == 100 && fast.scoredCount == 100)
        #expect(abs(fast.meanQuality! - 0.8) < 1e-12)
        #expect(abs(fast.qualityStandardDeviation! - (0.01 * 100 / 99).squareRoot()) < 1e-12)
        #expect(abs(fast.latency.p50 - 0.505) < 1e-12)
        #expect(abs(fast.latency.p95 - 0.9505) < 1e-12)
        #expect(abs(fast.latency.p99 - 0.9901) < 1e-12)
        #expect(abs(fast.totalCost - 0.2) < 1e-12 && abs(fast.meanCost - 0.002) < 1e-12)
        #expect(fast.inputTokens == 10_000 && fast.outputTokens == 5000)
        let slow = perModel[1]
        #expect(slow.successRate == 0.5)
        #expect(slow.meanQuality == 0.4 && slow.qualityStandardDeviation == nil)
        let byStage = try tracker.statistics(groupBy: [.model, .stage], filter: RecordQuery(model: "slow"))
        #expect(byStage.map(\.stage) == ["generate", "refine"])
        #expect(byStage[0].scoredCount == 0 && byStage[0].meanQuality == nil)
        #expect(try tracker.percentiles(of: .latency, at: [0, 1], filter: RecordQuery(model: "slow")) == [4, 6])
        #expect(try tracker.percentiles(of: .quality, at: [0.5], filter: RecordQuery(model: "nobody")) == [])
        #expect(throws: AnalyticsError.self) { try tracker.percentiles(of: .cost, at: [95]) }
    }

    @Test(arguments: CatalogBackend.available) func dailyTrendsFillEmptyDays(_ backend: CatalogBackend) throws {
        let tracker = try makeTracker(backend)
        try tracker.record([
            generation("a", hours: 1, latency: 1, quality: 0.6, cost: 1),
            generation("a", hours: 2, latency: 1, quality: 0.8, cost: 2),
            generation("a", hours: 50, latency: 1, quality: nil, cost: 4, outcome: .error),
        ])
        let trends = try tracker.dailyTrends(filter: RecordQuery(from: monday, to: monday.addingTimeInterval(4 * day)))
        #expect(trends.map(\.day) == (0..<4).map { monday.addingTimeInterval(Double($0) * day) })
        #expect(trends.map(\.count) == [2, 0, 1, 0])
        #expect(abs(trends[0].meanQuality! - 0.7) < 1e-12)
        #expect(trends.map(\.cost) == [3, 0, 4, 0])
        #expect(trends[2].meanQuality == nil && trends[2].successRate == 0)
    }

    @Test(arguments: CatalogBackend.available) func refusesInvalidRecordsAndWritesNoneOfABadBatch(_ backend: CatalogBackend) throws {
        let tracker = try makeTracker(backend)
        #expect(throws: AnalyticsError.invalidArgument(name: "model", value: "", expected: "a non-empty name")) {
            try tracker.record(GenerationRecord(provider: "openai", model: "", cost: 0))
        }
        #expect(throws: AnalyticsError.invalidArgument(name: "quality", value: "85.0", expected: "a score from 0 to 1 (a percentage? divide by 100)")) {
            try tracker.record(GenerationRecord(provider: "openai", model: "m", cost: 0, quality: 85))
        }
        #expect(throws: AnalyticsError.self) { try tracker.record(GenerationRecord(provider: "p", model: "m", latencySeconds: -1, cost: 0)) }
        #expect(throws: AnalyticsError.self) { try tracker.record(GenerationRecord(provider: "p", model: "m", inputTokens: -5, cost: 0)) }
        #expect(throws: AnalyticsError.self) { try tracker.record(GenerationRecord(provider: "p", model: "m", cost: .nan)) }
        #expect(throws: AnalyticsError.self) {
            try tracker.record([GenerationRecord(provider: "p", model: "m", cost: 1), GenerationRecord(provider: "p", model: "m", cost: -1)])
        }
        #expect(try tracker.count() == 0)
    }

    @Test func importNamesTheFileAndLineOfTheFirstBadRecord() throws {
        let tracker = try makeTracker()
        let file = NSTemporaryDirectory() + "strata-import-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let good = #"{"time": "2026-03-02T10:00:00Z", "provider": "openai", "model": "m", "latency_ms": 1500, "cost": 0.01, "quality": 0.9, "pattern_ids": ["a"]}"#
        try [good, "", good, #"{"provider": "openai", "model": "m", "cost": 0.01, "quality": 90}"#].joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: AnalyticsError.malformedLine(file: file, line: 4, problem: "invalid quality '90.0': expected a score from 0 to 1 (a percentage? divide by 100)")) {
            try tracker.importJSONL(path: file)
        }
        try [good, "{not json"].joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: AnalyticsError.malformedLine(file: file, line: 2, problem: "not valid JSON ({not json)")) { try tracker.importJSONL(path: file) }
        try [good, #"{"provider": "openai", "model": "m", "cost": 0.01, "latency": 3}"#].joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: AnalyticsError.self) { try tracker.importJSONL(path: file) }
        // A boolean is not a number, though Linux's JSONSerialization would cast it to 1.
        try [good, #"{"provider": "openai", "model": "m", "cost": true, "quality": 0.5}"#].joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: AnalyticsError.self) { try tracker.importJSONL(path: file) }
        #expect(try tracker.count() == 0)

        try [good, good].joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try tracker.importJSONL(path: file)
        #expect(imported.count == 2)
        #expect(imported[0].latencySeconds == 1.5 && imported[0].patternIDs == ["a"])
        #expect(imported[0].time == Date(timeIntervalSince1970: 1_772_445_600))
    }

    @Test func jsonObjectReadsBackAsTheSameRecord() throws {
        var record = generation("m", hours: 3.3337, latency: 0.25, quality: 0.75)
        record.id = 12
        record.topSimilarity = 0.5
        record.gatesPassed = ["syntax"]
        let object = record.jsonObject
        #expect(object["node_type"] as? String == "effect")
        #expect(object["top_similarity"] as? Double == 0.5)
        var back = try GenerationRecord(json: object)
        back.id = 12
        #expect(abs(back.time.timeIntervalSince(record.time)) < 0.001)
        back.time = record.time
        #expect(back == record)
        let epoch = try GenerationRecord(json: ["provider": "p", "model": "m", "time": 1_772_409_600, "latency_seconds": 2])
        #expect(epoch.time == monday && epoch.latencySeconds == 2)
        #expect(throws: AnalyticsError.self) { try GenerationRecord(json: ["provider": "p", "model": "m", "latency_ms": 1, "latency_seconds": 1]) }
        #expect(throws: AnalyticsError.self) { try GenerationRecord(json: ["provider": "p", "model": "m", "time": "yesterday"]) }
        #expect(throws: AnalyticsError.self) { try GenerationRecord(json: ["provider": "p", "model": "m", "input_tokens": "12"]) }
        #expect(throws: AnalyticsError.self) { try GenerationRecord(json: ["model": "m"]) }
    }
}
