import Foundation
import StrataStore

extension ClusterReport {
    /// Proposals computed from the clusters and groups, the largest first:
    ///
    /// - a near-duplicate group of at least half ``ClusterReportConfiguration/suggestionMinimumMembers``
    ///   (and at least 2) members: merge it into one pattern;
    /// - a cluster of at least ``ClusterReportConfiguration/suggestionMinimumMembers`` members
    ///   whose cohesion is at least ``ClusterReportConfiguration/suggestionCohesion`` and at
    ///   least the median cohesion: extract what its members share;
    /// - clusters whose mean quality sits ``ClusterReportConfiguration/qualityGap`` below the
    ///   mean over all patterns (half of it when below ``ClusterReportConfiguration/lowQuality``),
    ///   by more than three standard errors: review or prune.
    func makeSuggestions(meanQuality overall: Double, configuration: ClusterReportConfiguration) -> [Suggestion] {
        var found: [Suggestion] = []
        let groupMinimum = max(2, configuration.suggestionMinimumMembers / 2)
        for group in duplicateGroups where group.members.count >= groupMinimum {
            let words = Self.quoted(group.sharedTokens.prefix(3))
            found.append(Suggestion(
                kind: .mergeDuplicates, cluster: group.cluster, members: group.members.count,
                text: "\(group.members.count) near-identical \(Self.noun(group.nodeType)) in cluster \(group.cluster)"
                    + (words.isEmpty ? "" : " (\(words))")
                    + " are copies of one another at cosine ≥ \(Self.decimal(group.minimumSimilarity)): keep one and merge the rest into it"))
        }
        let cohesions = clusters.map(\.cohesion).sorted()
        let median = cohesions.isEmpty ? 0 : cohesions[cohesions.count / 2]
        let cohesionFloor = max(configuration.suggestionCohesion, median)
        for cluster in clusters where cluster.size >= configuration.suggestionMinimumMembers && cluster.cohesion >= cohesionFloor {
            let words = Self.quoted(cluster.distinctiveTokens.prefix(3).map(\.token))
            guard !words.isEmpty else { continue }
            let type = cluster.dominantNodeType
            found.append(Suggestion(
                kind: .extractShared, cluster: cluster.index, members: cluster.size,
                text: "\(cluster.size) \(Self.noun(type ?? .none)) in cluster \(cluster.index) share \(words) (cohesion \(Self.decimal(cluster.cohesion))): "
                    + "extract \(Self.sharedPiece(type))"))
        }
        let byQuality = clusters.sorted { $0.meanQuality != $1.meanQuality ? $0.meanQuality < $1.meanQuality : $0.index < $1.index }
        for (rank, cluster) in byQuality.enumerated() where clusters.count > 1 {
            let gap = overall - cluster.meanQuality
            let standsOut = gap >= configuration.qualityGap || cluster.meanQuality < configuration.lowQuality && gap >= configuration.qualityGap / 2
            // Three standard errors: a small cluster's mean wanders by chance.
            let clear = gap >= 3 * cluster.qualitySpread / Double(cluster.size).squareRoot()
            guard standsOut && clear else { break }
            found.append(Suggestion(
                kind: .reviewQuality, cluster: cluster.index, members: cluster.size,
                text: "cluster \(cluster.index)'s mean quality \(Self.decimal(cluster.meanQuality)) is "
                    + (rank == 0 ? "the lowest" : "among the lowest")
                    + " (all patterns: \(Self.decimal(overall))): review or prune its \(cluster.size) patterns"))
        }
        return Array(found.sorted { $0.members != $1.members ? $0.members > $1.members : $0.cluster < $1.cluster }
            .prefix(configuration.maximumSuggestions))
    }

    /// "Effect patterns", "patterns".
    static func noun(_ type: NodeType) -> String {
        type == .none ? "patterns" : type.rawValue.prefix(1).uppercased() + type.rawValue.dropFirst() + " patterns"
    }

    /// What a cohesive group of this node type could share.
    static func sharedPiece(_ type: NodeType?) -> String {
        switch type {
        case .effect?, .orchestrator?: "a shared mixin"
        case .reducer?: "a shared base reducer"
        case .compute?, .none?, nil: "a shared function"
        }
    }

    static func quoted<S: Sequence<String>>(_ words: S) -> String {
        words.map { "`\($0)`" }.joined(separator: ", ")
    }

    /// A number with `digits` decimals, for sentences and pages.
    static func decimal(_ value: Double, digits: Int = 2) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "–"
    }
}
