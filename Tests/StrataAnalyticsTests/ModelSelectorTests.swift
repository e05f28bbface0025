import Foundation
import StrataKernels
import Testing
import StrataAnalytics

@Suite struct ModelSelectorTests {
    /// Over many random catalogs, histories and budgets, the recommendation's expected cost
    /// (recomputed here from the records and prices) never exceeds the per-generation limit,
    /// and "nothing fits" is only said when nothing does.
    @Test func neverRecommendsAModelOverTheBudget() throws {
        var random = SeededRandom(seed: 99)
        var fixtures = ModelFixtures(seed: 7)
        var refusals = 0
        for state in 0..<300 {
            let count = 2 + Int(random.uniform() * 5)
            var catalog = ModelCatalog()
            var history: [GenerationRecord] = []
            var expected: [String: Double] = [:], prices: [String: Double] = [:]
            for index in 0..<count {
                let name = "m\(index)", price = 0.0005 * pow(100, random.uniform())
                let priced = random.uniform() < 0.7
                if priced {
                    catalog.register(ModelCatalog.Entry(provider: "p", model: name, inputDollarsPerMillionTokens: price * 1e6 / 2200, outputDollarsPerMillionTokens: 4 * price * 1e6 / 2200))
                }
                let generations = random.uniform() < 0.4 ? 0 : Int(random.uniform() * 60)
                let batch = fixtures.records(generations, name, quality: 0.5 + 0.45 * random.uniform(), cost: price)
                history += batch
                if !batch.isEmpty {
                    expected[name] = batch.reduce(0) { $0 + $1.cost! } / Double(batch.count)
                } else if priced {
                    prices[name] = price
                }
            }
            // A model without records is priced at the stage's mean tokens (1,000 in and 300
            // out, where the price was set), or the default 1,000 and 500 with no record at all.
            for (name, price) in prices { expected[name] = history.isEmpty ? price * 3000 / 2200 : price }
            var selector = try ModelSelector(catalog: catalog, history: history, configuration: .init(seed: UInt64(state)))
            let budget: ModelBudget = random.uniform() < 0.5
                ? .remaining(dollars: 0.05 * pow(100, random.uniform()) * 0.1, generations: 1 + Int(random.uniform() * 200))
                : .perGeneration(dollars: 0.0005 * pow(100, random.uniform()))
            let limit = try #require(budget.perGenerationLimit)
            let target = 0.5 + 0.45 * random.uniform()
            do {
                let recommendation = try selector.recommend(stage: "generate", budget: budget, qualityTarget: target)
                let cost = try #require(recommendation.predictedCost, "a budgeted recommendation has a known cost")
                #expect(cost <= limit, "state \(state): \(recommendation.model) at \(cost) over \(limit)")
                #expect(abs((expected[recommendation.model] ?? -1) - cost) < 1e-12)
                for alternative in recommendation.alternatives where !alternative.affordable {
                    #expect(alternative.model != recommendation.model)
                }
            } catch let AnalyticsError.budgetExceeded(refusedLimit, _, cheapestCost) {
                refusals += 1
                #expect(refusedLimit == limit)
                if let cheapestCost { #expect(cheapestCost > limit) }
                for (_, cost) in expected { #expect(cost > limit) }
            }
        }
        // Both outcomes happen, so both branches above were exercised.
        #expect(refusals > 10 && refusals < 290)
    }

    @Test func exploresAModelItHasNeverSeen() throws {
        var fixtures = ModelFixtures(seed: 1)
        let catalog = ModelCatalog([ModelCatalog.Entry(provider: "new", model: "newcomer", inputDollarsPerMillionTokens: 0.1, outputDollarsPerMillionTokens: 0.4)])
        var selector = try ModelSelector(catalog: catalog, history: fixtures.records(120, "incumbent", quality: 0.9, cost: 0.03))
        var explored = 0
        for _ in 0..<100 {
            let recommendation = try selector.recommend(stage: "generate", qualityTarget: 0.85)
            if recommendation.model == "newcomer" {
                explored += 1
                #expect(recommendation.exploring)
                #expect(recommendation.reason.hasPrefix("exploring newcomer: 0 scored generations so far"))
            } else {
                #expect(!recommendation.exploring)
            }
        }
        // Its prior sits at the stage's 0.90, so most draws clear 0.85, not all.
        #expect(explored > 40 && explored < 100, "explored \(explored) of 100")

        // Once its records show it below the target, the draws stop choosing it.
        for record in fixtures.records(12, "newcomer", quality: 0.6, cost: 0.0003) { selector.add(record) }
        var after = 0
        for _ in 0..<100 where try selector.recommend(stage: "generate", qualityTarget: 0.85).model == "newcomer" { after += 1 }
        #expect(after < 5, "still explored \(after) of 100")
    }

    @Test func picksTheCheapestThatMeetsTheTargetOnEnoughEvidence() throws {
        var fixtures = ModelFixtures(seed: 2)
        let history = fixtures.records(200, "large", quality: 0.90, cost: 0.03)
            + fixtures.records(200, "medium", quality: 0.86, cost: 0.004)
            + fixtures.records(200, "small", quality: 0.70, cost: 0.0008)
        for seed in UInt64(0)..<5 {
            var selector = try ModelSelector(history: history, configuration: .init(seed: seed))
            let recommendation = try selector.recommend(stage: "generate", qualityTarget: 0.8)
            #expect(recommendation.model == "medium")
            #expect(!recommendation.exploring)
            #expect(recommendation.confidence > 0.99)
            #expect(recommendation.reason.hasPrefix("medium meets the 0.80 target at 0.86 ± 0.01 over 200 generations and costs 13 % of large"), "\(recommendation.reason)")
            #expect(recommendation.alternatives.map(\.model) == ["small", "medium", "large"])

            let strict = try selector.recommend(stage: "generate", qualityTarget: 0.95)
            #expect(strict.model == "large")
            #expect(strict.confidence < 0.01)
            #expect(strict.reason.hasPrefix("no affordable model meets the 0.95 target; large has the best quality"))

            // Under a cap that leaves out `large`, the best affordable quality is `medium`.
            let capped = try selector.recommend(stage: "generate", budget: .remaining(dollars: 1, generations: 100), qualityTarget: 0.95)
            #expect(capped.model == "medium")
            #expect(capped.reason.contains("the budget allows $0.0100 a generation (1 model over it)"))
        }
    }

    @Test func narrowsToANodeTypeOnlyWhereItHasEnoughEvidence() throws {
        var fixtures = ModelFixtures(seed: 3)
        let history = fixtures.records(100, "generalist", quality: 0.85, cost: 0.01, nodeType: "effect")
            + fixtures.records(100, "generalist", quality: 0.85, cost: 0.01, nodeType: "compute")
            + fixtures.records(60, "specialist", quality: 0.92, cost: 0.002, nodeType: "effect")
            + fixtures.records(100, "specialist", quality: 0.55, cost: 0.002, nodeType: "compute")
            + fixtures.records(10, "specialist", quality: 0.95, cost: 0.002, nodeType: "reducer")
        var selector = try ModelSelector(history: history)
        let effect = try selector.recommend(stage: "generate", nodeType: "effect", qualityTarget: 0.8)
        #expect(effect.model == "specialist")
        #expect(effect.alternatives.first { $0.model == "specialist" }?.scope == "stage generate, node type effect")
        let compute = try selector.recommend(stage: "generate", nodeType: "compute", qualityTarget: 0.8)
        #expect(compute.model == "generalist")
        // Ten reducer generations are too few: the stage as a whole (mean about 0.7) decides.
        let reducer = try selector.recommend(stage: "generate", nodeType: "reducer", qualityTarget: 0.8)
        #expect(reducer.model == "generalist")
        #expect(reducer.alternatives.first { $0.model == "specialist" }?.scope == "stage generate")
    }

    @Test func honoursASuccessRateFloor() throws {
        var fixtures = ModelFixtures(seed: 4)
        var flaky = fixtures.records(100, "flaky", quality: 0.9, cost: 0.001)
        for index in flaky.indices where index % 2 == 0 { flaky[index].outcome = .error }
        let history = flaky + fixtures.records(100, "steady", quality: 0.88, cost: 0.01)
        var lenient = try ModelSelector(history: history)
        #expect(try lenient.recommend(stage: "generate", qualityTarget: 0.8).model == "flaky")
        var strict = try ModelSelector(history: history, configuration: .init(minimumSuccessRate: 0.9))
        #expect(try strict.recommend(stage: "generate", qualityTarget: 0.8).model == "steady")
    }

    @Test func refusesWhatItCannotAnswer() throws {
        var empty = try ModelSelector()
        #expect(throws: AnalyticsError.insufficientData(what: "candidate models (registered or recorded)", needed: 1, got: 0)) {
            try empty.recommend(stage: "generate")
        }
        var fixtures = ModelFixtures(seed: 5)
        var selector = try ModelSelector(history: fixtures.records(5, "a", quality: 0.9, cost: 0.01))
        #expect(throws: AnalyticsError.self) { try selector.recommend(stage: "generate", qualityTarget: 1.5) }
        #expect(throws: AnalyticsError.self) { try selector.recommend(stage: "generate", budget: .remaining(dollars: 1, generations: 0)) }
        #expect(throws: AnalyticsError.self) { try ModelSelector(configuration: .init(minimumEvidence: 0)) }
    }
}
