import Foundation
import StrataIndex

extension PatternStore {
    /// Catalog blob key of a corpus-fitted embedder's state.
    static let embedderStateKey = "embedder_state"

    /// Switches the store at `directory` to `embedder`: fits it on the store's texts when it
    /// is corpus-fitted, embeds every pattern, writes all vectors into one new cold segment,
    /// and in one transaction points every pattern at it and records the new space in the
    /// manifest. Until that commit the store is unchanged; a crash leaves an orphan segment
    /// that the next open removes.
    public static func reembed(at directory: String, embedder: any Embedder, settings: EmbedderSettings) throws(StoreError) -> ReembedReport {
        try Reembedding.run(at: directory, embedder: embedder, settings: settings)
    }
}
