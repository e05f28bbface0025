import Foundation
import Testing
import StrataAnalytics

@Suite struct MigrationEngineTests {
    /// Feeds the engine `count` generations routed by it, `quality(model, index)` their true
    /// mean, and steps after each; returns the decisions that changed the state.
    static func drive(_ engine: inout MigrationEngine, _ fixtures: inout ModelFixtures, count: Int, costs: [String: Double],
                      quality: (String, Int) -> Double) throws -> [(index: Int, decision: MigrationDecision)] {
        var changes: [(Int, MigrationDecision)] = []
        for index in 0..<count {
            let routed = engine.route(stage: "generate")
            let model = try #require(routed)
            engine.observe(fixtures.record(model, quality: quality(model, index), cost: costs[model]!))
            let decision = try engine.step(stage: "generate", at: fixtures.clock)
            if decision.after != decision.before { changes.append((index, decision)) }
        }
        return changes
    }

    static let costs = ["premium": 0.03, "cheap": 0.002]

    /// An engine on `premium` (60 generations) with `cheap` (40 generations) recorded beside it.
    static func engine(seed: UInt64, cheapQuality: Double = 0.9, cheapCount: Int = 40, log: MigrationLog? = nil) throws -> (MigrationEngine, ModelFixtures) {
        var fixtures = ModelFixtures(seed: seed)
        var engine = try MigrationEngine(log: log)
        engine.begin(stage: "generate", model: "premium", at: fixtures.clock)
        for record in fixtures.records(60, "premium", quality: 0.9, cost: 0.03) + fixtures.records(cheapCount, "cheap", quality: cheapQuality, cost: 0.002) {
            engine.observe(record)
        }
        return (engine, fixtures)
    }

    @Test func holdsWithTooFewGenerations() throws {
        var (engine, fixtures) = try Self.engine(seed: 1, cheapCount: 12)
        let decision = try engine.step(stage: "generate", at: fixtures.clock)
        #expect(decision.action == .hold)
        #expect(decision.reason.contains("too few generations: cheap 12 of 30"), "\(decision.reason)")
        #expect(engine.state(of: "generate") == .stable(model: "premium"))

        var fresh = try MigrationEngine()
        fresh.begin(stage: "generate", model: "premium", at: fixtures.clock)
        for record in fixtures.records(10, "premium", quality: 0.9, cost: 0.03) { fresh.observe(record) }
        #expect(try fresh.step(stage: "generate", at: fixtures.clock).reason == "premium has 10 of 30 scored generations needed for a comparison")
    }

    @Test func startsACanaryWhenTheCheaperModelIsNonInferiorAndNotWhenItIsWorse() throws {
        var (engine, fixtures) = try Self.engine(seed: 2)
        let decision = try engine.step(stage: "generate", at: fixtures.clock)
        #expect(decision.action == .startCanary)
        #expect(engine.state(of: "generate") == .canary(from: "premium", to: "cheap", share: 0.1))
        #expect(decision.evidence.incumbent?.generations == 60 && decision.evidence.candidate?.generations == 40)
        #expect(decision.reason.hasPrefix("cheap costs 6."), "\(decision.reason)")
        #expect(decision.reason.contains("% of premium and, over 40 generations"))
        #expect(decision.reason.hasSuffix("trying it on 10 % of generations"))
        // The canary takes exactly its share, evenly spread.
        let routes = (0..<1000).map { _ in engine.route(stage: "generate")! }
        #expect(routes.filter { $0 == "cheap" }.count == 100)
        #expect(routes[9] == "cheap" && routes[0..<9].allSatisfy { $0 == "premium" })

        var (worse, later) = try Self.engine(seed: 2, cheapQuality: 0.80)
        let held = try worse.step(stage: "generate", at: later.clock)
        #expect(held.action == .hold)
        #expect(held.reason.contains("worse by more than the 0.020 margin: cheap"), "\(held.reason)")
        _ = later.record("premium", quality: 0.9, cost: 0.03)
    }

    @Test func promotesWhenQualityHoldsThenRollsBackAPlantedDrop() throws {
        var (engine, fixtures) = try Self.engine(seed: 3)
        _ = try engine.step(stage: "generate", at: fixtures.clock)
        let promotion = try Self.drive(&engine, &fixtures, count: 1500, costs: Self.costs) { _, _ in 0.9 }
        let promote = try #require(promotion.first)
        #expect(promote.decision.action == .promote)
        #expect(promote.decision.evidence.test.map { $0.pValue < 0.05 } == true)
        #expect((promote.decision.evidence.canaryGenerations ?? 0) >= 30)
        #expect(engine.state(of: "generate") == .promoted(from: "premium", to: "cheap"))

        // Quality 12 points down from the first watched generation on.
        let drop = try Self.drive(&engine, &fixtures, count: 60, costs: Self.costs) { model, _ in model == "cheap" ? 0.78 : 0.9 }
        let rollBack = try #require(drop.first)
        #expect(rollBack.decision.action == .rollBack)
        #expect(rollBack.index < 15, "rolled back after \(rollBack.index + 1) generations")
        #expect(engine.state(of: "generate") == .rolledBack(to: "premium", from: "cheap"))
        #expect(engine.rejected(stage: "generate", at: fixtures.clock) == ["cheap"])
        #expect(rollBack.decision.reason.hasPrefix("the quality of cheap fell"))
        // Rejected, the same model is not tried again.
        #expect(try engine.step(stage: "generate", at: fixtures.clock).action == .hold)
    }

    @Test func rollsBackACanaryShownInferior() throws {
        var (engine, fixtures) = try Self.engine(seed: 4, cheapQuality: 0.885)
        #expect(try engine.step(stage: "generate", at: fixtures.clock).action == .startCanary)
        // 5 points worse in the canary: the test shows it before the CUSUM's 10-point tuning would.
        let changes = try Self.drive(&engine, &fixtures, count: 3000, costs: Self.costs) { model, _ in model == "cheap" ? 0.85 : 0.9 }
        #expect(changes.first?.decision.action == .rollBack)
    }

    /// Equal models and pure noise: how often does anything roll back? Measured on 50 seeds,
    /// each a canary, its promotion and 300 watched generations.
    @Test func rarelyRollsBackOnNoise() throws {
        var rollBacks = 0, promotions = 0
        for seed in UInt64(100)..<150 {
            var (engine, fixtures) = try Self.engine(seed: seed)
            _ = try engine.step(stage: "generate", at: fixtures.clock)
            var promotedAt: Int?
            var index = 0
            while index < 3000, promotedAt.map({ index - $0 < 300 }) ?? true {
                let changes = try Self.drive(&engine, &fixtures, count: 1, costs: Self.costs) { _, _ in 0.9 }
                if changes.first?.decision.action == .promote { promotedAt = index; promotions += 1 }
                if changes.first?.decision.action == .rollBack { rollBacks += 1; break }
                index += 1
            }
        }
        print("noise: \(rollBacks) roll-backs and \(promotions) promotions in 50 seeds")
        #expect(rollBacks <= 2)
        #expect(promotions >= 45)
    }

    /// The hardest honest case for the watch: a promoted model exactly at the margin (two
    /// points below the baseline), 300 generations on each of 50 seeds.
    @Test func rarelyRollsBackAModelExactlyAtTheMargin() throws {
        var rollBacks = 0
        for seed in UInt64(200)..<250 {
            var (engine, fixtures) = try Self.engine(seed: seed)
            let start = try engine.evaluate(stage: "generate", at: fixtures.clock)
            try engine.apply(start)
            try engine.apply(MigrationDecision(stage: "generate", time: fixtures.clock, action: .promote, before: start.after,
                                               after: .promoted(from: "premium", to: "cheap"), evidence: start.evidence, reason: "forced"))
            let changes = try Self.drive(&engine, &fixtures, count: 300, costs: Self.costs) { model, _ in model == "cheap" ? 0.88 : 0.9 }
            if changes.contains(where: { $0.decision.action == .rollBack }) { rollBacks += 1 }
        }
        print("at the margin: \(rollBacks) roll-backs in 50 seeds of 300 generations")
        #expect(rollBacks <= 3)
    }

    @Test func logsDecisionsAndResumesFromTheLog() throws {
        let path = NSTemporaryDirectory() + "strata-migrations-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try MigrationLog(catalog: AnalyticsCatalog(path: path, create: true))
        var (engine, fixtures) = try Self.engine(seed: 5, log: log)
        var decisions = [try engine.step(stage: "generate", at: fixtures.clock)]
        decisions += try Self.drive(&engine, &fixtures, count: 1500, costs: Self.costs) { _, _ in 0.9 }.map(\.decision)
        let logged = try log.decisions()
        #expect(logged.count >= 3)
        #expect(logged.map(\.action).prefix(3) == [.startCanary, .hold, .promote])
        let changes = logged.filter { $0.action != .hold }
        #expect(changes.map { $0.evidence } == decisions.filter { $0.action != .hold }.map(\.evidence))
        #expect(changes.map(\.reason) == decisions.filter { $0.action != .hold }.map(\.reason))
        #expect(logged.allSatisfy { $0.id != nil && $0.stage == "generate" })
        #expect(try log.decisions(stage: "refine").isEmpty)

        // A new process opens the same catalog and resumes the promoted stage.
        let reopened = try MigrationEngine(log: MigrationLog(catalog: AnalyticsCatalog(path: path, create: false)))
        #expect(reopened.state(of: "generate") == .promoted(from: "premium", to: "cheap"))
    }

    @Test func refusesABadPolicyAndAnUnknownStage() throws {
        #expect(throws: AnalyticsError.self) { try MigrationEngine(policy: MigrationPolicy(margin: -0.1)) }
        #expect(throws: AnalyticsError.self) { try MigrationEngine(policy: MigrationPolicy(canaryShare: 1)) }
        let engine = try MigrationEngine()
        #expect(throws: AnalyticsError.insufficientData(what: "generations in stage 'nowhere'", needed: 1, got: 0)) {
            try engine.evaluate(stage: "nowhere", at: Date())
        }
    }
}
