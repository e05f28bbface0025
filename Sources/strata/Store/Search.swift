import ArgumentParser
import Foundation
import StrataStore

extension Strata {
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find the patterns nearest a text.",
            discussion: """
            --filter takes clauses joined by commas (all must hold): node_type=effect, node_type=effect|compute, \
            domain=…, language=…, kind=…, lifecycle=…, tier=hot|cold, tags=a|b (any), tags=a+b (all), quality>=0.7, \
            quality<0.9, created>=2026-01-01.
            --mode picks the legs: hybrid (the default for a store with text: the query's embedding and its words, \
            fused by --fusion dbsf|rrf with the lexical leg weighted --lexical-weight), dense (the embedding only) or lexical (BM25 over the patterns' words only).
            --json prints {"results":[{"id","score","similarity","name","node_type","quality",…}],"took_us":N,"plan","mode"}.
            """)

        @OptionGroup var options: StoreOptions
        @Argument(help: "What to look for: a description or a piece of code.")
        var text: String
        @Option(help: "Results wanted.")
        var k: Int = 10
        @Option(help: "Filter expression. Format: node_type=effect,quality>=0.7")
        var filter: String?
        @Option(help: "Graph candidate list size (default: the store's).")
        var ef: Int?
        @Flag(help: "Scan every matching vector (exact) instead of walking the graphs.")
        var exact = false
        @Option(help: "Re-rank weights. Format: semantic=1,keyword=0.3,quality=0.2,success=0.1")
        var rerank: String?
        @Option(help: "Retrieval legs: hybrid, dense or lexical (default: hybrid; lexical for a store without an embedder).")
        var mode: SearchMode?
        @Option(help: "How hybrid fuses its legs: dbsf (distribution-based scores) or rrf (reciprocal rank).")
        var fusion: FusionMethod = .dbsf
        @Option(name: .customLong("lexical-weight"), help: "The lexical leg's weight against the dense leg's 1 in hybrid search (default: 3 for the built-in and static embedders, whose vectors match words with code less well, 1 for a sentence encoder or an embedding service).")
        var lexicalWeight: Double?
        @Flag(help: "Include each pattern's text in JSON output.")
        var withText = false

        func run() throws {
            let request = SearchRequest(
                query: .text(text), k: k, filter: try parseFilter(filter), ef: ef, rerank: try rerank.map(parseWeights), exact: exact,
                mode: mode, fusion: fusion, lexicalWeight: lexicalWeight)
            let store = try options.openForReading()
            let response = try store.search(request)
            try store.close()
            if options.json {
                let results: [[String: Any]] = response.hits.map { hit in
                    var object = hit.pattern.jsonObject(includeText: withText)
                    object["score"] = hit.score
                    object["similarity"] = hit.similarity
                    return object
                }
                var output: [String: Any] = ["results": results, "took_us": Int(response.tookMicroseconds.rounded()), "plan": response.plan.rawValue, "mode": response.mode.rawValue]
                if let matched = response.matched { output["matched"] = matched }
                options.emit(output)
                return
            }
            if response.hits.isEmpty {
                print("no patterns found")
            } else {
                print(table(["score", "id", "name", "node type", "language", "quality", "tier"],
                            response.hits.map { [format($0.score)] + $0.pattern.summaryCells }))
            }
            print("\(response.hits.count) result(s) in \(Int(response.tookMicroseconds)) µs (\(response.mode.rawValue), \(response.plan.rawValue)\(response.matched.map { ", \($0) matched the filter" } ?? ""))")
        }

        func parseWeights(_ text: String) throws -> RerankWeights {
            var weights = RerankWeights(semantic: 1)
            for part in text.split(separator: ",") {
                let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pieces.count == 2, let value = Double(pieces[1]), value >= 0 else {
                    throw ValidationError("--rerank: \"\(part)\" is not NAME=WEIGHT with a weight of 0 or more")
                }
                switch pieces[0] {
                case "semantic": weights.semantic = value
                case "keyword": weights.keyword = value
                case "quality": weights.quality = value
                case "success", "success_rate": weights.successRate = value
                default: throw ValidationError("--rerank: unknown weight \"\(pieces[0])\"; expected semantic, keyword, quality or success")
                }
            }
            return weights
        }
    }
}
