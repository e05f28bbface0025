import Foundation

/// What an ingest run did.
public struct IngestReport: Sendable, Equatable, Codable {
    /// Source files found under the roots.
    public var files = 0
    /// Files whose content matched the last ingest: nothing read, nothing added.
    public var unchangedFiles = 0
    /// Files skipped by the walker (vendored, generated, binary, too large).
    public var skippedFiles = 0
    /// Units cut from new or changed files.
    public var units = 0
    public var added = 0
    public var replaced = 0
    public var unchanged = 0
    public var merged = 0
    /// Patterns of changed files whose unit no longer exists.
    public var removed = 0
    public var seconds = 0.0
}
