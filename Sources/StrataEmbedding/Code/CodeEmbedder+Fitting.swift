extension CodeEmbedder: CorpusFittedEmbedder {
    /// True once the IDF weights come from a corpus.
    public var isFitted: Bool { weights.documentCount > 0 }

    /// The same embedder with IDF weights fitted on `corpus`.
    public func fitted(on corpus: [String]) throws(EmbeddingError) -> CodeEmbedder {
        try CodeEmbedder(dimension: dimension, weights: .fit(corpus: corpus))
    }

    /// The weights, as the catalog stores them.
    public func serializedState() -> [UInt8] { weights.serialized() }
}
