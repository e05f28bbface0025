import ArgumentParser
import Foundation
import StrataAnalytics
import StrataGeneration
import StrataStore

extension Strata.Generate {
    /// The workflow to generate a feature of: the one named, or the one the prompt asks for
    /// when no single-node flag is given; nil for a single node.
    func featureWorkflow() throws -> Workflow? {
        let catalog = try WorkflowCatalog(folders: [WorkflowCatalog.folder(ofStore: store.path)] + (workflows.map { [$0] } ?? []))
        if let workflow { return try catalog.workflow(named: workflow) }
        guard nodeType == nil, name == nil, operations == nil else { return nil }
        return catalog.detect(in: prompt)
    }

    /// Generates the feature, one progress display for every node's stages.
    func runFeature(_ workflow: Workflow, store patterns: PatternStore?, tracker: PerformanceTracker?) throws {
        guard let entityName = self.entity ?? FeatureEntity.entity(in: prompt) else {
            throw ValidationError("the prompt names no entity for the \(workflow.name) workflow: pass --entity (User, OrderLine)")
        }
        let entity = try FeatureEntity(name: entityName, fields: try fields.map { try FeatureEntity.parseFields($0) } ?? FeatureEntity.defaultFields)
        let budgetGuard = try budget.map { limit throws(GenerationError) in try BudgetGuard(limit: limit) }
        let provider = try ProviderKind(rawValue: provider)!.make(baseURL: baseURL, prices: tracker?.prices, budget: budgetGuard)
        let generator = try FeatureGenerator(
            store: patterns, tracker: tracker, provider: provider, model: model, quorum: try quorum(tracker: tracker, budget: budgetGuard),
            configuration: generatorConfiguration, concurrent: !sequential)
        let display = FeatureProgress(
            bar: ProgressBar(total: workflow.nodes.count * GenerationStage.allCases.count, unit: "stages", piped: .linePerStep, enabled: !store.json))
        let result = try generator.generate(prompt: prompt, workflow: workflow, entity: entity, domain: domain, qualityTarget: qualityTarget, budgetLimit: budget) { role, timing in
            display.report(role, timing)
        }
        display.finish()
        if store.json {
            store.emit(result.jsonObject)
            return
        }
        print("\(workflow.name) feature for \(entity.name) (\(entity.fields.map { "\($0.name): \($0.type)" }.joined(separator: ", "))): \(result.nodes.count) nodes in \(format(result.seconds * 1_000, digits: 0)) ms")
        for node in result.nodes {
            let gates = node.result.validation
            print("  \(node.role.padding(toLength: 18, withPad: " ", startingAt: 0)) \(node.result.className.padding(toLength: 40, withPad: " ", startingAt: 0)) quality \(format(node.result.quality.value, digits: 3))  gates \(gates.passed)/\(gates.total)")
        }
        for problem in result.problems { note(problem) }
        if let path = result.path {
            print("written to \(path); run its tests with: python3 -m pytest \(out)")
        }
    }
}

/// The progress of a feature's nodes, reported from several threads, on one bar.
private final class FeatureProgress: @unchecked Sendable {
    private let bar: ProgressBar
    private let lock = NSLock()
    private var done = 0

    init(bar: ProgressBar) {
        self.bar = bar
    }

    func report(_ role: String, _ timing: StageTiming) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        bar.update(done: done, detail: "\(role): \(timing.stage.rawValue)")
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        bar.finish(done: done, detail: "done")
    }
}
