import Foundation
import StrataTracing

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
        try EngineTrace.span("store.search") { (span) throws(StoreError) in try SearchExecution(store: self, span: span).run(request) }
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
