import Foundation

/// What a feature generation made: each node's own result, the feature's files, where they
/// were written and how long it took.
public struct FeatureResult: Sendable {
    /// One node of the feature, by its role.
    public struct Node: Sendable {
        public var role: String
        public var result: GenerationResult
    }

    public var workflow: String
    public var entity: FeatureEntity
    /// The feature folder; nil when not asked to write.
    public var path: String?
    public var nodes: [Node]
    /// The feature's own files (wiring, shared model, integration tests), relative to its folder.
    public var files: [GeneratedFile]
    /// Wall-clock seconds, end to end.
    public var seconds: Double
    /// The stored feature of the same shape this one was made from, if any.
    public var basedOn: PriorFeature?
    /// The pattern this feature was stored as, when it was good enough.
    public var storedAs: String?
    /// What learning did with the feature, in words.
    public var learnDetail = ""

    /// The nodes' own seconds added up: what making them one after another would take.
    public var nodeSeconds: Double { nodes.reduce(0) { $0 + $1.result.seconds } }
    /// The model calls' cost, over every node.
    public var cost: Double { nodes.reduce(0) { $0 + $1.result.cost } }
    /// The lowest node quality: a feature is as good as its weakest node.
    public var quality: Double { nodes.map(\.result.quality.value).min() ?? 0 }
    /// Whether every gate of every node passed.
    public var allGatesPassed: Bool { nodes.allSatisfy(\.result.validation.allPassed) }
    /// What went wrong in a node without stopping the feature (a provider that failed, so the
    /// node kept its template's code), as `role: stage: detail`.
    public var problems: [String] {
        nodes.flatMap { node in
            node.result.stages.filter { $0.status == .failed }.map { "\(node.role): \($0.stage.rawValue): \($0.detail)" }
        }
    }

    /// The feature as `strata generate --workflow --json` prints it.
    public var jsonObject: [String: Any] {
        [
            "workflow": workflow, "entity": entity.name, "fields": entity.fields.map { "\($0.name):\($0.type)" }, "path": path as Any,
            "seconds": seconds, "node_seconds": nodeSeconds, "cost": cost, "quality": quality, "all_gates_passed": allGatesPassed,
            "files": files.map(\.path), "problems": problems, "stored_as": storedAs as Any, "learn": learnDetail,
            "based_on": basedOn.map { ["id": $0.id, "similarity": $0.similarity, "entity": $0.entity, "nodes": $0.nodes] as [String: Any] } as Any,
            "nodes": nodes.map { node -> [String: Any] in
                var object = node.result.jsonObject
                object["role"] = node.role
                object["path"] = path.map { ($0 as NSString).appendingPathComponent(node.result.intent.folderName) } as Any
                return object
            },
        ]
    }
}
