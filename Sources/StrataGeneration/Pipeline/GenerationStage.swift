/// The stages of one generation, in the order they finish.
public enum GenerationStage: String, Sendable, CaseIterable, Codable {
    case parse, retrieve, select, predict, contract, render, refine, validate, review, score, write, record, learn
}

/// How a stage went and how long it took.
public struct StageTiming: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        case ran
        /// Not needed or not possible this time (no store, no provider, too little history);
        /// `detail` says why.
        case skipped
        /// Over its time budget; its result was not waited for.
        case timedOut = "timed_out"
        /// Failed without failing the generation (a refinement the gates rejected).
        case failed
    }

    public var stage: GenerationStage
    public var status: Status
    /// Wall time in milliseconds.
    public var milliseconds: Double
    /// What happened, in a few words: "5 patterns, best 0.82", "no history to predict from".
    public var detail: String

    public init(stage: GenerationStage, status: Status, milliseconds: Double, detail: String = "") {
        self.stage = stage
        self.status = status
        self.milliseconds = milliseconds
        self.detail = detail
    }
}
