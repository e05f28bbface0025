/// The model a selector recommends for a generation, with what it expects and why.
public struct ModelRecommendation: Sendable, Equatable {
    /// One model the selector weighed.
    public struct Candidate: Sendable, Equatable {
        public var model: String
        public var provider: String
        /// Posterior mean quality (0–1).
        public var predictedQuality: Double
        /// Half-width of the 95 % credible interval of the mean quality.
        public var uncertainty: Double
        /// Expected dollars per generation; `nil` when neither records nor prices say.
        public var predictedCost: Double?
        /// Scored generations behind the estimate, in ``scope``.
        public var evidence: Int
        /// Where the evidence comes from: `stage generate`, `stage generate, node type effect`, ...
        public var scope: String
        /// Within the budget.
        public var affordable: Bool
        /// The quality the decision used: a posterior draw while evidence is thin, else the mean.
        public var decisionQuality: Double
        /// Fewer scored generations than the selector trusts: chosen on a draw (exploration).
        public var thin: Bool
        /// Posterior probability that the mean quality meets the target.
        public var confidence: Double
    }

    public var model: String
    public var provider: String
    public var predictedQuality: Double
    public var uncertainty: Double
    /// Expected dollars per generation; `nil` only without a budget, when nothing says.
    public var predictedCost: Double?
    /// Posterior probability (0–1) that the model's mean quality meets the target.
    public var confidence: Double
    /// The plain-words explanation.
    public var reason: String
    /// Every model weighed, the chosen one included, cheapest first.
    public var alternatives: [Candidate]
    /// The choice rests on a posterior draw for a model with too little evidence.
    public var exploring: Bool
}
