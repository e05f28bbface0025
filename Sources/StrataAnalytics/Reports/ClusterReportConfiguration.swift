/// What a ``ClusterReport`` computes and how much of it it shows.
///
/// Every field has a default; the defaults suit stores of a few hundred to some tens of
/// thousands of patterns.
public struct ClusterReportConfiguration: Sendable, Equatable {
    /// Exemplars per cluster (patterns nearest the centroid). Default 5.
    public var exemplars: Int = 5
    /// Distinguishing words per cluster. Default 8.
    public var distinctiveTokens: Int = 8
    /// Words shorter than this are not counted. Default 3.
    public var minimumTokenLength: Int = 3
    /// Cosine similarity at or above which two patterns are near-duplicates. Default 0.95.
    public var duplicateSimilarity: Double = 0.95
    /// A cluster or duplicate group needs at least this many members before it is proposed
    /// as one shared piece. Default 8 for clusters; groups need half of it, at least 2.
    public var suggestionMinimumMembers: Int = 8
    /// A cluster is proposed for extraction when its cohesion is at least this and at least
    /// the median cohesion of the report's clusters. Default 0.7: on 25k real functions the
    /// broad clusters sit at 0.4–0.6 and share vocabulary, not code; above 0.7 they repeat one
    /// shape (a codec family at 0.88).
    public var suggestionCohesion: Double = 0.7
    /// A cluster whose mean quality sits ``qualityGap`` below the mean over all patterns is
    /// flagged for review; below this bar, half the gap is enough. Default 0.5.
    public var lowQuality: Double = 0.5
    /// How far below the mean quality over all patterns a cluster must sit to be flagged.
    /// Default 0.1.
    public var qualityGap: Double = 0.1
    /// Suggestions at most. Default 12.
    public var maximumSuggestions: Int = 12
    /// Points drawn on the map at most (a seeded sample above it). Default 5,000.
    public var mapSample: Int = 5_000
    /// Characters of a pattern's text shown as its excerpt. Default 240.
    public var excerptLength: Int = 240
    /// Seeds the map's sample. Default 1.
    public var seed: UInt64 = 1

    /// Every field at its default.
    public init() {}

    /// Checks every field.
    public func validate() throws(AnalyticsError) {
        func require(_ ok: Bool, _ name: String, _ value: Any, _ expected: String) throws(AnalyticsError) {
            if !ok { throw .invalidArgument(name: name, value: "\(value)", expected: expected) }
        }
        try require(exemplars >= 1, "exemplars", exemplars, "at least 1")
        try require(distinctiveTokens >= 1, "distinctive tokens", distinctiveTokens, "at least 1")
        try require(minimumTokenLength >= 1, "minimum token length", minimumTokenLength, "at least 1")
        try require(duplicateSimilarity > 0 && duplicateSimilarity <= 1, "duplicate similarity", duplicateSimilarity, "a cosine in (0, 1]")
        try require(suggestionMinimumMembers >= 2, "suggestion minimum members", suggestionMinimumMembers, "at least 2")
        try require(mapSample >= 1, "map sample", mapSample, "at least 1")
        try require(excerptLength >= 20, "excerpt length", excerptLength, "at least 20 characters")
    }
}
