extension PatternStore {
    /// Builds the embedder the manifest names.
    static func makeEmbedder(settings: EmbedderSettings, catalog: Catalog, dimension: Int) throws(StoreError) -> (any Embedder)? {
        switch settings {
        case .external: return nil
        default: throw .embedder(problem: "\(settings) is not available in this build")
        }
    }
}
