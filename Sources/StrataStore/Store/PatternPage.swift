import Foundation

/// One page of a listing, and where the next begins.
public struct PatternPage: Sendable, Equatable {
    public var patterns: [Pattern]
    /// Pass as `after` for the next page; nil on the last page.
    public var nextCursor: String?
}

/// One page of patterns in id order, and the id the next page starts at.
public struct PatternScroll: Sendable, Equatable {
    public var patterns: [Pattern]
    /// The first id of the next page; nil on the last page.
    public var nextID: String?
}

/// A reported use of a pattern.
public enum UseOutcome: String, Sendable, Codable, CaseIterable {
    /// The pattern helped: counts 1 in the success rate.
    case success
    /// The pattern led to a failure: counts 0 in the success rate.
    case failure
    /// Used, outcome unknown: counts the use only.
    case used
}
