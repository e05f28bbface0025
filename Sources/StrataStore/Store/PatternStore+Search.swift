import Foundation
import StrataIndex
import CStrataShims
import StrataKernels
import StrataText

/// What a search looks for: a text, embedded by the store's embedder, or a vector in the
/// store's space.
public enum SearchQuery: Sendable, Equatable {
    case text(String)
    case vector([Float])
}

/// Optional re-ranking: the final score blends the semantic similarity with keyword overlap
/// between query and pattern, quality and success rate. Each weight is 0 or more.
public struct RerankWeights: Sendable, Equatable, Codable {
    public var semantic: Double
    public var keyword: Double
    public var quality: Double
    public var successRate: Double

    public init(semantic: Double = 1, keyword: Double = 0, quality: Double = 0, successRate: Double = 0) {
        self.semantic = semantic
        self.keyword = keyword
        self.quality = quality
        self.successRate = successRate
    }
}

/// A search: query, how many, under which filter, how hard.
public struct SearchRequest: Sendable, Equatable {
    public var query: SearchQuery
    /// Results wanted. Default 10.
    public var k: Int
    public var filter: PatternFilter
    /// Graph candidate list size; nil uses the store's ``StoreConfiguration/efSearch``.
    public var ef: Int?
    public var rerank: RerankWeights?
    /// Scan every matching vector instead of walking the graphs (ground truth).
    public var exact: Bool

    public init(query: SearchQuery, k: Int = 10, filter: PatternFilter = PatternFilter(), ef: Int? = nil, rerank: RerankWeights? = nil, exact: Bool = false) {
        self.query = query
        self.k = k
        self.filter = filter
        self.ef = ef
        self.rerank = rerank
        self.exact = exact
    }
}

/// One result: the pattern as stored and how well it matched.
public struct SearchHit: Sendable, Equatable {
    public var pattern: Pattern
    /// The ranking score: the similarity, or the re-ranked blend when weights were given.
    public var score: Double
    /// The metric's score between query and pattern (cosine similarity for cosine stores).
    public var similarity: Double
}

/// How the planner answered a search.
public enum SearchPlan: String, Sendable, Codable {
    /// Graph traversal over the hot graph and every cold segment.
    case graph
    /// BLAS scan over exactly the vectors the filter matched.
    case exact
}

/// Results, nearest first, and how they were found.
public struct SearchResponse: Sendable, Equatable {
    public var hits: [SearchHit]
    public var plan: SearchPlan
    /// Patterns the filter matched (nil when there was no filter and no exact scan).
    public var matched: Int?
    /// Wall time of the whole search, embedding and hydration included.
    public var tookMicroseconds: Double
}

extension PatternStore {
    /// Finds the patterns nearest a text or vector.
    ///
    /// Plan: with a filter, the catalog's payload indexes list the matching patterns; at most
    /// ``StoreConfiguration/exactScanLimit`` of them are scanned exactly (one BLAS
    /// matrix-vector product), more are searched in the graphs with the filter as a
    /// predicate and a candidate list widened by the filter's selectivity. Both tiers are
    /// searched, tombstones skipped, results merged by distance and hydrated from the catalog.
    ///
    /// - Throws: ``StoreError/invalidArgument(name:value:expected:)`` for k or ef out of range,
    ///   ``StoreError/dimensionMismatch(space:got:)`` or ``StoreError/nonFiniteVector(space:position:)``
    ///   for a vector outside the store's space, ``StoreError/emptyText(id:)`` for an empty text.
    public func search(_ request: SearchRequest) throws(StoreError) -> SearchResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        try ensureOpen()
        guard (1...10_000).contains(request.k) else { throw .invalidArgument(name: "k", value: "\(request.k)", expected: "1 to 10,000") }
        if let ef = request.ef, !(1...100_000).contains(ef) { throw .invalidArgument(name: "ef", value: "\(ef)", expected: "1 to 100,000") }
        let query: [Float]
        var queryText: String?
        switch request.query {
        case let .text(text):
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .emptyText(id: "query") }
            query = try requireEmbedder().embed([text])
            queryText = text
        case let .vector(vector):
            query = try prepareVector(vector)
        }
        let planner = SearchPlanner(efSearch: configuration.efSearch, exactScanLimit: configuration.exactScanLimit)
        let candidates = planner.candidates(k: request.k, reranks: request.rerank != nil)
        let ef = planner.ef(requested: request.ef, candidates: candidates)
        let tiers = snapshot
        var matched: Int?
        var locations: [VectorLocation] = []
        if !request.filter.isEmpty || request.exact {
            locations = request.filter.payload == nil
                ? try payloadIndex().locations(matching: request.filter)
                : try read { () throws(StoreError) in try reader.locations(matching: request.filter) }
            matched = locations.count
        }
        let route = planner.route(
            filtered: !request.filter.isEmpty, exact: request.exact, ef: ef, matched: locations.count,
            total: tiers.hot.count + tiers.cold.reduce(0) { $0 + $1.record.live })
        let nearest: [SearchResult]
        switch route {
        case let .graph(ef):
            nearest = try tiers.nearest(query, k: candidates, ef: ef, accept: nil)
        case .exact:
            nearest = tiers.exactNearest(query, k: candidates, among: locations, metric: configuration.metric)
        case let .filteredGraph(ef):
            let accepted = RowSet(locations.map(\.row))
            nearest = try tiers.nearest(query, k: candidates, ef: ef, accept: { accepted.contains($0) })
        }
        var hits = try hydrate(nearest)
        if let weights = request.rerank {
            hits = SearchRanking.rerank(hits, weights: weights, queryText: queryText)
        }
        if hits.count > request.k { hits.removeLast(hits.count - request.k) }
        let took = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000
        return SearchResponse(hits: hits, plan: route == .exact ? .exact : .graph, matched: matched, tookMicroseconds: took)
    }

    /// Searches a text with default settings; see ``search(_:)``.
    public func search(text: String, k: Int = 10, filter: PatternFilter = PatternFilter()) throws(StoreError) -> SearchResponse {
        try search(SearchRequest(query: .text(text), k: k, filter: filter))
    }

    /// Checks a caller's vector against the store's space and normalizes it for cosine.
    func prepareVector(_ vector: [Float]) throws(StoreError) -> [Float] {
        let space = self.space
        guard vector.count == space.dimension else { throw .dimensionMismatch(space: space.description, got: vector.count) }
        if let position = vector.withUnsafeBufferPointer({ Kernels.firstNonFinite($0) }) {
            throw .nonFiniteVector(space: space.description, position: position)
        }
        guard space.metric.normalizesVectors else { return vector }
        var normalized = vector
        let norm = normalized.withUnsafeMutableBufferPointer { Kernels.normalize($0.baseAddress!, count: $0.count) }
        guard norm > 0 else {
            throw .invalidArgument(name: "vector", value: "all zeros", expected: "a vector with a direction (the store compares by cosine)")
        }
        return normalized
    }

    private func hydrate(_ nearest: [SearchResult]) throws(StoreError) -> [SearchHit] {
        guard !nearest.isEmpty else { return [] }
        let rows = nearest.map { Int64($0.id) }
        var (patterns, epoch) = hydrated.lookup(rows)
        let missing = rows.filter { patterns[$0] == nil }
        if !missing.isEmpty {
            let read = try read { () throws(StoreError) in try reader.patterns(rows: missing) }
            hydrated.keep(read, from: epoch)
            patterns.merge(read) { _, new in new }
        }
        let metric = configuration.metric
        return nearest.compactMap { result in
            guard let pattern = patterns[Int64(result.id)] else { return nil }
            let similarity = Double(metric.score(fromDistance: result.distance))
            return SearchHit(pattern: pattern, score: similarity, similarity: similarity)
        }
    }
}

extension PatternStore {
    /// Embeds `texts` with the store's embedder, as searches and adds do: `texts.count ×
    /// dimension` floats, row-major, unit length for cosine stores.
    public func embed(_ texts: [String]) throws(StoreError) -> [Float] {
        try ensureOpen()
        return try requireEmbedder().embed(texts)
    }
}
