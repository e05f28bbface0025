import Foundation
import StrataTracing

/// One run of ``PatternStore/search(_:)``: the request checked, the plan chosen, the legs run,
/// the hits read from the catalog (or the cache) and re-ranked, each step a span of the
/// request's trace when it is traced.
struct SearchExecution {
    let store: PatternStore
    /// The search's own span (`store.search`), annotated with the plan and what it found.
    let span: EngineSpan

    func run(_ request: SearchRequest) throws(StoreError) -> SearchResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        try store.ensureOpen()
        try Self.check(request)
        let query = try SearchLegs.Query(request, store: store)
        let planner = SearchPlanner(efSearch: store.configuration.efSearch, exactScanLimit: store.configuration.exactScanLimit)
        let candidates = planner.candidates(k: request.k, reranks: request.rerank != nil, fuses: query.mode == .hybrid)
        let ef = planner.ef(requested: request.ef, candidates: candidates)
        let tiers = store.tiers.snapshot
        var matched: Int?
        var locations: [VectorLocation] = []
        if !request.filter.isEmpty || request.exact {
            locations = try EngineTrace.span("search.filter") { (span) throws(StoreError) in
                let locations = try FilteredRows(store: store).locations(request.filter)
                span.set("strata.search.matched", locations.count)
                return locations
            }
            matched = locations.count
        }
        let route = planner.route(
            filtered: !request.filter.isEmpty, exact: request.exact, ef: ef, matched: locations.count,
            total: tiers.hot.count + tiers.cold.reduce(0) { $0 + $1.record.live })
        let legs = SearchLegs(query: query, tiers: tiers, metric: store.configuration.metric, candidates: candidates)
        let ranked = try legs.run(
            route: route, matching: locations, filtered: !request.filter.isEmpty, fusion: request.fusion,
            lexicalWeight: request.lexicalWeight ?? store.tiers.settings.defaultLexicalWeight, keeping: request.rerank == nil ? request.k : nil)
        // Hits come from the cache in microseconds, so hydration is no span of its own; the
        // catalog read of the ones missing is.
        var hits = try store.hydrated.hits(ranked, metric: store.configuration.metric) { (missing) throws(StoreError) in
            span.set("strata.search.catalog_reads", missing.count)
            return try store.read { () throws(StoreError) in try store.reader.patterns(rows: missing) }
        }
        if let weights = request.rerank {
            hits = EngineTrace.span("search.rerank") { _ in SearchRanking.rerank(hits, weights: weights, queryText: query.text) }
        }
        if hits.count > request.k { hits.removeLast(hits.count - request.k) }
        if span.isRecording {
            span.set("strata.search.k", request.k)
            span.set("strata.search.mode", query.mode.rawValue)
            span.set("strata.search.plan", route == .exact ? "exact" : "graph")
            span.set("strata.search.hits", hits.count)
        }
        let took = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000
        return SearchResponse(hits: hits, plan: route == .exact ? .exact : .graph, mode: query.mode, matched: matched, tookMicroseconds: took)
    }

    /// Refuses k, ef or a lexical weight out of range.
    private static func check(_ request: SearchRequest) throws(StoreError) {
        guard (1...10_000).contains(request.k) else { throw .invalidArgument(name: "k", value: "\(request.k)", expected: "1 to 10,000") }
        if let ef = request.ef, !(1...100_000).contains(ef) { throw .invalidArgument(name: "ef", value: "\(ef)", expected: "1 to 100,000") }
        if let weight = request.lexicalWeight, !(0...100).contains(weight) {
            throw .invalidArgument(name: "lexical weight", value: "\(weight)", expected: "0 to 100 (1: the lexical leg counts as much as the dense one)")
        }
    }
}
