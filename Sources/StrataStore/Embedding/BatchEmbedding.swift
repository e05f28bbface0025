import Foundation

/// The vectors of an add's patterns, found before the store's write lock is taken (embedding
/// is the slow part of an add): the caller's own, checked against the space and normalized,
/// or the embedder's, which a corpus-fitted embedder first learns from the store's first
/// large batch.
struct BatchEmbedding {
    /// The smallest first batch an unfitted corpus-fitted embedder is fitted on.
    static let minimumFittingCorpus = 64

    let store: PatternStore

    /// One vector per pattern: the caller's, checked and normalized, or the embedder's.
    func vectors(for patterns: [NewPattern]) throws(StoreError) -> [[Float]] {
        var vectors = [[Float]?](repeating: nil, count: patterns.count)
        var toEmbed: [Int] = []
        for (index, pattern) in patterns.enumerated() {
            if let vector = pattern.vector {
                do {
                    vectors[index] = try store.space.prepared(vector)
                } catch let .dimensionMismatch(space, got) {
                    throw .dimensionMismatch(space: space + " (pattern \(pattern.id ?? "#\(index + 1)"))", got: got)
                }
            } else {
                toEmbed.append(index)
            }
        }
        if !toEmbed.isEmpty {
            try fitEmbedderIfNeeded(on: toEmbed.map { patterns[$0].text })
            let embedder = try store.requireEmbedder()
            let flat = try embedding { () throws(EmbeddingError) in try embedder.embed(toEmbed.map { patterns[$0].text }) }
            let dimension = store.configuration.dimension
            guard flat.count == toEmbed.count * dimension else {
                throw .embedder(problem: "returned \(flat.count) floats for \(toEmbed.count) texts of dimension \(dimension)")
            }
            for (offset, index) in toEmbed.enumerated() {
                vectors[index] = try store.space.prepared(Array(flat[offset * dimension..<(offset + 1) * dimension]))
            }
        }
        return vectors.map { $0! }
    }

    /// Fits an unfitted corpus-fitted embedder on the first large batch added to an empty
    /// store, and keeps its state in the catalog.
    func fitEmbedderIfNeeded(on texts: [String]) throws(StoreError) {
        guard texts.count >= Self.minimumFittingCorpus,
              let embedder = try? store.requireEmbedder(), let fittable = embedder as? any CorpusFittedEmbedder, !fittable.isFitted
        else { return }
        try store.write { () throws(StoreError) in
            // One immediate transaction: the count and the write see the same snapshot even
            // when another connection (the analytics tracker) wrote to the catalog meanwhile.
            let fitted = try store.writer.transaction { () throws(StoreError) -> (any Embedder)? in
                guard try store.writer.count(matching: PatternFilter()) == 0 else { return nil }
                let fitted = try embedding { () throws(EmbeddingError) in try fittable.fitted(on: texts) }
                try store.writer.setBlob(PatternStore.embedderStateKey, fitted.serializedState())
                return fitted
            }
            guard let fitted else { return }
            store.tiers.replaceEmbedder(fitted)
            store.logger.info("fitted the embedder on the first batch", metadata: ["texts": "\(texts.count)"])
        }
    }
}
