import Foundation
import StrataIndex
import StrataKernels
import StrataTracing

/// The legs of one search, run on one snapshot of the tiers and fused into one ranking.
struct SearchLegs {
    /// A search's query made ready for its legs: the mode it runs, its text (for the lexical
    /// leg and keyword re-ranking) and its vector (for the dense leg).
    struct Query {
        let mode: SearchMode
        let text: String?
        let vector: [Float]?

        /// Embeds a text unless only the lexical leg runs; checks a vector against the space.
        init(_ request: SearchRequest, store: PatternStore) throws(StoreError) {
            switch request.query {
            case let .text(text):
                guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .emptyText(id: "query") }
                let embedder = store.tiers.embedder
                mode = request.mode ?? (embedder == nil ? .lexical : .hybrid)
                self.text = text
                if mode == .lexical {
                    vector = nil
                } else {
                    let embedder = try store.requireEmbedder()
                    vector = try embedding { () throws(EmbeddingError) in try embedder.embed([text]) }
                }
            case let .vector(vector):
                mode = request.mode ?? .dense
                guard mode == .dense else {
                    throw .invalidArgument(name: "mode", value: mode.rawValue, expected: "dense for a vector query (a vector has no words to match); send the text for a lexical or hybrid search")
                }
                self.vector = try store.space.prepared(vector)
                text = nil
            }
        }
    }

    /// A result of the legs: its row, its ranking score (higher is better), and its distance
    /// to the query vector when the search has one.
    struct Ranked {
        var row: UInt64
        var score: Float
        var distance: Float?
    }

    let query: Query
    let tiers: TierSnapshot
    let metric: Metric
    /// Results each leg gathers (the lexical leg of a hybrid search at least
    /// ``fusedLexicalDepth``).
    let candidates: Int

    /// How deep the lexical leg of a fused search looks. Distribution-based fusion scales a leg
    /// by its own mean and spread, and the BM25 scores of a short list are all high and close:
    /// its best is squeezed toward the rest. A hundred gives the distribution its tail
    /// (retrieval dev set, Benchmarks/retrieval, MRR@10 with docstrings: 0.967 at 30, 0.972 at
    /// 100; the extra hits cost a few microseconds of distances).
    static let fusedLexicalDepth = 100

    /// The legs the query's mode names, each over both tiers under the filter, fused; the
    /// best `keeping` of them when given. A search that re-ranks nothing keeps its `k`: only
    /// those are read from the catalog, where a fused list runs to some 130 rows.
    func run(
        route: SearchPlanner.Route, matching: [VectorLocation], filtered: Bool, fusion: FusionMethod, lexicalWeight: Double, keeping: Int? = nil
    ) throws(StoreError) -> [Ranked] {
        let ranked = try ranking(route: route, matching: matching, filtered: filtered, fusion: fusion, lexicalWeight: lexicalWeight)
        return keeping.map { Array(ranked.prefix($0)) } ?? ranked
    }

    private func ranking(route: SearchPlanner.Route, matching: [VectorLocation], filtered: Bool, fusion: FusionMethod, lexicalWeight: Double) throws(StoreError) -> [Ranked] {
        switch query.mode {
        case .dense:
            return try dense(route: route, matching: matching).map { Ranked(row: $0.id, score: metric.score(fromDistance: $0.distance), distance: $0.distance) }
        case .lexical:
            return lexical(matching: matching, filtered: filtered).map { Ranked(row: $0.hit.row, score: $0.hit.score, distance: $0.distance) }
        case .hybrid:
            let dense = try dense(route: route, matching: matching)
            let lexical = lexical(matching: matching, filtered: filtered)
            var distances: [UInt64: Float] = [:]
            for result in dense { distances[result.id] = result.distance }
            for (hit, distance) in lexical where distances[hit.row] == nil { distances[hit.row] = distance }
            let fused = SearchFusion(method: fusion).fuse([
                dense.map { SearchFusion.Candidate(row: $0.id, score: metric.score(fromDistance: $0.distance)) },
                lexical.map { SearchFusion.Candidate(row: $0.hit.row, score: $0.hit.score) },
            ], weights: [1, Float(lexicalWeight)])
            return fused.map { Ranked(row: $0.row, score: $0.score, distance: distances[$0.row]) }
        }
    }

    private func dense(route: SearchPlanner.Route, matching: [VectorLocation]) throws(StoreError) -> [SearchResult] {
        guard let vector = query.vector else { return [] }
        return try EngineTrace.span("search.dense") { (span) throws(StoreError) in
            let results = try tiers.nearest(vector, k: candidates, route: route, matching: matching, metric: metric)
            span.set("strata.search.candidates", results.count)
            return results
        }
    }

    private func lexical(matching: [VectorLocation], filtered: Bool) -> [(hit: LexicalHit, distance: Float?)] {
        guard let text = query.text else { return [] }
        let accepted = filtered ? RowSet(matching.map(\.row)) : nil
        let accept: ((UInt64) -> Bool)? = accepted.map { rows in { rows.contains($0) } }
        let depth = query.mode == .hybrid ? max(candidates, Self.fusedLexicalDepth) : candidates
        return EngineTrace.span("search.lexical") { span in
            let hits = tiers.lexicalNearest(tiers.lexicalQuery(text), k: depth, accept: accept, vector: query.vector, metric: metric)
            span.set("strata.search.candidates", hits.count)
            return hits
        }
    }
}
