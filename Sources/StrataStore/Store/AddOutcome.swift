import Foundation

/// What became of one pattern given to ``PatternStore/add(_:existing:)``.
public struct AddOutcome: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Codable {
        /// Stored as a new pattern.
        case added
        /// An existing pattern with this id was replaced (``ExistingIDPolicy/replace``).
        case replaced
        /// A pattern with this id and the same text exists; nothing changed.
        case unchanged
        /// Same normalized text as an existing pattern: merged into it (usage, tags).
        case mergedExact = "merged_exact"
        /// Nearly the same vector as an existing pattern: merged into it (usage, tags).
        case mergedNear = "merged_near"
    }

    /// The id the pattern was given (or made up).
    public var id: String
    public var action: Action
    /// The pattern that now holds this text: `id`, or the one it merged into.
    public var storedAs: String
    /// For a near-duplicate merge, the similarity to the pattern it merged into.
    public var similarity: Double?

    package init(id: String, action: Action, storedAs: String, similarity: Double? = nil) {
        self.id = id
        self.action = action
        self.storedAs = storedAs
        self.similarity = similarity
    }
}

/// What to do when an added pattern's id is already in the store.
public enum ExistingIDPolicy: Sendable {
    /// Refuse the whole batch.
    case fail
    /// Replace the stored pattern's text, metadata and vector (usage history is kept).
    case replace
    /// Leave it when its text is unchanged, replace it otherwise (re-import, re-ingest).
    case replaceIfChanged
}
