import Foundation

/// A code pattern the store remembers: its source text, what it is, and how well it has served.
///
/// The catalog row is the source of truth; a `Pattern` is a copy of it as of the read.
public struct Pattern: Sendable, Equatable {
    /// The caller's id (or a UUID the store made up).
    public var id: String
    /// A human name: a function or class name, a node name.
    public var name: String
    /// What sort of pattern it is.
    public var kind: PatternKind
    /// The ONEX node type it belongs to, or `.none`.
    public var nodeType: NodeType
    /// The business domain (`database`, `http`, …), empty when unknown.
    public var domain: String
    /// The programming language, lower case (`python`, `swift`), empty when unknown.
    public var language: String
    /// The source text.
    public var text: String
    /// A one-paragraph description, empty when none.
    public var summary: String
    /// Free-form labels.
    public var tags: [String]
    /// Quality from 0 (useless) to 1 (exemplary).
    public var quality: Double
    /// Exponential moving average of reported outcomes (1 success, 0 failure).
    public var successRate: Double
    /// How many times the pattern was used (reported uses, merged duplicates).
    public var usageCount: Int
    /// Where the pattern is in its review life.
    public var lifecycle: Lifecycle
    /// SHA-256 (hex) of the normalized text: equal hashes are exact duplicates.
    public var contentHash: String
    /// When the pattern was first stored.
    public var createdAt: Date
    /// When its text or metadata last changed.
    public var updatedAt: Date
    /// When a use was last reported, if ever.
    public var lastUsedAt: Date?
    /// Which tier holds its vector.
    public var tier: Tier
    /// Incremented on every change to the row.
    public var version: Int
    /// Where an ingested pattern came from.
    public var source: SourceSpan?
    /// The caller's own metadata: a JSON object, as text (a Qdrant point's payload). Filters
    /// reach into it with ``PayloadCondition``.
    public var payload: String? = nil
    /// Sparse vectors by name (a Qdrant point's sparse vectors), searched with
    /// ``SparseVectorSearch``.
    public var sparse: [String: SparseVector] = [:]
}

/// A file and 1-based, inclusive line span a pattern was cut from.
public struct SourceSpan: Sendable, Equatable, Codable {
    public var path: String
    public var lineStart: Int
    public var lineEnd: Int

    public init(path: String, lineStart: Int, lineEnd: Int) {
        self.path = path
        self.lineStart = lineStart
        self.lineEnd = lineEnd
    }
}

/// The kind of a pattern: `code`, `workflow`, `naming`, `architecture`, `errorHandling`,
/// `testing`, and for ingested source units `function`, `method`, `class`.
///
/// Open-ended on purpose: a kind is any identifier, so a team can add its own.
public struct PatternKind: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init?(rawValue: String) {
        guard !rawValue.isEmpty, rawValue.count <= 64,
              rawValue.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) })
        else { return nil }
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static let code: PatternKind = "code"
    public static let workflow: PatternKind = "workflow"
    public static let naming: PatternKind = "naming"
    public static let architecture: PatternKind = "architecture"
    public static let errorHandling: PatternKind = "errorHandling"
    public static let testing: PatternKind = "testing"
    public static let function: PatternKind = "function"
    public static let method: PatternKind = "method"
    public static let `class`: PatternKind = "class"
}

/// The four ONEX node types, or none.
public enum NodeType: String, Sendable, Hashable, Codable, CaseIterable {
    case effect, compute, reducer, orchestrator, none
}

/// Review state: candidate → provisional → validated → deprecated.
public enum Lifecycle: String, Sendable, Hashable, Codable, CaseIterable {
    case candidate, provisional, validated, deprecated
}

/// Where a pattern's vector lives.
public enum Tier: String, Sendable, Hashable, Codable {
    /// The in-RAM graph over recent and busy patterns, durable through the catalog.
    case hot
    /// An immutable, memory-mapped segment file.
    case cold
}

/// A pattern to add: its text and whatever metadata the caller knows; the store fills the rest.
public struct NewPattern: Sendable, Equatable {
    /// The id to store it under; nil makes up a UUID.
    public var id: String?
    public var text: String
    public var name: String
    public var kind: PatternKind
    public var nodeType: NodeType
    public var domain: String
    public var language: String
    public var summary: String
    public var tags: [String]
    /// Quality 0–1; nil starts at 0.5.
    public var quality: Double?
    /// Carried over on import; nil starts at 0.
    public var successRate: Double?
    /// Carried over on import; nil starts at 0.
    public var usageCount: Int?
    public var lifecycle: Lifecycle
    /// Carried over on import; nil is now.
    public var createdAt: Date?
    public var source: SourceSpan?
    /// A vector in the store's space, when the caller embedded the text itself. A pattern
    /// with its own vector may have no text, `""` (a Qdrant point is a vector and a payload);
    /// a text of blanks only is refused.
    public var vector: [Float]?
    /// A JSON object of the caller's metadata, as text; see ``Pattern/payload``.
    public var payload: String?
    /// Sparse vectors by name; see ``Pattern/sparse``.
    public var sparse: [String: SparseVector] = [:]

    public init(
        id: String? = nil, text: String, name: String = "", kind: PatternKind = .code,
        nodeType: NodeType = .none, domain: String = "", language: String = "", summary: String = "",
        tags: [String] = [], quality: Double? = nil, successRate: Double? = nil, usageCount: Int? = nil,
        lifecycle: Lifecycle = .candidate, createdAt: Date? = nil, source: SourceSpan? = nil, vector: [Float]? = nil,
        payload: String? = nil
    ) {
        self.id = id
        self.text = text
        self.name = name
        self.kind = kind
        self.nodeType = nodeType
        self.domain = domain
        self.language = language
        self.summary = summary
        self.tags = tags
        self.quality = quality
        self.successRate = successRate
        self.usageCount = usageCount
        self.lifecycle = lifecycle
        self.createdAt = createdAt
        self.source = source
        self.vector = vector
        self.payload = payload
    }
}
