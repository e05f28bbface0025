import Foundation

extension EmbedderSettings {
    /// Builds the embedder the manifest names: the built-in one with the weights the catalog
    /// keeps, or an HTTP embedder (its API key from `STRATA_EMBED_API_KEY`); nil for a store
    /// of caller-given vectors.
    func makeEmbedder(catalog: Catalog, dimension: Int) throws(StoreError) -> (any Embedder)? {
        switch self {
        case .external:
            return nil
        case .builtin:
            let state = try catalog.blob(PatternStore.embedderStateKey)
            return try embedding { () throws(EmbeddingError) in
                try CodeEmbedder(dimension: dimension, weights: state.map { (bytes) throws(EmbeddingError) in try CodeEmbedder.Weights(serialized: bytes) })
            }
        case let .sentenceEncoder(model, maxTokens):
            return try embedding { () throws(EmbeddingError) in
                try SentenceEncoder(configuration: .init(modelFolder: SentenceEncoder.defaultModelsFolder() + "/" + model, maxTokens: maxTokens))
            }
        case let .staticDistilled(model, staticDimension):
            let state = try catalog.blob(PatternStore.embedderStateKey)
            return try embedding { () throws(EmbeddingError) in
                let encoder = SentenceEncoder.Configuration(modelFolder: SentenceEncoder.defaultModelsFolder() + "/" + model)
                let vocabulary = try StaticVocabulary.load(encoder: encoder, dimension: staticDimension)
                return try StaticEmbedder(vocabulary: vocabulary, encoder: encoder, state: state)
            }
        case let .openAICompatible(endpoint, model):
            let key = ProcessInfo.processInfo.environment["STRATA_EMBED_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
            return try embedding { () throws(EmbeddingError) in
                try HTTPEmbedder(configuration: .init(endpoint: endpoint, model: model, apiKey: key, dimension: dimension))
            }
        }
    }
}
