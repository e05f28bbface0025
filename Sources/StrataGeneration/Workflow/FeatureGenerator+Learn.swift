import Foundation
import StrataStore

/// A feature stored earlier: the pattern of its shape (its workflow, its nodes and their
/// wiring) and the node patterns it was made of, by role.
public struct PriorFeature: Sendable, Equatable {
    public var id: String
    /// The feature's similarity to the one being made.
    public var similarity: Double
    public var entity: String
    /// Role → the pattern id of that node, for the roles whose node was stored.
    public var nodes: [String: String]
}

extension FeatureGenerator {
    /// The kind of the patterns that store features.
    public static let featureKind: PatternKind = "workflow"

    /// The tag of a stored feature of `workflow`.
    static func workflowTag(_ workflow: Workflow) -> String { "workflow:\(workflow.name)" }

    /// What is embedded for a feature, stored or asked for: the request, the workflow and
    /// each node's role and type, so features of one shape lie near each other whatever
    /// their entity.
    static func featureText(prompt: String, workflow: Workflow, entity: FeatureEntity) -> String {
        let nodes = workflow.nodes.map { "\($0.role) \($0.type.rawValue) \(entity.fill($0.name))" }.joined(separator: ", ")
        let fields = entity.fields.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
        return "\(prompt)\nworkflow \(workflow.name): \(workflow.summary)\nentity \(entity.name) (\(fields))\nnodes: \(nodes)"
    }

    /// The stored feature of the same workflow nearest this request, or nil (no store, or
    /// none stored yet). In an environment-scoped configuration, only its environment's.
    func priorFeature(workflow: Workflow, prompt: String, entity: FeatureEntity) throws(GenerationError) -> PriorFeature? {
        guard let store = generator.store else { return nil }
        var filter = PatternFilter()
        filter.kinds = [Self.featureKind]
        filter.tagsAll = [Self.workflowTag(workflow)]
        filter.tagsNone = generator.configuration.excludedEnvironmentTags
        let hit: SearchHit?
        do {
            hit = try store.search(SearchRequest(query: .text(Self.featureText(prompt: prompt, workflow: workflow, entity: entity)), k: 1, filter: filter)).hits.first
        } catch {
            throw .store(error)
        }
        guard let hit else { return nil }
        let payload = hit.pattern.payload.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
        return PriorFeature(
            id: hit.pattern.id, similarity: hit.similarity, entity: payload["entity"] as? String ?? "",
            nodes: payload["nodes"] as? [String: String] ?? [:])
    }

    /// Stores a good feature as a pattern of its shape: every node accepted and stored, and
    /// the feature's quality (its weakest node's) at the store threshold. Returns the id and
    /// what happened, in words.
    func learn(_ result: FeatureResult, prompt: String, workflow: Workflow) -> (id: String?, detail: String) {
        let configuration = generator.configuration
        guard let store = generator.store, configuration.learn else {
            return (nil, configuration.learn ? "no store to learn into" : "dry run: nothing stored")
        }
        let unstored = result.nodes.filter { $0.result.storedPattern == nil }.map(\.role)
        guard unstored.isEmpty else { return (nil, "not stored: the nodes \(unstored.joined(separator: ", ")) were not good enough to store") }
        guard result.quality >= configuration.storeThreshold else {
            return (nil, String(format: "not stored: quality %.2f is under %.2f", result.quality, configuration.storeThreshold))
        }
        let nodes = Dictionary(uniqueKeysWithValues: result.nodes.compactMap { node in node.result.storedPattern.map { (node.role, $0.storedAs) } })
        let payload: [String: Any] = ["workflow": workflow.name, "entity": result.entity.name, "nodes": nodes]
        let text = Self.featureText(prompt: prompt, workflow: workflow, entity: result.entity)
        let pattern = NewPattern(
            id: "feature/\(workflow.name)/\(result.entity.snakeName)/\(Pattern.contentHash(of: text).prefix(12))", text: text,
            name: FeatureGenerator.folderName(workflow: workflow, entity: result.entity), kind: Self.featureKind,
            // No node type: node lookups (by type) never take a feature for a node.
            nodeType: .none, domain: workflow.name, language: "python", summary: prompt,
            tags: ["generated", "feature", Self.workflowTag(workflow), Generator.environmentTag(configuration.environment)],
            quality: result.quality, lifecycle: .provisional,
            payload: String(decoding: (try? JSONSerialization.data(withJSONObject: payload, options: .sortedKeys)) ?? Data("{}".utf8), as: UTF8.self))
        do {
            let added = try store.add(pattern)
            return (added.storedAs, "stored as \(added.storedAs)")
        } catch {
            return (nil, "not stored: \(error)")
        }
    }
}
