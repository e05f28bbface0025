import ArgumentParser
import Foundation
import StrataAnalytics

extension Strata.Models {
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate moving each stage to a cheaper model: its state, the evidence and the decision.",
            discussion: """
            The state comes from the store's migration log (stable on the most-used model for a stage it has never seen); the \
            decision is one step of the engine on the records: start a canary, promote, roll back or hold. --apply writes the \
            decision to the log, so that the next run continues from it (run it after each batch of generations).
            --json prints {"decisions":[{"stage","action","before","after","reason","evidence":{…}}]}.
            """)

        @OptionGroup var history: HistoryOptions
        @Option(help: "Only this stage (default: every stage in the records).")
        var stage: String?
        @Option(help: "Non-inferiority margin, in quality (0.02 is two points).")
        var margin = 0.02
        @Option(help: "Share of generations a canary takes, 0–1.")
        var canaryShare = 0.10
        @Flag(help: "Write the decisions to the store's migration log.")
        var apply = false

        func run() throws {
            let catalog: AnalyticsCatalog
            if try history.store.exists() {
                catalog = try AnalyticsCatalog.open(storeDirectory: history.store.path, catalog: history.store.catalog())
            } else if apply {
                throw ValidationError("--apply writes to a store's catalog and there is none at \(history.store.path); create one with `strata init --store \(history.store.path)` or give --store")
            } else {
                catalog = try AnalyticsCatalog.inMemory()
            }
            var engine = try MigrationEngine(policy: MigrationPolicy(margin: margin, canaryShare: canaryShare), log: MigrationLog(catalog: catalog))
            for record in try history.history(stage: stage) { engine.observe(record) }
            let stages = stage.map { [$0] } ?? engine.knownStages
            var decisions: [MigrationDecision] = []
            for name in stages {
                let decision = try engine.evaluate(stage: name, at: Date())
                if apply { try engine.apply(decision) }
                decisions.append(decision)
            }
            if history.json {
                printJSON(["decisions": decisions.map(\.jsonObject), "applied": apply])
                return
            }
            for decision in decisions {
                print("\(decision.stage): \(decision.before.summary) → \(decision.action.rawValue.replacingOccurrences(of: "_", with: " "))\(decision.after != decision.before ? ": \(decision.after.summary)" : "")")
                print("  \(decision.reason)")
                let evidence = decision.evidence
                for arm in [evidence.incumbent, evidence.candidate].compactMap({ $0 }) {
                    print("  \(arm.model): \(arm.generations) generations, quality \(format(arm.mean)) (sd \(format(arm.sd)))")
                }
                if let test = evidence.test {
                    print("  difference \(format(test.difference)) ± \(format(1.96 * test.standardError)), t \(format(test.statistic, digits: 2)) on \(format(test.degreesOfFreedom, digits: 1)) df, "
                        + "p(non-inferior) \(format(test.pValue)), p(inferior) \(format(test.inferiorityPValue)), margin \(format(test.margin))\(test.adjusted ? ", similarity-adjusted" : "")")
                }
                if let watch = evidence.watchStatistic { print("  watch: CUSUM \(format(watch, digits: 2)) of \(format(evidence.watchThreshold ?? 0, digits: 1))") }
            }
            if !apply, !decisions.isEmpty { note("nothing written; --apply records these decisions in the store's migration log") }
        }
    }
}

extension MigrationDecision {
    var jsonObject: [String: Any] {
        var evidence: [String: Any] = [:]
        for (key, arm) in [("incumbent", self.evidence.incumbent), ("candidate", self.evidence.candidate)] {
            if let arm { evidence[key] = ["model": arm.model, "generations": arm.generations, "mean": arm.mean, "sd": arm.sd] }
        }
        if let test = self.evidence.test {
            evidence["test"] = [
                "difference": test.difference, "standard_error": test.standardError, "statistic": test.statistic, "degrees_of_freedom": test.degreesOfFreedom,
                "p_value": test.pValue, "inferiority_p_value": test.inferiorityPValue, "margin": test.margin, "adjusted": test.adjusted,
            ]
        }
        if let watch = self.evidence.watchStatistic { evidence["watch_statistic"] = watch }
        if let canary = self.evidence.canaryGenerations { evidence["canary_generations"] = canary }
        return [
            "stage": stage, "time": ISO8601DateFormatter().string(from: time), "action": action.rawValue, "before": before.summary,
            "after": after.summary, "serving": after.incumbent, "reason": reason, "evidence": evidence,
        ]
    }
}
