import Foundation

/// What a review quorum decided about a node.
public enum QuorumDecision: String, Sendable, Codable {
    /// The weighted score reached the pass threshold.
    case pass
    /// Between the thresholds: refine with the issues and review again.
    case retry
    /// Below the retry threshold.
    case fail
}

/// One reviewer's vote: its score and issues, or why it gave none, and what the call took.
public struct QuorumVote: Sendable, Equatable {
    public var provider: String
    public var model: String
    public var weight: Double
    /// 0–1, or nil when the reviewer gave no usable answer (``problem`` says why).
    public var score: Double?
    public var summary: String
    public var issues: [String]
    public var problem: String?
    public var inputTokens = 0
    public var outputTokens = 0
    public var cost: Double = 0
    public var latencySeconds: Double = 0

    public var jsonObject: [String: Any] {
        [
            "provider": provider, "model": model, "weight": weight, "score": score as Any, "summary": summary, "issues": issues,
            "problem": problem as Any, "input_tokens": inputTokens, "output_tokens": outputTokens, "cost": cost, "latency_seconds": latencySeconds,
        ]
    }
}

/// One round of review: every reviewer's vote, their weighted score and the decision.
public struct QuorumReview: Sendable, Equatable {
    /// 1 for the first review, 2 after the first retry, ...
    public var round: Int
    public var votes: [QuorumVote]
    /// The weighted mean of the scores given, or nil when no reviewer gave one.
    public var score: Double?
    /// Nil when no reviewer gave a score: the gates alone decide.
    public var decision: QuorumDecision?

    /// Weighs `votes` and decides by `configuration`.
    public init(round: Int, votes: [QuorumVote], configuration: QuorumConfiguration) {
        self.round = round
        self.votes = votes
        let scored = votes.compactMap { vote in vote.score.map { ($0, vote.weight) } }
        let weight = scored.reduce(0) { $0 + $1.1 }
        score = weight > 0 ? scored.reduce(0) { $0 + $1.0 * $1.1 } / weight : nil
        decision = score.map(configuration.decision(for:))
    }

    /// The issues the reviewers raised, each once, for a retry's refinement.
    public var issues: [String] {
        var seen = Set<String>()
        return votes.flatMap(\.issues).filter { seen.insert($0).inserted }
    }

    public var cost: Double { votes.reduce(0) { $0 + $1.cost } }

    public var jsonObject: [String: Any] {
        ["round": round, "score": score as Any, "decision": decision?.rawValue as Any, "cost": cost, "votes": votes.map(\.jsonObject)]
    }
}
