/// Which embedder a store uses, as its manifest records it, so that every open rebuilds the
/// same one.
public enum EmbedderSettings: Sendable, Equatable, Codable {
    /// The built-in code embedder (offline, deterministic); its IDF weights live in the catalog.
    case builtin
    /// An OpenAI-compatible `/v1/embeddings` server (OpenAI, Ollama, vLLM, TEI). The API key is
    /// never stored: it comes from `STRATA_EMBED_API_KEY` at open.
    case openAICompatible(endpoint: String, model: String)
    /// Vectors come from the caller only; text search and text adds are refused.
    case external(identifier: String)
    /// The native sentence encoder over the model in `<models>/<model>` (see
    /// ``SentenceEncoder``), texts cut at `maxTokens` (nil: the model's own limit).
    case sentenceEncoder(model: String, maxTokens: Int?)
    /// The static embedder distilled from the sentence encoder `model`, reduced to
    /// `dimension`; the store fits it on its corpus and keeps that state in its catalog.
    case staticDistilled(model: String, dimension: Int)
}

extension EmbedderSettings {
    /// The similarity at which a store with this embedder merges an added pattern into a
    /// stored one, unless its creator chose: 0.95 for the built-in embedder, whose features
    /// are the code's own words and shapes, so that near means the same code; none for the
    /// others, whose similarity is about meaning. Measured with all-MiniLM-L6-v2 on the
    /// retrieval dev set (Benchmarks/retrieval, docstrings removed): of the patterns whose
    /// nearest other is at cosine 0.95–0.97, 27 % differ from it by more than 30 % of their
    /// text (difflib ratio < 0.7), and still 8 % at 0.99 and above: distinct functions doing
    /// alike things, which a merge would lose. Merged at 0.95, the static embedder took in
    /// 2,433 of 25,450 patterns.
    public var defaultNearDuplicateSimilarity: Double? {
        switch self {
        case .builtin: 0.95
        case .sentenceEncoder, .staticDistilled, .openAICompatible, .external: nil
        }
    }

    /// The lexical leg's weight against the dense leg's 1 in a hybrid search that names none:
    /// as far as this embedder's vectors can be trusted to match words with code. Measured on
    /// the retrieval dev set (docstring summary → function, Benchmarks/retrieval, MRR@10 with
    /// docstrings / without, distribution-based fusion): the hashed built-in embedder's leg
    /// helps only where the words are not in the code, so BM25 leads at 3 (0.972 / 0.375;
    /// at 1, 0.932 / 0.378), and the static embedder is weaker still; all-MiniLM-L6-v2's
    /// leg is the better half without docstrings, so the two count alike (0.973 / 0.461; at
    /// 3, 0.980 / 0.406). An embedding service is taken to be a sentence encoder.
    public var defaultLexicalWeight: Double {
        switch self {
        case .builtin, .staticDistilled, .external: 3
        case .sentenceEncoder, .openAICompatible: 1
        }
    }
}
