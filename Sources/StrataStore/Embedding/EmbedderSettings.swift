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
}
