import Foundation

/// Where a stage stands in a migration.
///
/// ```
/// stable(A) ──start canary──▶ canary(A → B, share) ──promote──▶ promoted(A → B)
///                                   │                               │
///                                   └──────roll back──▶ rolledBack(to A, from B) ◀──┘
/// ```
/// `promoted` and `rolledBack` serve one model like `stable`, and may start the next canary.
public enum MigrationState: Sendable, Equatable, Codable {
    case stable(model: String)
    case canary(from: String, to: String, share: Double)
    case promoted(from: String, to: String)
    case rolledBack(to: String, from: String)

    /// The model that takes the stage's generations (during a canary, the incumbent, which
    /// takes all but the canary share).
    public var incumbent: String {
        switch self {
        case let .stable(model): return model
        case let .canary(from, _, _): return from
        case let .promoted(_, to): return to
        case let .rolledBack(to, _): return to
        }
    }

    /// Short words for tables: `canary premium → mini (10 %)`.
    public var summary: String {
        switch self {
        case let .stable(model): return "stable \(model)"
        case let .canary(from, to, share): return "canary \(from) → \(to) (\(Int((share * 100).rounded())) %)"
        case let .promoted(from, to): return "promoted \(to) (from \(from))"
        case let .rolledBack(to, from): return "rolled back to \(to) (from \(from))"
        }
    }
}

/// The quality of one arm of a comparison.
public struct ArmSummary: Sendable, Equatable {
    public var model: String
    public var generations: Int
    public var mean: Double
    public var sd: Double

    public init(model: String, generations: Int, mean: Double, sd: Double) {
        self.model = model
        self.generations = generations
        self.mean = mean
        self.sd = sd
    }
}

/// The numbers behind a decision, kept with it in the log.
public struct MigrationEvidence: Sendable, Equatable {
    public var incumbent: ArmSummary?
    public var candidate: ArmSummary?
    /// The non-inferiority comparison, when one was run.
    public var test: NonInferiorityResult?
    /// The CUSUM statistic of the quality watch (standard deviations) and its threshold.
    public var watchStatistic: Double?
    public var watchThreshold: Double?
    /// Candidate generations since the canary began.
    public var canaryGenerations: Int?

    public init(incumbent: ArmSummary? = nil, candidate: ArmSummary? = nil, test: NonInferiorityResult? = nil,
                watchStatistic: Double? = nil, watchThreshold: Double? = nil, canaryGenerations: Int? = nil) {
        self.incumbent = incumbent
        self.candidate = candidate
        self.test = test
        self.watchStatistic = watchStatistic
        self.watchThreshold = watchThreshold
        self.canaryGenerations = canaryGenerations
    }
}

/// One decision of the migration engine for one stage.
public struct MigrationDecision: Sendable, Equatable {
    public enum Action: String, Sendable, Codable, CaseIterable {
        case hold
        case startCanary = "start_canary"
        case promote
        case rollBack = "roll_back"
    }

    /// The log's row id; `nil` until logged.
    public var id: Int64?
    public var stage: String
    public var time: Date
    public var action: Action
    public var before: MigrationState
    public var after: MigrationState
    public var evidence: MigrationEvidence
    /// Plain words: what was compared and why this follows.
    public var reason: String

    public init(id: Int64? = nil, stage: String, time: Date, action: Action, before: MigrationState, after: MigrationState, evidence: MigrationEvidence, reason: String) {
        self.id = id
        self.stage = stage
        self.time = time
        self.action = action
        self.before = before
        self.after = after
        self.evidence = evidence
        self.reason = reason
    }
}
