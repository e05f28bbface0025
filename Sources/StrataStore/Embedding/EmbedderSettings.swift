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
