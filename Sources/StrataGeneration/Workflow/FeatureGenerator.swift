import Foundation
import StrataAnalytics
import StrataKernels
import StrataStore
import Synchronization

/// Generates a feature: every node of a workflow through the single-node pipeline
/// (``Generator``), the nodes of one dependency wave at once, then the feature's own files
/// (``FeatureRenderer``), all written as one package folder:
///
/// ```
/// <out>/feature_<entity>_<workflow>/
///   __init__.py  wiring.py  models/model_<entity>.py  tests/test_integration.py
///   node_<domain>_<name>_<type>/v1_0_0/...   one per node, as a single generation writes it
/// ```
///
/// The folder is written whole into a hidden sibling and renamed into place: a failure in any
/// node (a provider that times out, a gate) leaves no part of the feature behind, and the
/// error names the node. Each node's generation is recorded and learned from as it ends.
public final class FeatureGenerator: Sendable {
    /// The single-node pipeline, configured not to write (the feature writes its nodes).
    public let generator: Generator
    public let outputDirectory: String
    public let force: Bool
    public let writeFiles: Bool
    /// Whether the nodes of a wave are generated at once (true) or one after another.
    public let concurrent: Bool

    /// - Parameter configuration: as a single generation's; its output folder, `force` and
    ///   `writeFiles` apply to the feature folder.
    public init(
        store: PatternStore? = nil, tracker: PerformanceTracker? = nil, provider: (any Provider)? = nil, model: String? = nil,
        quorum: QuorumConfiguration? = nil, configuration: GeneratorConfiguration = GeneratorConfiguration(), concurrent: Bool = true
    ) throws(GenerationError) {
        var nodeConfiguration = configuration
        nodeConfiguration.writeFiles = false
        generator = try Generator(store: store, tracker: tracker, provider: provider, model: model, quorum: quorum, configuration: nodeConfiguration)
        outputDirectory = configuration.outputDirectory
        force = configuration.force
        writeFiles = configuration.writeFiles
        self.concurrent = concurrent
    }

    /// The feature folder's name: `feature_<entity>_<workflow>`.
    public static func folderName(workflow: Workflow, entity: FeatureEntity) -> String {
        "feature_\(entity.snakeName)_\(FeatureRenderer.identifier(workflow.name))"
    }

    /// Generates and writes the feature `prompt` asks for, shaped by `workflow`, about `entity`.
    ///
    /// - Parameters:
    ///   - domain: the domain of the nodes whose workflow entry names none; nil: the prompt's.
    ///   - progress: called as each stage of each node ends (from several threads at once
    ///     when nodes are made concurrently), with the node's role.
    /// - Throws: ``GenerationError/file(path:problem:)`` when the feature folder exists and
    ///   `force` is not set (before any node is made), and the first node's failure, naming
    ///   the node. Nothing is written when it throws.
    public func generate(
        prompt: String, workflow: Workflow, entity: FeatureEntity, domain: String? = nil, qualityTarget: Double = 0.8, budgetLimit: Double? = nil,
        progress: (@Sendable (String, StageTiming) -> Void)? = nil
    ) throws(GenerationError) -> FeatureResult {
        let started = ContinuousClock.now
        let folder = (outputDirectory as NSString).appendingPathComponent(Self.folderName(workflow: workflow, entity: entity))
        if writeFiles, !force, FileManager.default.fileExists(atPath: folder) {
            throw .file(path: folder, problem: "already exists; pass --force to replace the feature, or choose another --out")
        }
        // The syntax checkers start now and are ready when the first wave reaches validation.
        ValidationGates.prepare(generator.configuration.validation, count: concurrent ? workflow.waves.map(\.count).max() ?? 1 : 1)
        // An earlier feature of this shape: each node's RAG lookup gets its node of the same role.
        let prior = try priorFeature(workflow: workflow, prompt: prompt, entity: entity)
        let staging = writeFiles ? (folder as NSString).deletingLastPathComponent + "/.\((folder as NSString).lastPathComponent).writing-\(ProcessInfo.processInfo.processIdentifier)" : nil
        do throws(GenerationError) {
            if let staging { try NodeWriter.filing(folder) { try? FileManager.default.removeItem(atPath: staging); try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true) } }
            var results: [String: GenerationResult] = [:]
            for wave in workflow.waves {
                try generate(
                    wave, prompt: prompt, entity: entity, domain: domain, qualityTarget: qualityTarget, budgetLimit: budgetLimit, prior: prior,
                    staging: staging, progress: progress
                ).forEach { results[$0] = $1 }
            }
            let files = FeatureRenderer(workflow: workflow, entity: entity, prompt: prompt, nodes: results.mapValues(\.node)).render()
            if let staging { try install(files, staging: staging, as: folder) }
            var result = FeatureResult(
                workflow: workflow.name, entity: entity, path: writeFiles ? folder : nil,
                nodes: workflow.nodes.map { FeatureResult.Node(role: $0.role, result: results[$0.role]!) }, files: files,
                seconds: 0, basedOn: prior)
            (result.storedAs, result.learnDetail) = learn(result, prompt: prompt, workflow: workflow)
            result.seconds = (ContinuousClock.now - started) / .seconds(1)
            return result
        } catch {
            if let staging { try? FileManager.default.removeItem(atPath: staging) }
            throw error
        }
    }

    /// Makes the nodes of one wave (at once unless ``concurrent`` is false), each written into
    /// `staging` as soon as it is made; the first failure, in workflow order, names its node.
    private func generate(
        _ wave: [Workflow.Node], prompt: String, entity: FeatureEntity, domain: String?, qualityTarget: Double, budgetLimit: Double?,
        prior: PriorFeature?, staging: String?, progress: (@Sendable (String, StageTiming) -> Void)?
    ) throws(GenerationError) -> [String: GenerationResult] {
        let made = Mutex<[String: Result<GenerationResult, GenerationError>]>([:])
        // Each node's writes are audited as the feature's caller's, and traced in its trace, on
        // whatever thread makes it.
        let context = WorkContext.current
        Parallel.forEach(wave.count, threads: concurrent ? wave.count : 1) { [generator] _, index in
            let node = wave[index]
            let request = Self.request(for: node, entity: entity, domain: domain)
            let outcome = context.run { Result { () throws(GenerationError) in
                let result = try generator.generate(
                    prompt: request.prompt, qualityTarget: qualityTarget, budgetLimit: budgetLimit, overrides: request.overrides,
                    pinnedPatterns: prior?.nodes[node.role].map { [$0] } ?? [], progress: progress.map { report in { report(node.role, $0) } })
                if let staging { try NodeWriter.write(result.node, into: staging) }
                return result
            } }
            made.withLock { $0[node.role] = outcome }
        }
        var results: [String: GenerationResult] = [:]
        for node in wave {
            switch made.withLock({ $0[node.role]! }) {
            case let .success(result): results[node.role] = result
            case let .failure(error): throw Self.naming(node.role, error)
            }
        }
        return results
    }

    /// What the single-node pipeline is asked for `node` of a feature about `entity`: the
    /// node's prompt with the entity filled in, and its type, name, domain and operations.
    public static func request(for node: Workflow.Node, entity: FeatureEntity, domain: String?) -> (prompt: String, overrides: IntentOverrides) {
        (entity.fill(node.prompt), IntentOverrides(
            nodeType: node.type, name: entity.fill(node.name), domain: node.domain ?? domain, operations: node.operations, recordFields: entity.fields))
    }

    /// Writes the feature's own files into `staging`, which holds its nodes, then renames it
    /// into place as `folder` (replacing an old feature only under `force`).
    private func install(_ files: [GeneratedFile], staging: String, as folder: String) throws(GenerationError) {
        let manager = FileManager.default
        try NodeWriter.filing(folder) {
            for file in files {
                let target = (staging as NSString).appendingPathComponent(file.path)
                try manager.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                // Inside the staging folder, renamed into place whole: no rename per file.
                try Data(file.text.utf8).write(to: URL(fileURLWithPath: target))
            }
            if manager.fileExists(atPath: folder) {
                guard force else { throw GenerationError.file(path: folder, problem: "appeared while the feature was made; pass --force to replace it, or choose another --out") }
                try manager.removeItem(atPath: folder)
            }
            try manager.moveItem(atPath: staging, toPath: folder)
        }
    }

    /// `error` saying it came from the node of `role`.
    static func naming(_ role: String, _ error: GenerationError) -> GenerationError {
        switch error {
        case let .provider(provider, problem): .provider(provider: provider, problem: "node \(role): \(problem)")
        case let .unclearPrompt(prompt, problem): .unclearPrompt(prompt: prompt, problem: "node \(role): \(problem)")
        case let .file(path, problem): .file(path: path, problem: "node \(role): \(problem)")
        case let .invalidArgument(name, value, expected): .invalidArgument(name: "\(name) of node \(role)", value: value, expected: expected)
        default: error
        }
    }
}
