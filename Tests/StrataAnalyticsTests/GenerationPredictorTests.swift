import Foundation
import StrataKernels
import Testing
import StrataAnalytics

@Suite struct GenerationPredictorTests {
    /// Records whose quality has a planted model effect (the mini model 0.08 lower) and a
    /// similarity effect; cost grows with prompt words for the large model only.
    func plantedRecords(count: Int, seed: UInt64) -> [GenerationRecord] {
        var random = SeededRandom(seed: seed)
        let models = ["gpt-4o", "gpt-4o-mini", "claude"]
        let domains = ["database", "http", "files"]
        return (0..<count).map { i in
            let model = models[i % 3]
            let words = 5 + Int(random.uniform() * 40)
            let similarity = random.uniform()
            let quality = 0.7 + (model == "gpt-4o-mini" ? -0.08 : 0) + 0.2 * similarity + 0.02 * Double(random.gaussian())
            let cost = (model == "gpt-4o" ? 0.001 * Double(words) : 0.002) + 0.0002 * Double(random.gaussian())
            return GenerationRecord(
                time: monday.addingTimeInterval(Double(i) * 60), prompt: Array(repeating: "word", count: words).joined(separator: " "),
                nodeType: i % 2 == 0 ? "effect" : "compute", domain: domains[(i / 3) % 3], provider: "x", model: model,
                latencySeconds: model == "claude" ? 3 : 1, cost: cost, quality: i % 10 == 9 ? nil : min(max(quality, 0), 1),
                patternIDs: Array(repeating: "p", count: i % 4), topSimilarity: similarity)
        }
    }

    @Test func recoversAPlantedModelEffect() throws {
        let predictor = try GenerationPredictor.fit(records: plantedRecords(count: 600, seed: 8))
        let coefficients = Dictionary(uniqueKeysWithValues: predictor.quality.namedCoefficients.map { ($0.name, $0.value) })
        let miniEffect = try #require(coefficients["model=gpt-4o-mini"]) - (coefficients["model=gpt-4o"] ?? .nan)
        #expect(abs(miniEffect + 0.08) < 0.01, "mini vs 4o: \(miniEffect)")
        #expect(abs(try #require(coefficients["top_similarity"]) - 0.2) < 0.02)
        #expect(predictor.quality.rowCount == 540)
        #expect(predictor.quality.quality.crossValidatedRSquared! > 0.5)

        let request = GenerationRequest(nodeType: "effect", domain: "database", stage: "generate", model: "gpt-4o-mini", prompt: "write rows", topSimilarity: 0.5, contextPatterns: 2)
        let forecast = try predictor.predict(request)
        #expect(abs(forecast.quality.value - 0.72) < 0.02)
        #expect(forecast.quality.low < forecast.quality.value && forecast.quality.value < forecast.quality.high)
        #expect(forecast.latency.value > 0.8 && forecast.latency.value < 1.2)
        var large = request
        large.model = "claude"
        #expect(try predictor.predict(large).latency.value > 2.5)
        #expect(forecast.cost.low >= 0)
    }

    @Test func encoderKeepsTheMostFrequentLevelsAndZerosTheRest() {
        let requests = ["a", "a", "a", "b", "b", "c"].map { GenerationRequest(nodeType: "effect", domain: "d", stage: "s", model: $0, prompt: "two words") }
        let encoder = GenerationFeatureEncoder(fitting: requests, maximumLevels: 2)
        #expect(encoder.levels["model"] == ["a", "b"])
        #expect(encoder.names == ["node_type=effect", "domain=d", "stage=s", "model=a", "model=b", "prompt_words", "top_similarity", "context_patterns"])
        let unseen = GenerationRequest(nodeType: "reducer", domain: "d", stage: "s", model: "zzz", prompt: "one two three", topSimilarity: 0.4, contextPatterns: 3)
        #expect(encoder.encode(unseen) == [0, 1, 1, 0, 0, 3, 0.4, 3])
    }

    @Test func refusesTooFewScoredRecords() throws {
        var records = plantedRecords(count: 40, seed: 2)
        for index in records.indices { records[index].quality = index < 20 ? 0.5 : nil }
        #expect(throws: AnalyticsError.insufficientData(what: "scored generation records (with a quality) to predict from", needed: 30, got: 20)) {
            try GenerationPredictor.fit(records: records)
        }
    }

    @Test func fitsFromTheTrackersRecords() throws {
        let tracker = try makeTracker()
        try tracker.record(plantedRecords(count: 90, seed: 4))
        let predictor = try GenerationPredictor.fit(tracker: tracker)
        #expect(predictor.cost.rowCount == 90 && predictor.quality.rowCount == 81)
    }
}
