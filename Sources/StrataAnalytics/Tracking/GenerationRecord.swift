import Foundation

/// One generation as it happened: what was asked, which model answered, what it cost and how
/// good the result was. The unit of every model statistic, prediction and budget.
public struct GenerationRecord: Sendable, Equatable {
    /// How a generation ended.
    public enum Outcome: String, Sendable, CaseIterable, Codable {
        /// Produced, validated and accepted.
        case success
        /// Produced but failed validation or was rejected.
        case failure
        /// The provider or pipeline failed before producing anything.
        case error
    }

    /// The catalog's row id; `nil` until recorded.
    public var id: Int64?
    public var time: Date
    public var project: String
    /// `dev`, `staging`, `production`, ...
    public var environment: String
    public var prompt: String
    /// effect, compute, reducer, orchestrator or none.
    public var nodeType: String
    public var domain: String
    /// The pipeline stage that called the model (`generate`, `refine`, `validate`, ...).
    public var stage: String
    /// `offline`, `openai`, `anthropic`, ...
    public var provider: String
    public var model: String
    /// Wall time of the model call (or the stage), in seconds.
    public var latencySeconds: Double
    public var inputTokens: Int
    public var outputTokens: Int
    /// In US dollars. `nil` means "compute it from the price catalog when recorded".
    public var cost: Double?
    /// 0–1; `nil` when the generation was never scored.
    public var quality: Double?
    public var gatesPassed: [String]
    public var gatesFailed: [String]
    /// The patterns given to the model as context.
    public var patternIDs: [String]
    /// The highest similarity among the retrieved patterns (0–1), a predictor of quality.
    public var topSimilarity: Double?
    public var outcome: Outcome

    public init(
        id: Int64? = nil, time: Date = Date(), project: String = "default", environment: String = "dev",
        prompt: String = "", nodeType: String = "none", domain: String = "general", stage: String = "generate",
        provider: String, model: String, latencySeconds: Double = 0, inputTokens: Int = 0, outputTokens: Int = 0,
        cost: Double? = nil, quality: Double? = nil, gatesPassed: [String] = [], gatesFailed: [String] = [],
        patternIDs: [String] = [], topSimilarity: Double? = nil, outcome: Outcome = .success
    ) {
        self.id = id
        self.time = time
        self.project = project
        self.environment = environment
        self.prompt = prompt
        self.nodeType = nodeType
        self.domain = domain
        self.stage = stage
        self.provider = provider
        self.model = model
        self.latencySeconds = latencySeconds
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cost = cost
        self.quality = quality
        self.gatesPassed = gatesPassed
        self.gatesFailed = gatesFailed
        self.patternIDs = patternIDs
        self.topSimilarity = topSimilarity
        self.outcome = outcome
    }
}
