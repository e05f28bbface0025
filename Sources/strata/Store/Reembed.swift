import ArgumentParser
import Foundation
import StrataStore

extension Strata {
    struct Reembed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Switch the store to another embedder (or refit the built-in one) and re-embed every pattern.",
            discussion: """
            All vectors go into one new segment; the switch commits in one transaction, so a crash leaves the store as it was. \
            --embedder static distills the static embedder anew on the store's current corpus (its frequent words through the \
            sentence encoder, its word counts as weights): run it after the corpus has grown or changed. Replicas of a shared \
            store follow the switch without a restart.
            """)

        @OptionGroup var options: StoreOptions
        @Option(help: "Embedder: static, encoder, builtin or openai.")
        var embedder: EmbedderChoice = .builtin
        @Option(help: "Vector dimension of the new space (default: 256 for static, the model's for encoder, the store's otherwise).")
        var dim: Int?
        @Option(help: "Embedding server URL for --embedder openai.")
        var endpoint: String?
        @Option(help: "Embedding model for --embedder openai.")
        var model: String?

        func run() throws {
            var dimension = dim
            if dimension == nil, embedder == .builtin || embedder == .openai {
                let store = try options.open()
                dimension = store.space.dimension
                try store.close()
            }
            guard embedder != .none else { throw ValidationError("--embedder none cannot embed texts; choose static, encoder, builtin or openai") }
            let (made, settings) = try embedder.make(dimension: dimension, endpoint: endpoint, model: model)
            let report = try PatternStore.reembed(at: options.path, embedder: made!, settings: settings)
            if options.json {
                options.emit(["patterns": report.patterns, "from": report.from, "to": report.to, "dimension": report.dimension, "seconds": report.seconds])
            } else {
                print("re-embedded \(report.patterns) patterns from \(report.from) to \(report.to) (\(report.dimension) dimensions) in \(format(report.seconds, digits: 2)) s")
            }
        }
    }
}
