/// Which retrieval legs a search runs.
public enum SearchMode: String, Sendable, Codable, CaseIterable {
    /// Vectors only: the query's embedding against the graphs, or an exact scan of the
    /// filter's matches.
    case dense
    /// Words only: BM25 over the patterns' texts, split into words the way code is named.
    case lexical
    /// Both legs, fused into one ranking (``FusionMethod``).
    case hybrid
}

/// How the legs of a hybrid search become one ranking.
public enum FusionMethod: String, Sendable, Codable, CaseIterable {
    /// Reciprocal rank fusion: a pattern scores Σ 1 / (60 + rank) over the legs that found
    /// it. Scores are ignored, so legs of any scale mix.
    case rrf
    /// Distribution-based score fusion: each leg's scores are mapped to [0, 1] by their mean
    /// ± 3 standard deviations, and summed (Qdrant's `dbsf`).
    case dbsf
}
