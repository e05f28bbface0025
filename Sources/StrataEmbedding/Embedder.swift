/// Turns pattern texts into vectors of one embedding space.
///
/// A store records its embedder's ``identifier`` and ``dimension`` in its manifest and
/// refuses vectors of any other space; switching embedders is an explicit re-embed.
///
/// - Important: Vectors come back normalized to unit length, row-major, one row per text in
///   input order. An embedder is called from several threads at once.
public protocol Embedder: Sendable {
    /// A stable name of the model and its settings, recorded in the store's manifest
    /// (`builtin-code-v1`, `openai:text-embedding-3-small`).
    var identifier: String { get }
    /// Length of every vector this embedder returns.
    var dimension: Int { get }
    /// Embeds `texts`, returning `texts.count × dimension` floats, row-major.
    func embed(_ texts: [String]) throws(EmbeddingError) -> [Float]
}

/// An embedder whose weights are fitted on the store's own corpus (the built-in embedder's
/// IDF weights). The store fits it on the first large batch added to an empty store, and
/// again at every re-embed, and keeps the fitted state in its catalog.
public protocol CorpusFittedEmbedder: Embedder {
    /// False while the embedder runs on default weights.
    var isFitted: Bool { get }
    /// A copy fitted on `corpus`.
    func fitted(on corpus: [String]) throws(EmbeddingError) -> Self
    /// The fitted state, as the catalog stores it.
    func serializedState() -> [UInt8]
}
