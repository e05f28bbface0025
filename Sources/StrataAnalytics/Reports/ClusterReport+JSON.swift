import Foundation

extension ClusterReport {
    /// The report as JSON-ready values (snake_case keys), for `JSONSerialization`.
    ///
    /// Top level: `run_id`, `created_at` (ISO 8601), `filter`, `k`, `n`, `dimension`,
    /// `spherical`, `inertia`, `silhouette` (null unless k was chosen), `iterations`, `seed`,
    /// `clusters`, `duplicate_groups`, `suggestions`, `pca` (`explained_ratios`, `total`, the
    /// drawn `points` as columns `id`, `cluster`, `x`, `y`, and `centroids` as `[x, y]`),
    /// `changes` (null for a first run) and `timings` (seconds).
    public func jsonObject() -> [String: Any] {
        [
            "run_id": runID.map { $0 as Any } ?? NSNull(),
            "created_at": ISO8601DateFormatter().string(from: createdAt),
            "filter": filter,
            "k": k,
            "n": n,
            "dimension": dimension,
            "spherical": spherical,
            "inertia": inertia,
            "silhouette": silhouette.map { $0 as Any } ?? NSNull(),
            "iterations": iterations,
            "seed": NSNumber(value: seed),
            "clusters": clusters.map(\.jsonObject),
            "duplicate_groups": duplicateGroups.map(\.jsonObject),
            "suggestions": suggestions.map { ["kind": $0.kind.rawValue, "cluster": $0.cluster, "members": $0.members, "text": $0.text] },
            "pca": [
                "explained_ratios": map.explainedRatios,
                "total": map.total,
                // Columns, not one object a point: a tenth of the objects to build and to parse.
                "points": [
                    "id": map.points.map(\.id), "cluster": map.points.map(\.cluster),
                    "x": map.points.map { Double($0.x) }, "y": map.points.map { Double($0.y) },
                ] as [String: Any],
                "centroids": map.centroids.map { [Double($0.x), Double($0.y)] },
            ] as [String: Any],
            "changes": changes.map { $0.jsonObject as Any } ?? NSNull(),
            "timings": Dictionary(uniqueKeysWithValues: timings.steps.map { ($0.name, $0.seconds) }),
        ]
    }

    /// ``jsonObject()`` serialized, keys sorted.
    public func jsonData() -> Data {
        (try? JSONSerialization.data(withJSONObject: jsonObject(), options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }
}

extension ClusterSummary {
    var jsonObject: [String: Any] {
        [
            "index": index,
            "size": size,
            "cohesion": cohesion,
            "mean_quality": meanQuality,
            "quality_spread": qualitySpread,
            "mean_success_rate": meanSuccessRate,
            "exemplars": exemplars.map { ["id": $0.id, "name": $0.name, "excerpt": $0.excerpt, "similarity": $0.similarity] },
            "tokens": distinctiveTokens.map { ["token": $0.token, "weight": $0.weight] },
            "node_types": nodeTypes.map { ["name": $0.name, "count": $0.count] },
            "domains": domains.map { ["name": $0.name, "count": $0.count] },
        ]
    }
}

extension DuplicateGroup {
    var jsonObject: [String: Any] {
        ["cluster": cluster, "members": members, "min_similarity": minimumSimilarity, "shared_tokens": sharedTokens, "node_type": nodeType.rawValue]
    }
}

extension ClusterChanges {
    var jsonObject: [String: Any] {
        [
            "previous_run_id": previousRunID,
            "previous_created_at": ISO8601DateFormatter().string(from: previousCreatedAt),
            "matches": matches.map {
                ["cluster": $0.cluster, "previous_cluster": $0.previousCluster, "similarity": $0.similarity, "size": $0.size, "previous_size": $0.previousSize]
            },
            "new_clusters": newClusters,
            "vanished_clusters": vanishedClusters,
            "moved": movedCount,
            "moves": moves.map { ["id": $0.id, "from": $0.from, "to": $0.to] },
            "added_patterns": addedPatterns,
            "removed_patterns": removedPatterns,
        ]
    }
}
