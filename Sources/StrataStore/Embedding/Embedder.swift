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
    func embed(_ texts: [String]) throws(StoreError) -> [Float]
}
