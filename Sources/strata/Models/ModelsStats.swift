import ArgumentParser
import Foundation
import StrataAnalytics

extension Strata.Models {
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Quality, cost, latency and volume per model and stage.",
            discussion: "--json prints {\"stats\":[{\"stage\",\"model\",\"generations\",\"quality\",\"quality_sd\",\"success_rate\",\"cost_per_generation\",…}]}.")

        @OptionGroup var options: HistoryOptions
        @Option(help: "Only this stage.")
        var stage: String?
        @Option(help: "Only records from this time on. Format: yyyy-mm-dd or 2026-03-01T12:00:00Z")
        var since: DateArgument?

        func run() throws {
            let records = try options.history(stage: stage, since: since?.date)
            let groups = Dictionary(grouping: records) { [$0.stage, $0.model] }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            if options.json {
                printJSON(["stats": groups.map { key, records -> [String: Any] in
                    var object = ModelEvidence(records).jsonObject
                    object["stage"] = key[0]
                    object["model"] = key[1]
                    return object
                }])
                return
            }
            guard !groups.isEmpty else {
                print("no generation records\(stage.map { " for stage \($0)" } ?? "")\(since == nil ? "" : " in that period")")
                return
            }
            print(table(["stage", "model"] + ModelEvidence.header, groups.map { key, records in key + ModelEvidence(records).cells }))
        }
    }
}
