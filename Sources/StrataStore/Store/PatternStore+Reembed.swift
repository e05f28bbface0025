import Foundation
import StrataIndex

/// What a re-embed did.
public struct ReembedReport: Sendable, Equatable, Codable {
    public var patterns: Int
    public var from: String
    public var to: String
    public var dimension: Int
    public var seconds: Double
}

extension PatternStore {
    /// Catalog blob key of a corpus-fitted embedder's state.
    static let embedderStateKey = "embedder_state"

    /// The smallest first batch an unfitted corpus-fitted embedder is fitted on.
    static let minimumFittingCorpus = 64

    /// Switches the store at `directory` to `embedder`: fits it on the store's texts when it
    /// is corpus-fitted, embeds every pattern, writes all vectors into one new cold segment,
    /// and in one transaction points every pattern at it and records the new space in the
    /// manifest. Until that commit the store is unchanged; a crash leaves an orphan segment
    /// that the next open removes.
    public static func reembed(at directory: String, embedder: any Embedder, settings: EmbedderSettings) throws(StoreError) -> ReembedReport {
        try Reembedding.run(at: directory, embedder: embedder, settings: settings)
    }

    /// Fits an unfitted corpus-fitted embedder on the first large batch added to an empty
    /// store, and keeps its state in the catalog.
    func fitEmbedderIfNeeded(on texts: [String]) throws(StoreError) {
        guard texts.count >= Self.minimumFittingCorpus,
              let embedder = try? requireEmbedder(), let fittable = embedder as? any CorpusFittedEmbedder, !fittable.isFitted
        else { return }
        try write { () throws(StoreError) in
            // One immediate transaction: the count and the write see the same snapshot even
            // when another connection (the analytics tracker) wrote to the catalog meanwhile.
            let fitted = try writer.transaction { () throws(StoreError) -> (any Embedder)? in
                guard try writer.count(matching: PatternFilter()) == 0 else { return nil }
                let fitted = try fittable.fitted(on: texts)
                try writer.setBlob(Self.embedderStateKey, fitted.serializedState())
                return fitted
            }
            guard let fitted else { return }
            replaceEmbedder(fitted)
            logger.info("fitted the embedder on the first batch", metadata: ["texts": "\(texts.count)"])
        }
    }
}
