import StrataStore

/// What a similarity between a prompt's query and a stored pattern means: each embedder has
/// its own scale, so the similarity at which a retrieved pattern counts as a hit (cited, its
/// operation bodies reused, grounding the score) and the span grounding scales over follow
/// the store's embedder.
///
/// Measured with `strata generate --json` (its `patterns`): twelve nodes generated into a
/// store, three of each type, then the best similarity of the same type for a paraphrase of
/// each prompt (the node it describes is stored) and for twelve prompts of other subjects
/// (none is):
///
/// | embedder | paraphrase, median (range) | other subject, median (range) | hit at | grounding |
/// |---|---|---|---|---|
/// | built-in | 0.39 (0.32–0.44) | 0.26 (0.20–0.35) | 0.35 | 0.20–0.50 |
/// | all-MiniLM-L6-v2 | 0.53 (0.39–0.67) | 0.36 (0.20–0.44) | 0.45 | 0.30–0.60 |
/// | static, distilled from it | 0.68 (0.53–0.76) | 0.50 (0.39–0.62) | 0.62 | 0.45–0.75 |
///
/// The static embedder's two ranges overlap most: its hits are the least sure. An embedding
/// service is taken to be a sentence encoder like MiniLM; a caller who knows better sets the
/// generator's ``GeneratorConfiguration/similarityThreshold`` and
/// ``GeneratorConfiguration/groundingSimilarity``.
public struct RetrievalCalibration: Sendable, Equatable {
    /// A retrieved pattern at least this similar is a hit.
    public var hitThreshold: Double
    /// Grounding scales from the low end (nothing in common) to the high end (the same node).
    public var grounding: ClosedRange<Double>

    public init(hitThreshold: Double, grounding: ClosedRange<Double>) {
        self.hitThreshold = hitThreshold
        self.grounding = grounding
    }

    /// The built-in embedder's scale, also used without a store.
    public static let builtin = RetrievalCalibration(hitThreshold: 0.35, grounding: 0.2...0.5)
    /// A sentence encoder's (all-MiniLM-L6-v2's) scale.
    public static let sentenceEncoder = RetrievalCalibration(hitThreshold: 0.45, grounding: 0.3...0.6)
    /// The static embedder's scale.
    public static let staticDistilled = RetrievalCalibration(hitThreshold: 0.62, grounding: 0.45...0.75)

    /// The scale of the embedder `settings` names (nil: no store, the built-in scale).
    public static func `for`(_ settings: EmbedderSettings?) -> RetrievalCalibration {
        switch settings {
        case nil, .builtin?, .external?: .builtin
        case .sentenceEncoder?, .openAICompatible?: .sentenceEncoder
        case .staticDistilled?: .staticDistilled
        }
    }
}
