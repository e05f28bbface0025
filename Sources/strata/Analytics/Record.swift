import ArgumentParser
import Foundation
import StrataAnalytics

extension Strata {
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record generations from a JSON Lines file (one record per line).",
            discussion: """
            Fields (snake_case): provider and model (required), time (ISO 8601 or epoch seconds; default now), project, \
            environment, prompt, node_type, domain, stage, latency_ms or latency_seconds, input_tokens, output_tokens, \
            cost (dollars; computed from `strata prices` when absent), quality (0-1), gates_passed, gates_failed, \
            pattern_ids (arrays of strings), top_similarity, outcome (success, failure or error). Every line is checked \
            before any is written; an error names the file and line.
            """)

        @OptionGroup var options: StoreOptions
        @Argument(help: "The JSON Lines file.")
        var file: String

        func run() throws {
            let recorded = try options.tracker().importJSONL(path: file)
            let cost = recorded.reduce(0) { $0 + ($1.cost ?? 0) }
            if options.json {
                options.emit(["recorded": recorded.count, "cost": cost, "records": recorded.map(\.jsonObject)])
            } else {
                print("recorded \(recorded.count) generation(s) from \(file), \(dollars(cost)) in all")
            }
        }
    }

    struct Records: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recorded generations, the most recent first.")

        @OptionGroup var options: StoreOptions
        @Option(help: "Only this model.") var model: String?
        @Option(help: "Only this stage.") var stage: String?
        @Option(help: "Only this project.") var project: String?
        @Option(help: "Only this environment (dev, staging, prod).") var environment: String?
        @Option(help: "Records at or after this time. Format: yyyy-mm-dd, ISO 8601 or epoch seconds.") var since: DateArgument?
        @Option(help: "Records before this time. Format: yyyy-mm-dd, ISO 8601 or epoch seconds.") var until: DateArgument?
        @Option(help: "At most this many records.") var limit: Int = 20

        func run() throws {
            let query = RecordQuery(model: model, stage: stage, project: project, environment: environment, from: since?.date, to: until?.date, limit: limit)
            let records = try options.tracker().records(matching: query)
            if options.json {
                options.emit(["records": records.map(\.jsonObject)])
                return
            }
            print(table(["time", "project", "environment", "stage", "model", "latency", "cost", "quality", "outcome"], records.map { record in
                [Date.ISO8601FormatStyle().format(record.time), record.project, record.environment, record.stage, record.model,
                 format(record.latencySeconds, digits: 2) + " s", dollars(record.cost ?? 0),
                 record.quality.map { format($0, digits: 2) } ?? "-", record.outcome.rawValue]
            }))
        }
    }
}
