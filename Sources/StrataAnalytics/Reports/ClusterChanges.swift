import Foundation
import StrataKernels

/// What moved between the previous clustering run on the same filter and this one.
///
/// Clusters are matched by centroid cosine, greedily from the most similar pair down, each
/// cluster at most once and only at or above a minimum similarity; the rest are new
/// (this run) or vanished (the previous run). A pattern in both runs has moved when its
/// previous cluster's match is not its cluster now (or its previous cluster vanished).
public struct ClusterChanges: Sendable, Equatable {
    /// A cluster of this run and the previous run's cluster it continues.
    public struct Match: Sendable, Equatable {
        /// The cluster of this run.
        public var cluster: Int
        /// The previous run's cluster it continues (previous numbering).
        public var previousCluster: Int
        /// Cosine similarity of the two centroids.
        public var similarity: Double
        /// Members now.
        public var size: Int
        /// Members in the previous run.
        public var previousSize: Int
    }

    /// A pattern that changed cluster.
    public struct Move: Sendable, Equatable {
        public var id: String
        /// Its cluster in the previous run (previous numbering).
        public var from: Int
        /// Its cluster now.
        public var to: Int

        package init(id: String, from: Int, to: Int) {
            self.id = id
            self.from = from
            self.to = to
        }
    }

    /// The run compared with.
    public var previousRunID: Int64
    /// When that run was made.
    public var previousCreatedAt: Date
    /// The clusters that continue one of the previous run's, by cluster.
    public var matches: [Match]
    /// Clusters of this run that continue none of the previous run's.
    public var newClusters: [Int]
    /// Clusters of the previous run (previous numbering) that none of this run continues.
    public var vanishedClusters: [Int]
    /// Patterns in both runs that changed cluster.
    public var movedCount: Int
    /// A few of them, by id.
    public var moves: [Move]
    /// Patterns in this run that the previous run did not have.
    public var addedPatterns: Int
    /// Patterns of the previous run that this one does not have.
    public var removedPatterns: Int

    /// Compares `report` with a previous run.
    ///
    /// - Parameters:
    ///   - previousCentroids: `previousSizes.count × report.dimension` unit rows.
    ///   - previousAssignments: pattern id → previous cluster.
    ///   - minimumSimilarity: centroids less similar than this are never matched.
    ///   - examples: moves listed at most.
    package static func compare(_ report: ClusterReport, previousRunID: Int64, previousCreatedAt: Date, previousCentroids: [Float],
                        previousSizes: [Int], previousAssignments: [String: Int32],
                        minimumSimilarity: Double = 0.7, examples: Int = 10) -> ClusterChanges {
        let d = report.dimension
        let k = report.k
        let previousK = previousSizes.count
        var similarities = [Float](repeating: 0, count: k * previousK)
        if k > 0, previousK > 0 {
            report.centroids.withUnsafeBufferPointer { current in
                previousCentroids.withUnsafeBufferPointer { previous in
                    BatchScores.dotProducts(queries: current.baseAddress!, queryCount: k, base: previous.baseAddress!,
                                            baseCount: previousK, dimension: d, into: &similarities)
                }
            }
        }
        let pairs = similarities.indices.filter { Double(similarities[$0]) >= minimumSimilarity }
            .sorted { similarities[$0] != similarities[$1] ? similarities[$0] > similarities[$1] : $0 < $1 }
        var currentMatch = [Int](repeating: -1, count: k)
        var previousMatch = [Int](repeating: -1, count: previousK)
        var matches: [Match] = []
        for pair in pairs {
            let cluster = pair / previousK, previous = pair % previousK
            guard currentMatch[cluster] < 0, previousMatch[previous] < 0 else { continue }
            currentMatch[cluster] = previous
            previousMatch[previous] = cluster
            matches.append(Match(cluster: cluster, previousCluster: previous, similarity: Double(similarities[pair]),
                                 size: report.clusters[cluster].size, previousSize: previousSizes[previous]))
        }
        matches.sort { $0.cluster < $1.cluster }

        var moved = 0
        var moves: [Move] = []
        var kept = 0
        for (row, id) in report.patternIDs.enumerated() {
            guard let before = previousAssignments[id] else { continue }
            kept += 1
            let now = Int(report.assignments[row])
            if previousMatch[Int(before)] != now {
                moved += 1
                moves.append(Move(id: id, from: Int(before), to: now))
            }
        }
        moves.sort { $0.id < $1.id }
        return ClusterChanges(
            previousRunID: previousRunID, previousCreatedAt: previousCreatedAt, matches: matches,
            newClusters: (0..<k).filter { currentMatch[$0] < 0 },
            vanishedClusters: (0..<previousK).filter { previousMatch[$0] < 0 },
            movedCount: moved, moves: Array(moves.prefix(examples)),
            addedPatterns: report.n - kept, removedPatterns: previousAssignments.count - kept)
    }
}
