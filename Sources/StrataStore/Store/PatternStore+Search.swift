import Foundation

extension PatternStore {
    /// Finds the patterns nearest a text or vector.
    ///
    /// A text runs two legs by default (``SearchMode/hybrid``): its embedding against the
    /// vectors, and its words against the BM25 index of the patterns' texts; the two rankings
    /// are fused (``FusionMethod``). A vector runs the dense leg only.
    ///
    /// Plan: with a filter, the catalog's payload indexes list the matching patterns; at most
    /// ``StoreConfiguration/exactScanLimit`` of them are scanned exactly (one BLAS
    /// matrix-vector product), more are searched in the graphs with the filter as a
    /// predicate and a candidate list widened by the filter's selectivity; the lexical leg
    /// takes the same filter. Both tiers are searched, tombstones skipped, results hydrated.
    ///
    /// - Throws: ``StoreError/invalidArgument(name:value:expected:)`` for k or ef out of range
    ///   or a lexical search for a vector, ``StoreError/dimensionMismatch(space:got:)`` or
    ///   ``StoreError/nonFiniteVector(space:position:)`` for a vector outside the store's
    ///   space, ``StoreError/emptyText(id:)`` for an empty text.
    public func search(_ request: SearchRequest) throws(StoreError) -> SearchResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        try ensureOpen()
        guard (1...10_000).contains(request.k) else { throw .invalidArgument(name: "k", value: "\(request.k)", expected: "1 to 10,000") }
        if let ef = request.ef, !(1...100_000).contains(ef) { throw .invalidArgument(name: "ef", value: "\(ef)", expected: "1 to 100,000") }
        if let weight = request.lexicalWeight, !(0...100).contains(weight) {
            throw .invalidArgument(name: "lexical weight", value: "\(weight)", expected: "0 to 100 (1: the lexical leg counts as much as the dense one)")
        }
        let query = try SearchLegs.Query(request, store: self)
        let planner = SearchPlanner(efSearch: configuration.efSearch, exactScanLimit: configuration.exactScanLimit)
        let candidates = planner.candidates(k: request.k, reranks: request.rerank != nil, fuses: query.mode == .hybrid)
        let ef = planner.ef(requested: request.ef, candidates: candidates)
        let tiers = self.tiers.snapshot
        var matched: Int?
        var locations: [VectorLocation] = []
        if !request.filter.isEmpty || request.exact {
            locations = try FilteredRows(store: self).locations(request.filter)
            matched = locations.count
        }
        let route = planner.route(
            filtered: !request.filter.isEmpty, exact: request.exact, ef: ef, matched: locations.count,
            total: tiers.hot.count + tiers.cold.reduce(0) { $0 + $1.record.live })
        let legs = SearchLegs(query: query, tiers: tiers, metric: configuration.metric, candidates: candidates)
        let ranked = try legs.run(
            route: route, matching: locations, filtered: !request.filter.isEmpty, fusion: request.fusion,
            lexicalWeight: request.lexicalWeight ?? self.tiers.settings.defaultLexicalWeight, keeping: request.rerank == nil ? request.k : nil)
        var hits = try hydrated.hits(ranked, metric: configuration.metric) { (missing) throws(StoreError) in
            try read { () throws(StoreError) in try reader.patterns(rows: missing) }
        }
        if let weights = request.rerank {
            hits = SearchRanking.rerank(hits, weights: weights, queryText: query.text)
        }
        if hits.count > request.k { hits.removeLast(hits.count - request.k) }
        let took = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000
        return SearchResponse(hits: hits, plan: route == .exact ? .exact : .graph, mode: query.mode, matched: matched, tookMicroseconds: took)
    }

    /// Searches a text with default settings; see ``search(_:)``.
    public func search(text: String, k: Int = 10, filter: PatternFilter = PatternFilter()) throws(StoreError) -> SearchResponse {
        try search(SearchRequest(query: .text(text), k: k, filter: filter))
    }
}

extension PatternStore {
    /// Embeds `texts` with the store's embedder, as searches and adds do: `texts.count ×
    /// dimension` floats, row-major, unit length for cosine stores.
    public func embed(_ texts: [String]) throws(StoreError) -> [Float] {
        try ensureOpen()
        let embedder = try requireEmbedder()
        return try embedding { () throws(EmbeddingError) in try embedder.embed(texts) }
    }
}
