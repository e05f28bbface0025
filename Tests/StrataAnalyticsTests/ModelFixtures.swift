import Foundation
import StrataKernels
import StrataAnalytics

/// Generation records for the model tests, with noise from a seeded generator.
struct ModelFixtures {
    var random: SeededRandom
    var clock = Date(timeIntervalSince1970: 1_767_225_600)

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    /// One record of `model` scoring about `quality` (spread `sd`) at about `cost` dollars,
    /// one minute after the previous one.
    mutating func record(_ model: String, quality: Double, sd: Double = 0.05, cost: Double, stage: String = "generate",
                         nodeType: String = "none", domain: String = "general") -> GenerationRecord {
        clock = clock.addingTimeInterval(60)
        let score = min(max(quality + sd * random.standardNormal(), 0), 1)
        return GenerationRecord(time: clock, nodeType: nodeType, domain: domain, stage: stage, provider: "test", model: model,
                                inputTokens: 1000, outputTokens: 300, cost: cost * (0.8 + 0.4 * random.uniform()), quality: score)
    }

    mutating func records(_ count: Int, _ model: String, quality: Double, sd: Double = 0.05, cost: Double, stage: String = "generate",
                          nodeType: String = "none", domain: String = "general") -> [GenerationRecord] {
        (0..<count).map { _ in record(model, quality: quality, sd: sd, cost: cost, stage: stage, nodeType: nodeType, domain: domain) }
    }
}
