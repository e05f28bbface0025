import Foundation

/// Moves stages from expensive models to cheaper ones on evidence, one canary at a time, and
/// back when quality drops.
///
/// Per stage it keeps a ``MigrationState``. Feed it every generation (``observe(_:)``), ask
/// it where the next one goes (``route(stage:)``), and let it decide (``step(stage:at:)``):
///
/// - **Start a canary** when a model costing at most `1 − minimumSaving` of the incumbent's
///   has `minimumGenerations` scored generations and is not shown worse than the incumbent
///   by more than the margin (one-sided test at `alpha`). The canary is how the engine
///   gathers the evidence to decide: it sends `canaryShare` of the generations there.
/// - **Promote** once the canary has `canaryGenerations` and the candidate is shown
///   non-inferior (one-sided test at `alpha`, candidate's and incumbent's evidence).
/// - **Roll back** a canary shown inferior, or not shown non-inferior after
///   `maximumCanaryGenerations`; and a canary or a promoted model whose quality drops
///   (``QualityWatch``, from the canary's start). A rolled-back model is not tried again on
///   the stage for `rejectionPeriod`, and its older evidence no longer counts.
///
/// Every state change is written to the ``MigrationLog`` when one is attached, with its
/// evidence, and so is the first hold after each change; an engine opened on a log resumes
/// where the log ends.
///
/// - Important: A value type holding per-stage state; use it from one thread.
public struct MigrationEngine: Sendable {
    /// What the engine keeps per stage beside the state.
    struct StageContext: Sendable {
        var state: MigrationState
        /// When the state began.
        var since: Date
        /// When the current candidate's canary began: the watch covers its generations from then.
        var watchSince: Date?
        /// Models rolled back on this stage, and when.
        var rejections: [String: Date] = [:]
        /// Generations routed since the canary began (drives the canary share).
        var routed = 0
        /// A hold has been logged since the last change (later holds are not).
        var holdLogged = false
    }

    public let policy: MigrationPolicy
    public let log: MigrationLog?
    var stages: [String: StageContext] = [:]
    var observations: [String: StageObservations] = [:]

    /// An engine that resumes every stage where `log` (if any) left it.
    /// - Throws: ``AnalyticsError/invalidArgument(name:value:expected:)`` for a policy out of
    ///   range; a catalog error when the log cannot be read.
    public init(policy: MigrationPolicy = MigrationPolicy(), log: MigrationLog? = nil) throws(AnalyticsError) {
        try policy.validate()
        self.policy = policy
        self.log = log
        for decision in try log?.decisions() ?? [] { remember(decision) }
    }

    /// Puts `stage` on `model` if the engine knows nothing of it yet.
    public mutating func begin(stage: String, model: String, at time: Date) {
        if stages[stage] == nil { stages[stage] = StageContext(state: .stable(model: model), since: time) }
    }

    /// The stage's state; `nil` before ``begin(stage:model:at:)``, a logged decision, or a step.
    public func state(of stage: String) -> MigrationState? { stages[stage]?.state }

    /// Every stage the engine has a state or generations for.
    public var knownStages: [String] { Set(stages.keys).union(observations.keys).sorted() }

    /// Learns one generation.
    public mutating func observe(_ record: GenerationRecord) {
        observations[record.stage, default: StageObservations()].add(record)
    }

    /// The model for the stage's next generation: during a canary, the candidate for
    /// `canaryShare` of them, spread evenly (a counter, so the split is exact and
    /// reproducible); otherwise the incumbent. `nil` for a stage the engine does not know.
    public mutating func route(stage: String) -> String? {
        guard var context = stages[stage] else { return nil }
        guard case let .canary(from, to, share) = context.state else { return context.state.incumbent }
        context.routed += 1
        stages[stage] = context
        let step = Double(context.routed)
        return (step * share).rounded(.down) > ((step - 1) * share).rounded(.down) ? to : from
    }

    /// Models rolled back on the stage within the rejection period before `time`.
    public func rejected(stage: String, at time: Date) -> Set<String> {
        Set((stages[stage]?.rejections ?? [:]).filter { time.timeIntervalSince($0.value) < policy.rejectionPeriod }.keys)
    }

    /// Evaluates the stage at `time` and applies the decision (logging it as described above).
    public mutating func step(stage: String, at time: Date) throws(AnalyticsError) -> MigrationDecision {
        let decision = try evaluate(stage: stage, at: time)
        let changes = decision.after != decision.before
        try apply(decision, log: changes || !(stages[stage]?.holdLogged ?? false))
        return decision
    }

    /// Makes `decision` the stage's state and, with `log` and a log attached, writes it.
    ///
    /// - Throws: ``AnalyticsError/migrationStateChanged(stage:found:)`` when another replica
    ///   changed the stage first; the engine has then replayed the stage from the log.
    public mutating func apply(_ decision: MigrationDecision, log shouldLog: Bool = true) throws(AnalyticsError) {
        var logged = decision
        if shouldLog, let log {
            do {
                logged.id = try log.append(decision)
            } catch {
                if case .migrationStateChanged = error {
                    stages[decision.stage] = nil
                    for earlier in try log.decisions(stage: decision.stage) { remember(earlier) }
                }
                throw error
            }
        }
        remember(logged)
    }

    /// Updates the stage's context as a decision dictates (also used to replay the log).
    mutating func remember(_ decision: MigrationDecision) {
        var context = stages[decision.stage] ?? StageContext(state: decision.before, since: decision.time)
        if decision.after != context.state {
            context.state = decision.after
            context.since = decision.time
            context.holdLogged = false
            context.routed = 0
        }
        switch decision.action {
        case .startCanary: context.watchSince = decision.time
        case .rollBack:
            if case let .rolledBack(_, from) = decision.after { context.rejections[from] = decision.time }
            context.watchSince = nil
        case .promote: break
        case .hold: context.holdLogged = true
        }
        stages[decision.stage] = context
    }
}
