import Foundation
import StrataAnalytics
import StrataStore
import StrataTracing

/// The generation pipeline: a prompt in, a validated, scored ONEX node out, recorded and
/// learned from.
///
/// Stages: parse the prompt → gather intelligence (the RAG lookup, the model choice and the
/// predictor's fit run at once, each within its time budget; then the prediction) → build the
/// contract → render from the templates and the retrieved patterns → refine with the model
/// provider, when there is one → validate → score → write the files → record the generation
/// in the performance tracker → store the result as a pattern when it is good enough, and
/// update the usage and success of the patterns it was built from.
///
/// Without a provider the generator is offline: templates only, deterministic, no network,
/// no cost. Without a store there is no retrieval and nothing is learned; without a
/// tracker nothing is recorded, predicted or selected.
public final class Generator: Sendable {
    public let store: PatternStore?
    public let tracker: PerformanceTracker?
    /// `nil`: offline.
    public let provider: (any Provider)?
    /// The model to ask; `nil` lets the selector choose among the provider's models.
    public let model: String?
    /// The models that review each node that passes its gates; `nil`: the gates alone decide.
    public let quorum: QuorumConfiguration?
    public let configuration: GeneratorConfiguration

    /// The provider and model names offline generations are recorded under.
    public static let offlineProvider = "offline"
    public static let offlineModel = "templates"
    /// The tracker stage generations are recorded, selected and predicted under.
    public static let recordStage = "generate"
    /// The tracker stage each reviewer's vote is recorded under.
    public static let reviewStage = "review"

    /// - Throws: ``GenerationError/invalidArgument(name:value:expected:)`` for a configuration
    ///   or quorum out of range.
    public init(
        store: PatternStore? = nil, tracker: PerformanceTracker? = nil, provider: (any Provider)? = nil, model: String? = nil,
        quorum: QuorumConfiguration? = nil, configuration: GeneratorConfiguration = GeneratorConfiguration()
    ) throws(GenerationError) {
        try configuration.validate()
        try quorum?.validate()
        self.quorum = quorum
        if let model, model.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .invalidArgument(name: "model", value: model, expected: "a model name, or none to let the selector choose")
        }
        self.store = store
        self.tracker = tracker
        self.provider = provider
        self.model = model
        self.configuration = configuration
    }

    /// Generates the node `prompt` asks for.
    ///
    /// - Parameters:
    ///   - qualityTarget: the quality the model choice aims at, 0–1. Default 0.8.
    ///   - budgetLimit: dollars this generation may spend (the model choice stays under it and
    ///     the provider refuses a call that could pass it); `nil` for no limit.
    ///   - overrides: node type, name, domain or operations, overriding what the prompt implies.
    ///   - pinnedPatterns: ids of patterns the RAG lookup returns whatever else it finds (the
    ///     nodes of an earlier feature of the same shape), with their true similarity.
    ///   - progress: called after each stage, on the calling thread.
    /// - Throws: ``GenerationError/unclearPrompt(prompt:problem:)``,
    ///   ``GenerationError/file(path:problem:)`` when the node exists and
    ///   ``GeneratorConfiguration/force`` is not set (checked before any model call),
    ///   ``GenerationError/invalidArgument(name:value:expected:)``. Nothing is written,
    ///   recorded or stored when it throws.
    @discardableResult
    public func generate(
        prompt: String, qualityTarget: Double = 0.8, budgetLimit: Double? = nil, overrides: IntentOverrides = IntentOverrides(),
        pinnedPatterns: [String] = [], progress: ((StageTiming) -> Void)? = nil
    ) throws(GenerationError) -> GenerationResult {
        guard qualityTarget.isFinite, (0...1).contains(qualityTarget) else {
            throw .invalidArgument(name: "quality target", value: "\(qualityTarget)", expected: "a quality from 0 to 1")
        }
        if let budgetLimit, !(budgetLimit.isFinite && budgetLimit >= 0) {
            throw .invalidArgument(name: "budget", value: "\(budgetLimit)", expected: "US dollars, 0 or more")
        }
        return try EngineTrace.span("generation") { (span) throws(GenerationError) in
            let result = try runStages(
                prompt: prompt, qualityTarget: qualityTarget, budgetLimit: budgetLimit, overrides: overrides, pinnedPatterns: pinnedPatterns, progress: progress)
            span.set("strata.generation.node_type", result.intent.nodeType.rawValue)
            span.set("strata.generation.quality", result.quality.value)
            span.set("gen_ai.provider.name", result.provider)
            span.set("gen_ai.request.model", result.model)
            return result
        }
    }

    /// The stages of ``generate(prompt:qualityTarget:budgetLimit:overrides:pinnedPatterns:progress:)``,
    /// its arguments checked; each stage a span of the generation's trace.
    private func runStages(
        prompt: String, qualityTarget: Double, budgetLimit: Double?, overrides: IntentOverrides, pinnedPatterns: [String], progress: ((StageTiming) -> Void)?
    ) throws(GenerationError) -> GenerationResult {
        let started = ContinuousClock.now
        let startTime = Date()
        var run = PipelineRun(progress: progress)

        let intent = try run.stage(.parse) { () throws(GenerationError) in
            let intent = try IntentParser.parse(prompt, overrides: overrides)
            return (intent, "\(intent.nodeType.className) \(intent.name), domain \(intent.domain), operations \(intent.operations.joined(separator: ", "))")
        }
        let intelligence = try gatherIntelligence(intent: intent, qualityTarget: qualityTarget, budgetLimit: budgetLimit, pinned: pinnedPatterns, run: &run)

        let contract = try run.stage(.contract) { () throws(GenerationError) in
            let contract = ContractBuilder.contract(for: intent)
            // Before any model call: a generation that cannot be written must not be paid for.
            if configuration.writeFiles, !configuration.force {
                try NodeWriter.refuseExisting(NodeWriter.versionFolder(of: intent, contract, in: configuration.outputDirectory))
            }
            return (contract, "\(contract.actions.count) actions, \(contract.input.fields.count) input and \(contract.output.fields.count) output fields")
        }
        let renderer = NodeRenderer(generator: intelligence.generatorLabel, minimumSimilarity: intelligence.calibration.hitThreshold)
        let rendered = run.stage(.render) {
            let node = renderer.render(intent: intent, contract: contract, patterns: intelligence.patterns)
            let reused = node.reusedBodies.count
            return (node, "\(node.files.count) files" + (reused > 0 ? ", \(reused) operation bodies from patterns" : ""))
        }
        let calls = CallBudget(tracker: tracker, project: configuration.project, environment: configuration.environment, limit: budgetLimit)
        var refinement = run.traced(.refine) { run in refine(rendered, intelligence: intelligence, calls: calls, run: &run) }

        let (validated, validation) = validate(refinement: &refinement, rendered: rendered, run: &run)
        let reviewed = run.traced(.review) { run in
            review(validated, report: validation, refinement: &refinement, intelligence: intelligence, calls: calls, run: &run)
        }
        let (node, report) = (reviewed.node, reviewed.report)
        let score = run.stage(.score) {
            let score = QualityScore.score(node, report: report, patterns: intelligence.relevant, groundingSimilarity: intelligence.calibration.grounding)
            return (score, String(format: "%.3f", score.value))
        }
        let path = try run.stage(.write) { () throws(GenerationError) in
            guard configuration.writeFiles else { return (String?.none, "not asked to write") }
            let path = try NodeWriter.write(node, into: configuration.outputDirectory, force: configuration.force)
            return (path, path)
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        let recordID = run.traced(.record) { run in
            recordGeneration(
                reviewed, score: score, refinement: refinement, intelligence: intelligence, time: startTime, seconds: seconds, calls: calls, run: &run)
        }
        let (stored, learnDetail) = run.traced(.learn) { run in learn(reviewed, score: score, intelligence: intelligence, run: &run) }

        return GenerationResult(
            intent: intent, node: node, path: path, quality: score, validation: report, reviews: reviewed.reviews, provider: refinement.provider,
            model: refinement.model, inputTokens: refinement.inputTokens, outputTokens: refinement.outputTokens,
            cost: refinement.cost + reviewed.cost,
            seconds: (ContinuousClock.now - started) / .seconds(1), stages: run.timings, patterns: intelligence.patterns,
            hits: intelligence.relevant.count, prediction: intelligence.prediction, recommendation: intelligence.recommendation,
            cheaperModel: cheaperModel(than: refinement, recommendation: intelligence.recommendation), storedPattern: stored,
            learnDetail: learnDetail, recordID: recordID)
    }

    /// Validates the refined node, or the rendered one; a refinement that passes fewer gates
    /// than the template's code is sent back (the refine stage says so).
    private func validate(refinement: inout Refinement, rendered: RenderedNode, run: inout PipelineRun) -> (RenderedNode, ValidationReport) {
        let chosen = run.stage(.validate) { () -> ((RenderedNode, ValidationReport), String) in
            let candidate = refinement.node ?? rendered
            var report = ValidationGates.validate(candidate, configuration: configuration.validation)
            var chosen = candidate
            if refinement.node != nil, !report.allPassed {
                let templateReport = ValidationGates.validate(rendered, configuration: configuration.validation)
                if templateReport.passed > report.passed {
                    refinement.rejection = "the model's code failed \(report.gates.filter { $0.status == .failed }.map(\.name).joined(separator: ", ")); kept the template's"
                    chosen = rendered
                    report = templateReport
                }
            }
            return ((chosen, report), "\(report.passed) of \(report.total) gates passed")
        }
        if let rejection = refinement.rejection { run.amend(.refine, status: .failed, detail: rejection) }
        return chosen
    }

    private func cheaperModel(than refinement: Refinement, recommendation: ModelRecommendation?) -> GenerationResult.CheaperModel? {
        guard let recommendation, let predicted = recommendation.predictedCost, recommendation.model != refinement.model,
              predicted < refinement.cost
        else { return nil }
        return .init(
            provider: recommendation.provider, model: recommendation.model, predictedQuality: recommendation.predictedQuality,
            predictedCost: predicted, saving: refinement.cost - predicted)
    }
}

/// The timings of one run, reported as each stage ends.
struct PipelineRun {
    var timings: [StageTiming] = []
    let progress: ((StageTiming) -> Void)?

    init(progress: ((StageTiming) -> Void)?) {
        self.progress = progress
    }

    /// Runs `body`, times it, reports it and returns its value.
    mutating func stage<T>(_ stage: GenerationStage, _ body: () throws(GenerationError) -> (T, String)) throws(GenerationError) -> T {
        try traced(stage) { (run) throws(GenerationError) -> T in
            let started = ContinuousClock.now
            let (value, detail) = try body()
            run.finish(stage, .ran, since: started, detail: detail)
            return value
        }
    }

    mutating func stage<T>(_ stage: GenerationStage, _ body: () -> (T, String)) -> T {
        traced(stage) { run in
            let started = ContinuousClock.now
            let (value, detail) = body()
            run.finish(stage, .ran, since: started, detail: detail)
            return value
        }
    }

    /// Runs `body`, which reports `stage` itself, inside the stage's span
    /// (`generation.<stage>`), annotated with how the stage ended.
    mutating func traced<T, E: Error>(_ stage: GenerationStage, _ body: (inout PipelineRun) throws(E) -> T) throws(E) -> T {
        try EngineTrace.span("generation." + stage.rawValue) { (span) throws(E) -> T in
            let value = try body(&self)
            if span.isRecording, let timing = timings.last(where: { $0.stage == stage }) {
                span.set("strata.stage.status", timing.status.rawValue)
                span.set("strata.stage.detail", timing.detail)
                if timing.status == .failed { span.fail(message: timing.detail) }
            }
            return value
        }
    }

    mutating func finish(_ stage: GenerationStage, _ status: StageTiming.Status, since started: ContinuousClock.Instant, detail: String) {
        report(StageTiming(stage: stage, status: status, milliseconds: (ContinuousClock.now - started) / .milliseconds(1), detail: detail))
    }

    mutating func report(_ timing: StageTiming) {
        timings.append(timing)
        progress?(timing)
    }

    /// Changes how an already reported stage ended (a refinement rejected by validation).
    mutating func amend(_ stage: GenerationStage, status: StageTiming.Status, detail: String) {
        guard let index = timings.lastIndex(where: { $0.stage == stage }) else { return }
        timings[index].status = status
        timings[index].detail = detail
    }
}
