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
        let candidates = request.rerank == nil ? request.k : max(request.k * 4, 40)
        let ef = max(request.ef ?? configuration.efSearch, candidates)
        var plan = SearchPlan.graph
        var matched: Int?
        var nearest: [SearchResult]
        if request.filter.isEmpty && !request.exact {
            nearest = try graphSearch(query, k: candidates, ef: ef, snapshot: snapshot, accept: nil)
        } else {
            let locations = request.filter.payload == nil
                ? try payloadIndex().locations(matching: request.filter)
                : try read { () throws(StoreError) in try reader.locations(matching: request.filter) }
            let tiers = snapshot
            matched = locations.count
            if request.exact || locations.count <= configuration.exactScanLimit {
                plan = .exact
                nearest = exactScan(query, k: candidates, locations: locations, snapshot: tiers)
            } else {
                let accepted = RowSet(locations.map(\.row))
                let total = max(1, tiers.hot.count + tiers.cold.reduce(0) { $0 + $1.record.live })
                // Fewer matching nodes means more rejected ones on every path: widen the
                // candidate list by the inverse selectivity so recall holds.
                let widened = min(Double(ef) * Double(total) / Double(max(1, locations.count)), Double(ef * 8))
                nearest = try graphSearch(query, k: candidates, ef: max(ef, Int(widened)), snapshot: tiers, accept: { accepted.contains($0) })
            }
        }
        var hits = try hydrate(nearest)
        if let weights = request.rerank {
            hits = Self.rerank(hits, weights: weights, queryText: queryText)
        }
        if hits.count > request.k { hits.removeLast(hits.count - request.k) }
        let took = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000
        return SearchResponse(hits: hits, plan: plan, matched: matched, tookMicroseconds: took)
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

    /// Nearest rows over the hot graph and every cold segment, tombstones skipped.
    func graphSearch(_ query: [Float], k: Int, ef: Int, snapshot: TierSnapshot, accept: ((UInt64) -> Bool)?) throws(StoreError) -> [SearchResult] {
        var merged: [SearchResult] = []
        do {
            if snapshot.hot.count > 0 {
                merged += try snapshot.hot.search(query, k: k, ef: ef, filter: accept)
            }
            for cold in snapshot.cold where cold.record.live > 0 {
                let filter: ((UInt64) -> Bool)?
                switch (accept, cold.dead.isEmpty) {
                case (nil, true): filter = nil
                case (nil, false): filter = { cold.isLive($0) }
                case let (accept?, true): filter = accept
                case let (accept?, false): filter = { cold.isLive($0) && accept($0) }
                }
                merged += try cold.segment.search(query, k: k, ef: ef, filter: filter)
            }
        } catch {
            throw .index(error)
        }
        merged.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.id < $1.id) }
        // A row moving between tiers (a flush, a promotion) is briefly in both: keep its nearest.
        var seen = Set<UInt64>()
        var nearest: [SearchResult] = []
        nearest.reserveCapacity(k)
        for result in merged where nearest.count < k && seen.insert(result.id).inserted {
            nearest.append(result)
        }
        return nearest
    }

    /// Exact nearest among `locations`: their vectors are gathered in blocks of
    /// ``exactScanBlock`` rows (a buffer that stays in L2 and is never page-faulted anew),
    /// each block scored with one sgemv, the best `k` kept.
    func exactScan(_ query: [Float], k: Int, locations: [VectorLocation], snapshot: TierSnapshot) -> [SearchResult] {
        let dimension = configuration.dimension
        let metric = configuration.metric
        let segments = Dictionary(uniqueKeysWithValues: snapshot.cold.map { ($0.record.id, $0) })
        let block = Self.exactScanBlock
        var matrix = [Float](repeating: 0, count: block * dimension)
        var rows = [UInt64](repeating: 0, count: block)
        var dots = [Float](repeating: 0, count: block)
        var norms = [Float](repeating: 0, count: block)
        var top = TopK(k: k)
        let queryNorm = metric == .l2 ? query.withUnsafeBufferPointer { Kernels.dot($0.baseAddress!, $0.baseAddress!, count: dimension) } : 0
        var filled = 0
        func score() {
            guard filled > 0 else { return }
            query.withUnsafeBufferPointer { q in
                matrix.withUnsafeBufferPointer { m in
                    BatchScores.dotProducts(query: q.baseAddress!, base: m.baseAddress!, baseCount: filled, dimension: dimension, into: &dots)
                    if metric == .l2 { BatchScores.squaredNorms(m.baseAddress!, count: filled, dimension: dimension, into: &norms) }
                }
            }
            for index in 0..<filled {
                top.insert(distance: metric.distance(dot: dots[index], squaredNormA: queryNorm, squaredNormB: norms[index]), id: rows[index])
            }
            filled = 0
        }
        // Where each vector is, first: matching rows lie scattered over the segments, and a
        // row fetched from memory costs far more than its dot product, so the copy loop
        // prefetches a few rows ahead.
        var sources: [(row: UInt64, vector: UnsafePointer<Float>)] = []
        sources.reserveCapacity(locations.count)
        var hotCopies: [(row: UInt64, vector: [Float])] = []
        for location in locations {
            switch location.tier {
            case .hot:
                // A row committed hot but not yet in this snapshot's graph is skipped: the
                // search began before the write finished.
                guard let vector = snapshot.hot.vector(for: UInt64(location.row)) else { continue }
                hotCopies.append((UInt64(location.row), vector))
            case .cold:
                guard let id = location.segment, let slot = location.slot, let cold = segments[id], slot < cold.segment.slotCount else { continue }
                sources.append((UInt64(location.row), cold.segment.vector(atSlot: slot).baseAddress!))
            }
        }
        let bytes = dimension * MemoryLayout<Float>.stride
        let ahead = Self.exactScanPrefetchDistance
        for index in sources.indices {
            if index + ahead < sources.count { strata_prefetch_range(sources[index + ahead].vector, bytes) }
            let offset = filled * dimension
            matrix.withUnsafeMutableBufferPointer { m in
                (m.baseAddress! + offset).update(from: sources[index].vector, count: dimension)
            }
            rows[filled] = sources[index].row
            filled += 1
            if filled == block { score() }
        }
        for (row, vector) in hotCopies {
            matrix.replaceSubrange(filled * dimension..<(filled + 1) * dimension, with: vector)
            rows[filled] = row
            filled += 1
            if filled == block { score() }
        }
        score()
        return top.sorted().map { SearchResult(id: $0.id, distance: $0.distance) }
    }

    /// Rows the exact scan's copy loop prefetches ahead.
    static let exactScanPrefetchDistance = 8

    /// Rows per sgemv in ``exactScan(_:k:locations:snapshot:)``: 64 × 384 floats is 96 KiB.
    static let exactScanBlock = 64

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

    static func rerank(_ hits: [SearchHit], weights: RerankWeights, queryText: String?) -> [SearchHit] {
        let queryWords = queryText.map(KeywordOverlap.words(in:)) ?? []
        var reranked = hits.map { hit in
            var hit = hit
            let overlap = queryWords.isEmpty ? 0 : KeywordOverlap.share(of: queryWords, in: hit.pattern)
            hit.score = weights.semantic * hit.similarity + weights.keyword * overlap
                + weights.quality * hit.pattern.quality + weights.successRate * hit.pattern.successRate
            return hit
        }
        reranked.sort { $0.score > $1.score || ($0.score == $1.score && $0.pattern.id < $1.pattern.id) }
        return reranked
    }
}

/// A set of catalog rows as a bitmap: constant-time membership for graph predicates.
struct RowSet: Sendable {
    private var words: [UInt64]

    init(_ rows: [Int64]) {
        let highest = rows.max() ?? 0
        words = [UInt64](repeating: 0, count: Int(highest >> 6) + 1)
        for row in rows where row >= 0 { words[Int(row >> 6)] |= 1 << UInt64(row & 63) }
    }

    @inline(__always)
    func contains(_ row: UInt64) -> Bool {
        let word = Int(row >> 6)
        return word < words.count && words[word] & (1 << (row & 63)) != 0
    }
}

/// The share of a query's words found in a pattern's name, summary, tags and text.
enum KeywordOverlap {
    /// Lower-case words of two or more characters, split by `WordSplitter.caseChangesOnly`:
    /// at camelCase and `_`, acronyms and digits kept in their word (`HTTPServer` is one word,
    /// `json2` too). Not the standard rule, so that re-ranked scores stay as they were.
    static func words(in text: String) -> Set<String> {
        var words = Set<String>()
        WordSplitter.caseChangesOnly.forEachWord(in: text) { word in
            if word.count >= 2 { words.insert(word) }
        }
        return words
    }

    static func share(of queryWords: Set<String>, in pattern: Pattern) -> Double {
        let patternWords = words(in: pattern.name + " " + pattern.summary + " " + pattern.tags.joined(separator: " ") + " " + pattern.text)
        return Double(queryWords.intersection(patternWords).count) / Double(queryWords.count)
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
