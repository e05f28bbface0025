import ArgumentParser
import Foundation
import StrataAnalytics

extension Strata.Models {
    struct Recommend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The model to use for a stage under a quality target and a budget.",
            discussion: """
            The cheapest model whose quality meets the target; when none does, the best quality the budget affords. A model with \
            fewer than 30 scored generations is judged on a draw from its uncertain quality (exploration), reproducible with --seed.
            --budget DOLLARS with --generations N allows DOLLARS/N a generation; --budget alone is the cap per generation.
            --json prints {"model","provider","predicted_quality","uncertainty","predicted_cost","confidence","exploring","reason","alternatives":[…]}.
            """)

        @OptionGroup var options: HistoryOptions
        @Option(help: "The pipeline stage (generate, refine, ...).")
        var stage: String
        @Option(help: "Narrow the evidence to this node type where it holds enough.")
        var nodeType: String?
        @Option(help: "Narrow the evidence to this domain where it holds enough.")
        var domain: String?
        @Option(help: "Dollars: left to spend (with --generations) or the cap per generation (alone).")
        var budget: Double?
        @Option(help: "Generations the --budget must cover.")
        var generations: Int?
        @Option(help: "Mean quality wanted, 0–1.")
        var qualityTarget: Double = 0.8
        @Option(help: "Seed of the exploration draws.")
        var seed: UInt64 = 0

        func validate() throws {
            if generations != nil, budget == nil { throw ValidationError("--generations needs --budget (the dollars those generations may spend)") }
            if let generations, generations < 1 { throw ValidationError("--generations must be at least 1, got \(generations)") }
            if let budget, !(budget >= 0) { throw ValidationError("--budget must be dollars ≥ 0, got \(budget)") }
            guard (0...1).contains(qualityTarget) else { throw ValidationError("--quality-target must be in 0…1, got \(qualityTarget)") }
        }

        func run() throws {
            var selector = try ModelSelector(catalog: try options.modelCatalog(), history: try options.history(), configuration: .init(seed: seed))
            let limit: ModelBudget = budget.map { dollars in generations.map { .remaining(dollars: dollars, generations: $0) } ?? .perGeneration(dollars: dollars) } ?? .unlimited
            let choice = try selector.recommend(stage: stage, nodeType: nodeType, domain: domain, budget: limit, qualityTarget: qualityTarget)
            if options.json {
                var object: [String: Any] = [
                    "model": choice.model, "provider": choice.provider, "predicted_quality": choice.predictedQuality, "uncertainty": choice.uncertainty,
                    "confidence": choice.confidence, "exploring": choice.exploring, "reason": choice.reason,
                    "alternatives": choice.alternatives.map { candidate -> [String: Any] in
                        var object: [String: Any] = [
                            "model": candidate.model, "provider": candidate.provider, "predicted_quality": candidate.predictedQuality,
                            "uncertainty": candidate.uncertainty, "evidence": candidate.evidence, "scope": candidate.scope,
                            "affordable": candidate.affordable, "confidence": candidate.confidence, "exploring": candidate.thin,
                        ]
                        if let cost = candidate.predictedCost { object["predicted_cost"] = cost }
                        return object
                    },
                ]
                if let cost = choice.predictedCost { object["predicted_cost"] = cost }
                printJSON(object)
                return
            }
            print("\(choice.model) (\(choice.provider))\(choice.exploring ? ", exploring" : "")")
            print(choice.reason)
            print("expected quality \(format(choice.predictedQuality)) ± \(format(choice.uncertainty)), cost \(choice.predictedCost.map { "$" + format($0, digits: 5) } ?? "unknown") a generation, "
                + "P(meets \(format(qualityTarget, digits: 2))) = \(format(choice.confidence, digits: 2))")
            print("")
            print(table(["model", "quality", "cost/gen", "evidence", "scope", "P(meets)", "affordable"], choice.alternatives.map { candidate in
                [candidate.model, "\(format(candidate.predictedQuality)) ± \(format(candidate.uncertainty))", candidate.predictedCost.map { "$" + format($0, digits: 5) } ?? "-",
                 "\(candidate.evidence)", candidate.scope, format(candidate.confidence, digits: 2), candidate.affordable ? "yes" : "no"]
            }))
        }
    }
}
