import Foundation
import StrataStore

/// What clustering a store's patterns found, told for people (``html()``) and for tools
/// (``jsonObject()``): per cluster its size, cohesion, exemplars, distinguishing words,
/// node-type and domain mix and quality; near-duplicate groups; suggestions in plain words;
/// a 2-D map; and what changed since the previous run on the same filter.
///
/// Build one from a store with ``generate(store:filter:clustering:configuration:history:)``,
/// or from a snapshot and a k-means result you already have with
/// ``build(snapshot:clustering:filter:configuration:)``.
public struct ClusterReport: Sendable {
    /// The run's id in the catalog's history; `nil` when the run was not recorded.
    public var runID: Int64?
    /// When the clustering ran.
    public var createdAt: Date
    /// The filter expression the patterns were chosen by (empty: every pattern).
    public var filter: String
    /// Patterns clustered.
    public var n: Int
    /// Clusters.
    public var k: Int { clusters.count }
    /// Vector dimension.
    public var dimension: Int
    /// Whether the clustering was spherical (cosine) k-means.
    public var spherical: Bool
    /// Σ squared distance of each vector to its centroid, as k-means measured it.
    public var inertia: Double
    /// Mean silhouette of a sample, when k was chosen by silhouette.
    public var silhouette: Double?
    /// k-means iterations run.
    public var iterations: Int
    /// The seed k-means ran with.
    public var seed: UInt64
    /// The clusters, largest first: cluster `i` of the report is `clusters[i]`.
    public var clusters: [ClusterSummary]
    /// The report's cluster of each pattern, in ``patternIDs`` order.
    public var assignments: [Int32]
    /// The clustered patterns' ids, in snapshot order.
    public var patternIDs: [String]
    /// Unit-length centroids, `k × dimension` row-major, in report cluster order.
    public var centroids: [Float]
    /// Groups of near-identical patterns, largest first.
    public var duplicateGroups: [DuplicateGroup]
    /// Where patterns could be merged into shared pieces, or reviewed.
    public var suggestions: [Suggestion]
    /// The 2-D map.
    public var map: ClusterMap
    /// What moved since the previous run on the same filter; `nil` for a first run.
    public var changes: ClusterChanges?
    /// Where the time went.
    public var timings: Timings

    /// Seconds spent in each step of building the report.
    public struct Timings: Sendable, Equatable {
        /// Reading the patterns and their vectors from the store.
        public var snapshot: Double = 0
        /// Clustering, choosing k included.
        public var kmeans: Double = 0
        /// Sizes, cohesion, exemplars, node-type and domain mix, quality.
        public var summaries: Double = 0
        /// Fitting the map's components and projecting the drawn points.
        public var pca: Double = 0
        /// Reading every text's words and ranking each cluster's.
        public var tokens: Double = 0
        /// Scoring the pairs within clusters and grouping them.
        public var duplicates: Double = 0
        /// Comparing with the previous run and recording this one.
        public var history: Double = 0

        /// Every step at 0 s.
        public init() {}

        /// Every step, in the order they ran, for printing.
        public var steps: [(name: String, seconds: Double)] {
            [("snapshot", snapshot), ("k-means", kmeans), ("summaries", summaries), ("pca", pca),
             ("tf-idf", tokens), ("duplicates", duplicates), ("history", history)]
        }
    }

    package init(runID: Int64?, createdAt: Date, filter: String, n: Int, dimension: Int, spherical: Bool, inertia: Double, silhouette: Double?, iterations: Int, seed: UInt64, clusters: [ClusterSummary], assignments: [Int32], patternIDs: [String], centroids: [Float], duplicateGroups: [DuplicateGroup], suggestions: [Suggestion], map: ClusterMap, changes: ClusterChanges?, timings: Timings) {
        self.runID = runID
        self.createdAt = createdAt
        self.filter = filter
        self.n = n
        self.dimension = dimension
        self.spherical = spherical
        self.inertia = inertia
        self.silhouette = silhouette
        self.iterations = iterations
        self.seed = seed
        self.clusters = clusters
        self.assignments = assignments
        self.patternIDs = patternIDs
        self.centroids = centroids
        self.duplicateGroups = duplicateGroups
        self.suggestions = suggestions
        self.map = map
        self.changes = changes
        self.timings = timings
    }
}

/// One cluster of a ``ClusterReport``.
public struct ClusterSummary: Sendable, Equatable {
    /// Position in the report (0 is the largest cluster).
    public var index: Int
    /// Members.
    public var size: Int
    /// Mean cosine similarity of the members to the centroid (1: all the same direction).
    public var cohesion: Double
    /// The members nearest the centroid, nearest first.
    public var exemplars: [Exemplar]
    /// The words that set the cluster apart from the whole snapshot, by TF-IDF weight.
    public var distinctiveTokens: [WeightedToken]
    /// Members per node type, most common first.
    public var nodeTypes: [Share]
    /// Members per domain (empty domains as "(none)"), most common first.
    public var domains: [Share]
    /// Mean of the members' quality (0–1).
    public var meanQuality: Double
    /// Standard deviation of the members' quality.
    public var qualitySpread: Double
    /// Mean of the members' success rate (0–1).
    public var meanSuccessRate: Double

    /// The node type of at least half the members, when it is not `none`.
    public var dominantNodeType: NodeType? {
        guard let first = nodeTypes.first, 2 * first.count >= size, let type = NodeType(rawValue: first.name), type != .none else { return nil }
        return type
    }

    package init(index: Int, size: Int, cohesion: Double, exemplars: [Exemplar], distinctiveTokens: [WeightedToken], nodeTypes: [Share], domains: [Share], meanQuality: Double, qualitySpread: Double, meanSuccessRate: Double) {
        self.index = index
        self.size = size
        self.cohesion = cohesion
        self.exemplars = exemplars
        self.distinctiveTokens = distinctiveTokens
        self.nodeTypes = nodeTypes
        self.domains = domains
        self.meanQuality = meanQuality
        self.qualitySpread = qualitySpread
        self.meanSuccessRate = meanSuccessRate
    }
}

/// A pattern shown as an example of its cluster.
public struct Exemplar: Sendable, Equatable {
    /// The pattern's id.
    public var id: String
    /// The pattern's name.
    public var name: String
    /// The first lines of its text, shortened.
    public var excerpt: String
    /// Cosine similarity to the centroid.
    public var similarity: Double
}

/// A word and how strongly it marks a cluster or group.
public struct WeightedToken: Sendable, Equatable {
    /// The word, lower-cased.
    public var token: String
    /// Share of members using the word × ln(patterns / patterns using it).
    public var weight: Double
}

/// A value (node type, domain) and how many members have it.
public struct Share: Sendable, Equatable {
    /// The value.
    public var name: String
    /// Members with it.
    public var count: Int
}

/// Patterns whose vectors are all linked by cosine ≥ the threshold (transitively).
public struct DuplicateGroup: Sendable, Equatable {
    /// The report cluster the group lies in.
    public var cluster: Int
    /// Member ids, in snapshot order.
    public var members: [String]
    /// The lowest similarity of the links that joined the group.
    public var minimumSimilarity: Double
    /// Words every member uses, rarest in the snapshot first.
    public var sharedTokens: [String]
    /// The most common node type among the members.
    public var nodeType: NodeType
}

/// A plain-words proposal computed from the report.
public struct Suggestion: Sendable, Equatable {
    /// What the suggestion proposes.
    public enum Kind: String, Sendable {
        /// A cohesive cluster whose members could share one piece.
        case extractShared = "extract_shared"
        /// A near-duplicate group that could become one pattern.
        case mergeDuplicates = "merge_duplicates"
        /// A cluster whose quality stands out as low.
        case reviewQuality = "review_quality"
    }

    /// What it proposes.
    public var kind: Kind
    /// The report cluster it is about.
    public var cluster: Int
    /// Patterns concerned.
    public var members: Int
    /// The sentence, ready to print.
    public var text: String
}
