import Foundation
import StrataAnalytics
import StrataStore

/// What the generator knows before it writes a line: similar patterns, the model to use and
/// what the result is expected to be.
struct Intelligence: Sendable {
    /// The RAG lookup's patterns, nearest first.
    var patterns: [RetrievedPattern] = []
    /// Patterns of the node's type at or above the similarity threshold: cited, reused, scored.
    var relevant: [RetrievedPattern] = []
    /// The hit threshold and grounding span, on the store's embedder's scale.
    var calibration = RetrievalCalibration.builtin
    var recommendation: ModelRecommendation?
    var prediction: GenerationResult.Prediction?
    /// The provider and model the generation will use.
    var provider: String = Generator.offlineProvider
    var model: String = Generator.offlineModel

    /// `offline`, or `openai/gpt-4o-mini`: what the file headers say wrote the code.
    var generatorLabel: String { provider == Generator.offlineProvider ? provider : "\(provider)/\(model)" }
}

extension Generator {
    /// Runs retrieval, model selection and the predictor's fit at once, each within its
    /// budget, then predicts for the chosen model.
    func gatherIntelligence(
        intent: GenerationIntent, qualityTarget: Double, budgetLimit: Double?, pinned: [String] = [], run: inout PipelineRun
    ) throws(GenerationError) -> Intelligence {
        let retrieval = StageTask("generation.retrieve") { () throws(GenerationError) -> ([RetrievedPattern], String) in try self.retrieve(intent, pinned: pinned) }
        // The recorded generations, read once for both the model choice and the predictor.
        let history = StageTask("generation.history") { () throws(GenerationError) -> [GenerationRecord]? in try self.history() }
        let selection = StageTask("generation.select") { () throws(GenerationError) -> (ModelRecommendation?, String) in
            try self.select(intent, history: try history.value(), qualityTarget: qualityTarget, budgetLimit: budgetLimit)
        }
        let fitting = StageTask("generation.predict") { () throws(GenerationError) -> (GenerationPredictor?, String) in
            try self.fitPredictor(history: try history.value())
        }

        var intelligence = Intelligence()
        intelligence.calibration = configuration.calibration(for: store?.embedderSettings)
        if let (patterns, _) = try finish(.retrieve, retrieval, budget: configuration.budgets.retrieve, run: &run) {
            intelligence.patterns = patterns
            intelligence.relevant = patterns.filter { $0.nodeType == intent.nodeType && $0.similarity >= intelligence.calibration.hitThreshold }
        }
        if let (recommendation, _) = try finish(.select, selection, budget: configuration.budgets.select, run: &run) {
            intelligence.recommendation = recommendation
        }
        if let provider {
            intelligence.provider = provider.name
            guard let model = model ?? intelligence.recommendation.flatMap({ $0.provider == provider.name ? $0.model : nil }) else {
                throw .invalidArgument(
                    name: "model", value: "(none)",
                    expected: "a \(provider.name) model (--model): the selector knows none of \(provider.name)'s models yet; give one, or set its price with `strata prices set --provider \(provider.name) --model NAME ...`")
            }
            intelligence.model = model
        }
        let predictorFit = try finish(.predict, fitting, budget: configuration.budgets.predict, run: &run, report: false)
        let started = ContinuousClock.now
        if let (predictor, detail) = predictorFit {
            if let predictor {
                let request = GenerationRequest(
                    nodeType: intent.nodeType.rawValue, domain: intent.domain, stage: Self.recordStage, model: intelligence.model,
                    prompt: intent.prompt, topSimilarity: intelligence.relevant.first?.similarity, contextPatterns: intelligence.relevant.count)
                do {
                    let forecast = try predictor.predict(request)
                    intelligence.prediction = .init(
                        quality: forecast.quality.value, qualityRange: forecast.quality.low...forecast.quality.high, cost: forecast.cost.value)
                    run.finish(.predict, .ran, since: fitting.started, detail: String(format: "quality %.2f (%.2f–%.2f), cost $%.5f", forecast.quality.value, forecast.quality.low, forecast.quality.high, forecast.cost.value))
                } catch {
                    run.finish(.predict, .failed, since: fitting.started, detail: error.description)
                }
            } else {
                run.finish(.predict, .skipped, since: started, detail: detail)
            }
        }
        return intelligence
    }

    /// Waits for a stage and reports it; `nil` when it was skipped, failed or ran over its budget.
    private func finish<Value>(
        _ stage: GenerationStage, _ task: StageTask<(Value, String)>, budget: Duration, run: inout PipelineRun, report: Bool = true
    ) throws(GenerationError) -> (Value, String)? {
        guard let result = task.wait(budget: budget) else {
            run.finish(stage, .timedOut, since: task.started, detail: "over its \(budget) budget; went on without it")
            return nil
        }
        switch result {
        case let .success(value):
            if report { run.finish(stage, .ran, since: task.started, detail: value.1) }
            return value
        case let .failure(error):
            run.finish(stage, .failed, since: task.started, detail: error.description)
            return nil
        }
    }

    /// The RAG lookup: the prompt, the class and folder names and the operations' methods,
    /// against patterns of the node's type and at least the minimum quality. The names are
    /// what the node's code will say: they bring the query nearer the code it is compared with.
    /// The `pinned` patterns of the node's type come too, scored against the same query.
    func retrieve(_ intent: GenerationIntent, pinned: [String] = []) throws(GenerationError) -> ([RetrievedPattern], String) {
        guard let store else { return ([], "no store") }
        var filter = PatternFilter()
        filter.nodeTypes = [intent.nodeType]
        filter.minQuality = configuration.minimumPatternQuality
        filter.tagsNone = configuration.excludedEnvironmentTags
        let query = ([intent.prompt, intent.className, intent.folderName] + intent.operations.map { "_" + $0 }).joined(separator: " ")
        do {
            var patterns = try store.search(SearchRequest(query: .text(query), k: configuration.retrievalLimit, filter: filter)).hits.map(RetrievedPattern.init)
            let missing = pinned.filter { id in !patterns.contains { $0.id == id } }
            if !missing.isEmpty {
                var only = PatternFilter()
                only.nodeTypes = [intent.nodeType]
                only.payload = .hasID(missing)
                only.tagsNone = filter.tagsNone
                patterns += try store.search(SearchRequest(query: .text(query), k: missing.count, filter: only)).hits.map(RetrievedPattern.init)
                patterns.sort { $0.similarity > $1.similarity }
            }
            let best = patterns.first.map { String(format: ", best %.2f", $0.similarity) } ?? ""
            let kept = pinned.isEmpty ? "" : ", \(patterns.filter { pinned.contains($0.id) }.count) of \(pinned.count) pinned"
            return (patterns, "\(patterns.count) patterns\(best)\(kept)")
        } catch {
            throw .store(error)
        }
    }

    /// The generations recorded under ``recordStage`` (in this environment only, when
    /// ``GeneratorConfiguration/scopedToEnvironment``), oldest first; `nil` without a tracker.
    func history() throws(GenerationError) -> [GenerationRecord]? {
        guard let tracker else { return nil }
        do {
            let records = try tracker.records(stage: Self.recordStage, since: nil)
            return configuration.scopedToEnvironment ? records.filter { $0.environment == configuration.environment } : records
        } catch {
            throw .analytics(error)
        }
    }

    /// The tag of the patterns stored by generations in `environment`.
    static func environmentTag(_ environment: String) -> String { "env:\(environment)" }

    /// The selector's choice for this node under the budget and the quality target, among the
    /// provider's models when a provider is set (every model otherwise).
    func select(_ intent: GenerationIntent, history: [GenerationRecord]?, qualityTarget: Double, budgetLimit: Double?) throws(GenerationError) -> (ModelRecommendation?, String) {
        guard let tracker, let history else { return (nil, "no performance tracker") }
        do throws(AnalyticsError) {
            var selector = try ModelSelector(catalog: ModelCatalog(latestOf: try tracker.prices.all()), history: history)
            let excluded = provider.map { provider in Set(selector.models.filter { selector.provider(of: $0) != provider.name }) } ?? []
            guard selector.models.contains(where: { !excluded.contains($0) }) else { return (nil, "no model recorded or priced yet") }
            let recommendation = try selector.recommend(
                stage: Self.recordStage, nodeType: intent.nodeType.rawValue, domain: intent.domain,
                budget: budgetLimit.map { .perGeneration(dollars: $0) } ?? .unlimited, qualityTarget: qualityTarget, excluding: excluded)
            return (recommendation, "\(recommendation.provider)/\(recommendation.model)")
        } catch {
            throw .analytics(error)
        }
    }

    /// The predictor fitted on the recorded generations, or `nil` (and why) when there are too few.
    func fitPredictor(history: [GenerationRecord]?) throws(GenerationError) -> (GenerationPredictor?, String) {
        guard let history else { return (nil, "no performance tracker") }
        do throws(AnalyticsError) {
            // Newest first, the order the tracker's own queries give (the folds of the
            // cross-validation follow it).
            return (try GenerationPredictor.fit(records: history.reversed()), "")
        } catch {
            if case let .insufficientData(_, needed, got) = error {
                return (nil, "\(got) scored generations recorded; the predictor needs \(needed)")
            }
            throw .analytics(error)
        }
    }
}
