import ArgumentParser

extension Strata {
    /// `strata models …`: what the generation records say about each model, which model to
    /// use, and moving stages to cheaper models.
    struct Models: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Model statistics, selection, migration and its simulation.",
            discussion: """
            list, stats, recommend and migrate read the generation records of the store's catalog (`strata record` imports \
            them), or with --records FILE.jsonl a file of the same JSON objects (snake_case fields: time, project, stage, \
            provider, model, latency_seconds, input_tokens, output_tokens, cost, quality, top_similarity, outcome). recommend \
            also knows every model with a price in the store (`strata prices set`).
            """,
            subcommands: [List.self, Stats.self, Recommend.self, Migrate.self, Simulate.self]
        )
    }
}
