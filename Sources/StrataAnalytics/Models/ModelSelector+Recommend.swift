import Foundation

extension ModelSelector {
    /// Recommends a model for one generation of `stage`.
    ///
    /// Among the candidates the budget affords, those whose quality (a posterior draw while
    /// evidence is thin, the posterior mean once it is not) meets `qualityTarget` are kept,
    /// and the cheapest wins; when none meets it, the one with the best quality does.
    ///
    /// - Parameters:
    ///   - stage: The pipeline stage (`generate`, `refine`, ...).
    ///   - nodeType: Narrows the evidence to this node type where it holds enough.
    ///   - domain: Narrows the evidence to this domain where it holds enough.
    ///   - budget: What a generation may cost; see ``ModelBudget``. Default unlimited.
    ///   - qualityTarget: Mean quality wanted, 0–1. Default 0.8.
    ///   - excluding: Models not to consider (say, ones a migration just rolled back).
    /// - Returns: The choice, its expected quality and cost, the confidence that it meets the
    ///   target, the reason in plain words and every candidate weighed.
    /// - Throws: ``AnalyticsError/budgetExceeded(limit:cheapestModel:cheapestCost:)`` when no
    ///   candidate fits the budget; ``AnalyticsError/insufficientData(what:needed:got:)``
    ///   when there is no candidate at all.
    /// - Complexity: O(models); one posterior draw per thin, affordable model.
    public mutating func recommend(
        stage: String, nodeType: String? = nil, domain: String? = nil, budget: ModelBudget = .unlimited,
        qualityTarget: Double = 0.8, excluding: Set<String> = []
    ) throws(AnalyticsError) -> ModelRecommendation {
        guard !stage.isEmpty else { throw .invalidArgument(name: "stage", value: stage, expected: "a stage name such as generate") }
        guard qualityTarget.isFinite, (0...1).contains(qualityTarget) else {
            throw .invalidArgument(name: "quality target", value: "\(qualityTarget)", expected: "a quality in 0…1")
        }
        try budget.validate()
        let names = models.filter { !excluding.contains($0) }
        guard !names.isEmpty else { throw .insufficientData(what: "candidate models (registered or recorded)", needed: 1, got: 0) }

        let limit = budget.perGenerationLimit
        var candidates = names.map { assess($0, stage: stage, nodeType: nodeType, domain: domain, target: qualityTarget, limit: limit) }
        let affordable = candidates.indices.filter { candidates[$0].affordable }
        guard !affordable.isEmpty else {
            let cheapest = candidates.filter { $0.predictedCost != nil }.min { $0.predictedCost! < $1.predictedCost! }
            throw .budgetExceeded(limit: limit ?? 0, cheapestModel: cheapest?.model, cheapestCost: cheapest?.predictedCost)
        }
        var meets = Set<Int>()
        for index in affordable {
            var quality = candidates[index].decisionQuality
            if candidates[index].thin {
                quality = posterior(for: candidates[index], stage: stage, nodeType: nodeType, domain: domain).sampleMean(using: &random)
                candidates[index].decisionQuality = quality
            }
            if quality >= qualityTarget, successRateHolds(candidates[index].model, stage: stage, thin: candidates[index].thin) {
                meets.insert(index)
            }
        }
        let chosen: Int
        if meets.isEmpty {
            chosen = affordable.max { candidates[$0].decisionQuality < candidates[$1].decisionQuality }!
        } else {
            chosen = meets.min { lhs, rhs in
                let left = candidates[lhs].predictedCost ?? .infinity, right = candidates[rhs].predictedCost ?? .infinity
                return left != right ? left < right : candidates[lhs].decisionQuality > candidates[rhs].decisionQuality
            }!
        }
        let choice = candidates[chosen]
        let reason = explain(choice, met: meets.contains(chosen), among: candidates, target: qualityTarget, limit: limit)
        candidates.sort { ($0.predictedCost ?? .infinity, $0.model) < ($1.predictedCost ?? .infinity, $1.model) }
        return ModelRecommendation(
            model: choice.model, provider: choice.provider, predictedQuality: choice.predictedQuality, uncertainty: choice.uncertainty,
            predictedCost: choice.predictedCost, confidence: choice.confidence, reason: reason, alternatives: candidates, exploring: choice.thin
        )
    }

    /// The candidate's posterior and cost, without drawing.
    func assess(_ model: String, stage: String, nodeType: String?, domain: String?, target: Double, limit: Double?) -> ModelRecommendation.Candidate {
        let (evidence, scope) = narrowestEvidence(model, stage: stage, nodeType: nodeType, domain: domain)
        let posterior = posterior(evidence, stage: stage)
        let cost = expectedCost(model, stage: stage)
        let affordable = limit.map { limit in cost.map { $0 <= limit } ?? false } ?? true
        return ModelRecommendation.Candidate(
            model: model, provider: providers[model] ?? catalog.entry(model: model)?.provider ?? "unknown",
            predictedQuality: posterior.mean, uncertainty: posterior.halfWidth95, predictedCost: cost, evidence: evidence.scored,
            scope: scope, affordable: affordable, decisionQuality: posterior.mean,
            thin: evidence.scored < configuration.minimumEvidence, confidence: posterior.probability(atLeast: target)
        )
    }

    /// The narrowest scope with enough scored generations: node type and domain, node type,
    /// domain, then the stage as a whole.
    func narrowestEvidence(_ model: String, stage: String, nodeType: String?, domain: String?) -> (ModelEvidence, String) {
        var scopes: [(String?, String?)] = []
        if let nodeType, let domain { scopes.append((nodeType, domain)) }
        if let nodeType { scopes.append((nodeType, nil)) }
        if let domain { scopes.append((nil, domain)) }
        for (nodeType, domain) in scopes {
            if let narrow = evidence[Scope(model: model, stage: stage, nodeType: nodeType, domain: domain)], narrow.scored >= configuration.minimumEvidence {
                var words = "stage \(stage)"
                if let nodeType { words += ", node type \(nodeType)" }
                if let domain { words += ", domain \(domain)" }
                return (narrow, words)
            }
        }
        return (evidence[Scope(model: model, stage: stage)] ?? ModelEvidence(), "stage \(stage)")
    }

    func posterior(_ evidence: ModelEvidence, stage: String) -> QualityPosterior {
        let pool = stagePool[stage]
        let priorMean = (pool?.scored ?? 0) > 0 ? pool!.qualityMean : configuration.fallbackPriorMean
        return QualityPosterior(evidence: evidence, priorMean: priorMean, priorStrength: configuration.priorStrength, priorSD: configuration.priorSD)
    }

    func posterior(for candidate: ModelRecommendation.Candidate, stage: String, nodeType: String?, domain: String?) -> QualityPosterior {
        posterior(narrowestEvidence(candidate.model, stage: stage, nodeType: nodeType, domain: domain).0, stage: stage)
    }

    /// Mean recorded cost in the stage; else the list price at the stage's mean tokens; else
    /// the mean recorded cost in any stage.
    func expectedCost(_ model: String, stage: String) -> Double? {
        if let cost = evidence[Scope(model: model, stage: stage)]?.costMean { return cost }
        let pool = stagePool[stage]
        let input = (pool?.generations ?? 0) > 0 ? pool!.inputTokensMean : configuration.defaultInputTokens
        let output = (pool?.generations ?? 0) > 0 ? pool!.outputTokensMean : configuration.defaultOutputTokens
        if let price = catalog.entry(model: model)?.cost(inputTokens: input, outputTokens: output) { return price }
        let anywhere = evidence.filter { $0.key.model == model && $0.key.nodeType == nil && $0.key.domain == nil }.values
        let costed = anywhere.reduce(0) { $0 + $1.costed }
        return costed > 0 ? anywhere.reduce(0) { $0 + $1.totalCost } / Double(costed) : nil
    }

    /// The success-rate floor, on a Beta(1 + successes, 1 + others) draw while thin.
    mutating func successRateHolds(_ model: String, stage: String, thin: Bool) -> Bool {
        guard let floor = configuration.minimumSuccessRate else { return true }
        let evidence = evidence[Scope(model: model, stage: stage)] ?? ModelEvidence()
        let a = 1 + Double(evidence.successes), b = 1 + Double(evidence.generations - evidence.successes)
        return (thin ? random.beta(a, b) : a / (a + b)) >= floor
    }
}
