import ArgumentParser
import Foundation
import StrataIndex
import StrataStore

extension Strata {
    struct Embed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Embed the text of every line of a JSONL file with the store's embedder, into a .fvecs file.",
            discussion: "Row i of the output is line i's vector: the input of `import --vectors`, or query vectors for `bench --store --query-vectors` and for peers.")

        @OptionGroup var options: StoreOptions
        @Argument(help: "JSONL file; each line's \"text\" is embedded.")
        var file: String
        @Option(help: "Output .fvecs file.")
        var out: String

        func run() throws {
            let texts = try PatternStore.readQueries(path: file)
            let store = try options.openForReading()
            let started = Date()
            let vectors = try store.embed(texts)
            let seconds = Date().timeIntervalSince(started)
            let dimension = store.space.dimension
            try store.close()
            try TexmexFile.write(VectorSet(dimension: dimension, values: vectors), to: out)
            if options.json {
                options.emit(["texts": texts.count, "dimension": dimension, "seconds": seconds, "file": out])
            } else {
                print("embedded \(texts.count) texts (\(dimension) dimensions) in \(format(seconds, digits: 2)) s into \(out)")
            }
        }
    }
}
