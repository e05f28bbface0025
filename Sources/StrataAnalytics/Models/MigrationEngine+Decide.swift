import Foundation

extension MigrationEngine {
    /// What the engine would decide for `stage` at `time`, without applying it.
    ///
    /// A stage the engine has no state for starts as `stable` on its most-used model.
    /// - Throws: ``AnalyticsError/insufficientData(what:needed:got:)`` for a stage with
    ///   neither a state nor a generation.
    public func evaluate(stage: String, at time: Date) throws(AnalyticsError) -> MigrationDecision {
        let observations = observations[stage] ?? StageObservations()
        guard let context = stages[stage] ?? observations.mostUsed.map({ StageContext(state: .stable(model: $0), since: time) }) else {
            throw .insufficientData(what: "generations in stage '\(stage)'", needed: 1, got: 0)
        }
        let judge = Judge(policy: policy, context: context, observations: observations, stage: stage, time: time)
        switch context.state {
        case let .canary(from, to, _):
            return judge.canary(from: from, to: to)
        case let .promoted(from, to):
            if let rollBack = judge.watch(from: from, to: to) { return rollBack }
            return judge.seekCandidate(incumbent: to)
        case let .stable(model), let .rolledBack(model, _):
            return judge.seekCandidate(incumbent: model)
        }
    }
}

/// The decision rules for one stage at one time (pure: reads, never writes).
private struct Judge {
    let policy: MigrationPolicy
    let context: MigrationEngine.StageContext
    let observations: StageObservations
    let stage: String
    let time: Date

    /// A model's evidence: its recent scored generations since it was last rolled back.
    func evidence(_ model: String) -> NonInferiorityTest.Sample {
        observations.sample(model, after: context.rejections[model], window: policy.evidenceWindow)
    }

    func decision(_ action: MigrationDecision.Action, _ after: MigrationState, _ evidence: MigrationEvidence, _ reason: String) -> MigrationDecision {
        MigrationDecision(stage: stage, time: time, action: action, before: context.state, after: after, evidence: evidence, reason: reason)
    }

    func test(_ candidate: NonInferiorityTest.Sample, _ incumbent: NonInferiorityTest.Sample) -> NonInferiorityResult? {
        NonInferiorityTest.run(candidate: candidate, incumbent: incumbent, margin: policy.margin)
    }

    /// The CUSUM over the candidate's generations since its canary began; a roll-back
    /// decision when it alarms.
    func watch(from: String, to: String) -> MigrationDecision? {
        let (evidence, alarm) = watchEvidence(from: from, to: to)
        guard alarm, let baseline = evidence.incumbent, let watched = evidence.candidate else { return nil }
        let reason = "the quality of \(to) fell: over its \(watched.generations) generations since the canary began it averaged "
            + "\(q(watched.mean)) against \(from)'s \(q(baseline.mean)) less the \(q(policy.margin)) margin "
            + "(CUSUM \(String(format: "%.1f", evidence.watchStatistic ?? 0)) ≥ \(String(format: "%.1f", policy.watchThreshold))); back to \(from)"
        return decision(.rollBack, .rolledBack(to: from, from: to), evidence, reason)
    }

    func watchEvidence(from: String, to: String) -> (MigrationEvidence, alarm: Bool) {
        let baseline = evidence(from)
        let watched = observations.sample(to, after: context.watchSince ?? context.since)
        let before = observations.sample(to, after: context.rejections[to], before: context.watchSince ?? context.since)
        let baseSummary = baseline.summary(from), watchedSummary = watched.summary(to), beforeSummary = before.summary(to)
        var evidence = MigrationEvidence(incumbent: baseSummary, candidate: watchedSummary, canaryGenerations: watched.quality.count)
        guard baseline.quality.count >= 2 else { return (evidence, false) }
        // The spread of both models as they were before the watch: a drop must not widen
        // its own yardstick.
        let sd = beforeSummary.generations >= 2 ? ((baseSummary.sd * baseSummary.sd + beforeSummary.sd * beforeSummary.sd) / 2).squareRoot() : baseSummary.sd
        let scan = QualityWatch(baselineMean: baseSummary.mean, sd: sd, policy: policy).scan(watched.quality)
        evidence.watchStatistic = scan.statistic
        evidence.watchThreshold = policy.watchThreshold
        return (evidence, scan.alarm)
    }

    func canary(from: String, to: String) -> MigrationDecision {
        if let rollBack = watch(from: from, to: to) { return rollBack }
        var (evidence, _) = watchEvidence(from: from, to: to)
        let canaryCount = evidence.canaryGenerations ?? 0
        let candidate = self.evidence(to), incumbent = self.evidence(from)
        evidence.candidate = candidate.summary(to)
        evidence.incumbent = incumbent.summary(from)
        guard canaryCount >= policy.canaryGenerations, let result = test(candidate, incumbent) else {
            return decision(.hold, context.state, evidence, "canary of \(to): \(canaryCount) of \(policy.canaryGenerations) generations before it can be promoted")
        }
        evidence.test = result
        let comparison = "\(to) \(q(evidence.candidate!.mean)) over \(candidate.quality.count) against \(from) \(q(evidence.incumbent!.mean)) over \(incumbent.quality.count), "
            + "difference \(signed(result.difference)) ± \(q(1.96 * result.standardError))\(result.adjusted ? " (similarity-adjusted)" : "")"
        if result.pValue < policy.alpha {
            return decision(.promote, .promoted(from: from, to: to), evidence,
                            "\(comparison): within the \(q(policy.margin)) margin (\(pv(result.pValue)) < \(p(policy.alpha))); \(to) takes every generation")
        }
        if result.inferiorityPValue < policy.alpha {
            return decision(.rollBack, .rolledBack(to: from, from: to), evidence,
                            "\(comparison): worse by more than the \(q(policy.margin)) margin (\(pv(result.inferiorityPValue))); back to \(from)")
        }
        if canaryCount >= policy.maximumCanaryGenerations {
            return decision(.rollBack, .rolledBack(to: from, from: to), evidence,
                            "\(comparison): not shown within the margin after \(canaryCount) canary generations (\(pv(result.pValue))); back to \(from)")
        }
        return decision(.hold, context.state, evidence, "\(comparison): not yet shown within the \(q(policy.margin)) margin (\(pv(result.pValue)) ≥ \(p(policy.alpha)))")
    }

    /// From a settled state: the cheapest model worth a canary, if any.
    func seekCandidate(incumbent model: String) -> MigrationDecision {
        let incumbent = evidence(model)
        var evidence = MigrationEvidence(incumbent: incumbent.summary(model))
        guard incumbent.quality.count >= policy.minimumGenerations else {
            return decision(.hold, context.state, evidence, "\(model) has \(incumbent.quality.count) of \(policy.minimumGenerations) scored generations needed for a comparison")
        }
        guard let incumbentCost = observations.costMean(model), incumbentCost > 0 else {
            return decision(.hold, context.state, evidence, "\(model) has no recorded cost, so no model can be shown cheaper")
        }
        let rejected = Set(context.rejections.filter { time.timeIntervalSince($0.value) < policy.rejectionPeriod }.keys)
        let cheaper = observations.models
            .filter { $0 != model && !rejected.contains($0) }
            .compactMap { name in observations.costMean(name).map { (name, $0) } }
            .filter { $0.1 <= (1 - policy.minimumSaving) * incumbentCost }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        var waiting: [String] = [], inferior: [String] = []
        for (name, cost) in cheaper {
            let candidate = self.evidence(name)
            guard candidate.quality.count >= policy.minimumGenerations else {
                waiting.append("\(name) \(candidate.quality.count) of \(policy.minimumGenerations)")
                continue
            }
            guard let result = test(candidate, incumbent) else { continue }
            evidence.candidate = candidate.summary(name)
            evidence.test = result
            if result.inferiorityPValue >= policy.alpha {
                let share = Int((policy.canaryShare * 100).rounded())
                return decision(.startCanary, .canary(from: model, to: name, share: policy.canaryShare), evidence,
                                "\(name) costs \(percent(cost / incumbentCost)) of \(model) and, over \(candidate.quality.count) generations, scores "
                                + "\(q(evidence.candidate!.mean)) against \(q(evidence.incumbent!.mean)) (difference \(signed(result.difference)) ± \(q(1.96 * result.standardError))): "
                                + "not shown worse by more than the \(q(policy.margin)) margin (one-sided \(pv(result.inferiorityPValue)) ≥ \(p(policy.alpha))); trying it on \(share) % of generations")
            }
            inferior.append("\(name) \(q(evidence.candidate!.mean)) (one-sided \(pv(result.inferiorityPValue)))")
        }
        var reason = "no cheaper model to try for \(model)"
        if !inferior.isEmpty { reason += "; worse by more than the \(q(policy.margin)) margin: " + inferior.joined(separator: ", ") }
        if !waiting.isEmpty { reason += "; too few generations: " + waiting.joined(separator: ", ") }
        if cheaper.isEmpty { reason += ": none costs at most \(percent(1 - policy.minimumSaving)) of it" + (rejected.isEmpty ? "" : " outside the rolled-back \(rejected.sorted().joined(separator: ", "))") }
        return decision(.hold, context.state, evidence, reason)
    }

    func q(_ value: Double) -> String { String(format: "%.3f", value) }
    func signed(_ value: Double) -> String { String(format: "%+.3f", value) }
    func pv(_ value: Double) -> String { value < 0.001 ? "p < 0.001" : String(format: "p = %.3f", value) }
    func p(_ value: Double) -> String { String(format: "%.3f", value) }
    func percent(_ share: Double) -> String { share < 0.1 ? String(format: "%.1f %%", share * 100) : String(format: "%.0f %%", share * 100) }
}
