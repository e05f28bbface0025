import ArgumentParser

extension Strata {
    /// `strata models …`: what the generation records say about each model, which model to
    /// use, and moving stages to cheaper models.
    struct Models: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Model statistics, selection, migration and its simulation.",
            discussion: """
            list, stats, recommend and migrate read generation records from --records FILE.jsonl, one JSON object a line with \
            snake_case fields: time, project, stage, provider, model, latency_seconds, input_tokens, output_tokens, cost, quality, \
            top_similarity, outcome.
            """,
            subcommands: [List.self, Stats.self, Recommend.self, Migrate.self, Simulate.self]
        )
    }
}
