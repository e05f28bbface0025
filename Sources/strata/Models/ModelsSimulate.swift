import ArgumentParser
import Foundation
import StrataAnalytics

extension Strata.Models {
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the selector and the migration engine against a hidden world and compare with always using the best model.",
            discussion: """
            The world: premium (0.90, $0.030), fast (0.898, $0.0024), tiny (0.62, $0.0002), and mini (0.899, $0.0008) released at \
            generation 100, which loses 13 quality points at generation 250. Canary share 50 %, other engine settings at their defaults.
            --json FILE writes {"cost_ratio_vs_best","quality_delta_points","rollback_after_generations","decisions", then details}.
            """)

        @Option(help: "Seed of the world's noise and the selector's draws.")
        var seed: UInt64 = 1
        @Option(help: "Generations to run.")
        var generations = 500
        @Option(help: "The selector's quality target, 0–1.")
        var qualityTarget = 0.85
        @Option(help: "Write the result as JSON to this file.")
        var json: String?

        func validate() throws {
            guard generations >= 1 else { throw ValidationError("--generations must be at least 1, got \(generations)") }
            guard (0...1).contains(qualityTarget) else { throw ValidationError("--quality-target must be in 0…1, got \(qualityTarget)") }
        }

        func run() throws {
            let result = try ModelSimulation(seed: seed, generations: generations, qualityTarget: qualityTarget).run()
            if let json {
                do {
                    try Data((Self.json(result) + "\n").utf8).write(to: URL(fileURLWithPath: json))
                } catch {
                    throw ValidationError("--json: cannot write \(json): \(error.localizedDescription)")
                }
            }
            print("\(generations) generations, seed \(seed)")
            print("cost: \(format(result.costRatioVsBest * 100, digits: 1)) % of always using the best model ($\(format(result.cost, digits: 2)) against $\(format(result.bestCost, digits: 2)))")
            print("quality: \(String(format: "%+.2f", result.qualityDeltaPoints)) points against it (observed scores \(String(format: "%+.2f", result.observedQualityDeltaPoints)))")
            print("drop rolled back: " + (result.rollbackAfterGenerations.map { "after \($0) generations" } ?? "no"))
            print("generations per model: " + result.generationsPerModel.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                + " (\(result.exploredGenerations) exploring)")
            print("\(result.decisions) decisions logged:")
            for decision in result.log where decision.action != .hold {
                print("  \(decision.action.rawValue.replacingOccurrences(of: "_", with: " ")): \(decision.after.summary)")
            }
        }

        /// The four contract keys first, in order, then the details.
        static func json(_ result: ModelSimulationResult) -> String {
            let fields: [(String, Any)] = [
                ("cost_ratio_vs_best", result.costRatioVsBest), ("quality_delta_points", result.qualityDeltaPoints),
                ("rollback_after_generations", result.rollbackAfterGenerations.map { $0 as Any } ?? NSNull()), ("decisions", result.decisions),
                ("observed_quality_delta_points", result.observedQualityDeltaPoints), ("cost", result.cost), ("best_cost", result.bestCost),
                ("generations_per_model", result.generationsPerModel), ("explored_generations", result.exploredGenerations),
                ("final_state", result.finalState?.summary.map { $0 as Any } ?? NSNull()),
                ("log", result.log.map(\.jsonObject)),
            ]
            let body = fields.map { key, value -> String in
                let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])) ?? Data("null".utf8)
                return "\"\(key)\":" + String(decoding: data, as: UTF8.self)
            }
            return "{" + body.joined(separator: ",") + "}"
        }
    }
}
