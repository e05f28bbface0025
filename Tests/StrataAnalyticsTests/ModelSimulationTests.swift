import Foundation
import Testing
import StrataAnalytics

@Suite struct ModelSimulationTests {
    /// The project's targets on 20 seeds: at most 25 % of always-best's cost, at most one
    /// quality point below it, and the planted drop rolled back within 30 generations.
    @Test func meetsTheTargetsOnSeedsOneToTwenty() throws {
        var rows: [String] = []
        var results: [ModelSimulationResult] = []
        for seed in UInt64(1)...20 {
            let result = try ModelSimulation(seed: seed, generations: 500).run()
            results.append(result)
            rows.append("seed \(seed): cost \(String(format: "%.3f", result.costRatioVsBest)) quality \(String(format: "%+.2f", result.qualityDeltaPoints)) "
                + "(observed \(String(format: "%+.2f", result.observedQualityDeltaPoints))) rollback \(result.rollbackAfterGenerations.map(String.init) ?? "none") "
                + "decisions \(result.decisions) \(result.generationsPerModel.sorted { $0.key < $1.key })")
            #expect(result.costRatioVsBest <= 0.25, "seed \(seed) spent \(result.costRatioVsBest) of always-best")
            #expect(result.qualityDeltaPoints >= -1, "seed \(seed) lost \(result.qualityDeltaPoints) points")
            #expect((result.rollbackAfterGenerations ?? .max) <= 30, "seed \(seed) rolled back after \(result.rollbackAfterGenerations.map(String.init) ?? "never")")
        }
        print(rows.joined(separator: "\n"))
        // The scores actually drawn agree with the true means within their noise.
        let observed = results.map(\.observedQualityDeltaPoints).sorted()
        #expect(observed[observed.count / 2] >= -1)
    }

    @Test func followsTheExpectedMigrationsAndLogsThem() throws {
        let result = try ModelSimulation(seed: 7, generations: 500).run()
        let changes = result.log.filter { $0.action != .hold }.map { "\($0.action.rawValue) \($0.after.summary)" }
        #expect(changes.first == "start_canary canary premium → fast (50 %)")
        #expect(changes.contains("promote promoted mini (from fast)"))
        #expect(changes.contains("roll_back rolled back to fast (from mini)"))
        #expect(result.finalState == .rolledBack(to: "fast", from: "mini"))
        #expect(result.log.count == result.decisions)
        // Every logged decision carries its evidence.
        for decision in result.log where decision.action != .hold {
            #expect(decision.evidence.incumbent != nil && decision.evidence.candidate != nil, "\(decision.reason)")
        }
    }

    @Test func isReproducibleForASeedAndDiffersAcrossSeeds() throws {
        let first = try ModelSimulation(seed: 3, generations: 300).run()
        let again = try ModelSimulation(seed: 3, generations: 300).run()
        let other = try ModelSimulation(seed: 4, generations: 300).run()
        #expect(first.cost == again.cost && first.generationsPerModel == again.generationsPerModel)
        #expect(first.cost != other.cost)
    }

    @Test func refusesABadWorld() {
        var world = ModelSimulation.World.standard
        world.best = "nobody"
        #expect(throws: AnalyticsError.self) { try ModelSimulation(seed: 1, world: world).run() }
        #expect(throws: AnalyticsError.self) { try ModelSimulation(seed: 1, generations: 0).run() }
    }
}
