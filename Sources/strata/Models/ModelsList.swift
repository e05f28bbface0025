import ArgumentParser
import Foundation
import StrataAnalytics

extension Strata.Models {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every model in the records, with its volume, quality and cost.",
            discussion: "--json prints {\"models\":[{\"model\",\"provider\",\"stages\",\"generations\",\"quality\",\"cost_per_generation\",…}]}.")

        @OptionGroup var options: HistoryOptions

        func run() throws {
            let records = try options.history()
            let models = Dictionary(grouping: records, by: \.model).sorted { $0.key < $1.key }
            let rows = models.map { model, records in
                (model, records.last?.provider ?? "", Set(records.map(\.stage)).sorted(), ModelEvidence(records))
            }
            if options.json {
                printJSON(["models": rows.map { model, provider, stages, evidence -> [String: Any] in
                    var object = evidence.jsonObject
                    object["model"] = model
                    object["provider"] = provider
                    object["stages"] = stages
                    return object
                }])
                return
            }
            guard !rows.isEmpty else {
                print("no generation records in \(options.records ?? options.store.path)")
                return
            }
            print(table(["model", "provider", "stages"] + ModelEvidence.header,
                        rows.map { model, provider, stages, evidence in [model, provider, stages.joined(separator: ",")] + evidence.cells }))
        }
    }
}
