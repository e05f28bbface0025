import Foundation
import StrataIndex

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
    /// The legs to run; nil runs the store's default: ``SearchMode/hybrid`` for a text,
    /// ``SearchMode/dense`` for a vector (a vector has no words).
    public var mode: SearchMode?
    /// How a hybrid search fuses its legs. Default ``FusionMethod/dbsf``, which measured best
    /// on the retrieval dev set (Benchmarks/retrieval).
    public var fusion: FusionMethod
    /// How much the lexical leg counts against the dense one in a hybrid search (1: as much;
    /// nil: the store's default for its embedder, ``EmbedderSettings/defaultLexicalWeight``).
    public var lexicalWeight: Double?

    public init(
        query: SearchQuery, k: Int = 10, filter: PatternFilter = PatternFilter(), ef: Int? = nil, rerank: RerankWeights? = nil,
        exact: Bool = false, mode: SearchMode? = nil, fusion: FusionMethod = .dbsf, lexicalWeight: Double? = nil
    ) {
        self.lexicalWeight = lexicalWeight
        self.query = query
        self.k = k
        self.filter = filter
        self.ef = ef
        self.rerank = rerank
        self.exact = exact
        self.mode = mode
        self.fusion = fusion
    }
}

/// One result: the pattern as stored and how well it matched.
public struct SearchHit: Sendable, Equatable {
    public var pattern: Pattern
    /// The ranking score: the similarity (dense), the BM25 score (lexical), the fused score
    /// (hybrid), or the re-ranked blend when weights were given.
    public var score: Double
    /// The metric's score between query and pattern (cosine similarity for cosine stores);
    /// 0 when the search embedded no query (lexical mode).
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
    /// The legs the search ran.
    public var mode: SearchMode
    /// Patterns the filter matched (nil when there was no filter and no exact scan).
    public var matched: Int?
    /// Wall time of the whole search, embedding and hydration included.
    public var tookMicroseconds: Double
}
