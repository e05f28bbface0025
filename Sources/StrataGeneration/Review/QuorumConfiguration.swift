import Foundation

/// One model of a review quorum, and how much its vote counts.
public struct QuorumReviewer: Sendable {
    public var provider: any Provider
    public var model: String
    /// The vote's weight, above 0. Default 1.
    public var weight: Double

    public init(provider: any Provider, model: String, weight: Double = 1) {
        self.provider = provider
        self.model = model
        self.weight = weight
    }
}

/// How several models review a generated node together: each scores the contract and the
/// code from 0 to 1, and their weighted mean decides: at or above ``passAt`` the node passes,
/// below ``retryAt`` it fails, between the two it is refined again with the reviewers' issues
/// and reviewed again (at most ``maxRetries`` times). Without reviewers, or offline, the
/// validation gates alone decide.
public struct QuorumConfiguration: Sendable {
    public var reviewers: [QuorumReviewer]
    /// The weighted score a node passes at. Default 0.75.
    public var passAt: Double
    /// The weighted score below which a node fails. Default 0.5.
    public var retryAt: Double
    /// How many times a node between the two is refined and reviewed again. Default 1.
    public var maxRetries: Int
    /// The most tokens a review may answer with (what its budget hold assumes). Default 800.
    public var maxTokens: Int

    public init(reviewers: [QuorumReviewer], passAt: Double = 0.75, retryAt: Double = 0.5, maxRetries: Int = 1, maxTokens: Int = 800) {
        self.reviewers = reviewers
        self.passAt = passAt
        self.retryAt = retryAt
        self.maxRetries = maxRetries
        self.maxTokens = maxTokens
    }

    /// The decision a weighted score makes.
    public func decision(for score: Double) -> QuorumDecision {
        score >= passAt ? .pass : score < retryAt ? .fail : .retry
    }

    /// Checks the reviewers and thresholds.
    ///
    /// - Throws: ``GenerationError/invalidArgument(name:value:expected:)`` naming the first
    ///   value out of range.
    public func validate() throws(GenerationError) {
        guard !reviewers.isEmpty else {
            throw .invalidArgument(name: "reviewers", value: "none", expected: "at least one provider:model to review with")
        }
        for reviewer in reviewers where !(reviewer.weight.isFinite && reviewer.weight > 0) {
            throw .invalidArgument(name: "weight of \(reviewer.provider.name):\(reviewer.model)", value: "\(reviewer.weight)", expected: "a number above 0")
        }
        guard retryAt.isFinite, passAt.isFinite, 0 <= retryAt, retryAt <= passAt, passAt <= 1 else {
            throw .invalidArgument(name: "quorum thresholds", value: "retry at \(retryAt), pass at \(passAt)", expected: "0 ≤ retry ≤ pass ≤ 1, e.g. 0.5 and 0.75")
        }
        guard (0...5).contains(maxRetries) else {
            throw .invalidArgument(name: "quorum retries", value: "\(maxRetries)", expected: "0 to 5")
        }
        guard maxTokens >= 16 else {
            throw .invalidArgument(name: "review max tokens", value: "\(maxTokens)", expected: "at least 16")
        }
    }

    /// Reviewers from `provider:model[=weight]` items, comma-separated
    /// (`openai:gpt-4o-mini=2,anthropic:claude-haiku-4-5`), each provider made by `make`.
    ///
    /// - Throws: ``GenerationError/invalidArgument(name:value:expected:)`` for an item that is
    ///   not of that form or names an unknown provider (or offline), and what `make` throws.
    public static func reviewers(
        _ text: String, make: (ProviderKind) throws(GenerationError) -> (any Provider)?
    ) throws(GenerationError) -> [QuorumReviewer] {
        let expected = "provider:model[=weight], comma-separated, e.g. openai:gpt-4o-mini=2,anthropic:claude-haiku-4-5"
        var reviewers: [QuorumReviewer] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let (spec, weightText) = item.split(separator: "=", maxSplits: 1).map(String.init).pair
            let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty, let kind = ProviderKind(rawValue: parts[0]) else {
                throw .invalidArgument(name: "reviewer", value: item, expected: expected + " (providers: openai, anthropic, gemini)")
            }
            guard let provider = try make(kind) else {
                throw .invalidArgument(name: "reviewer", value: item, expected: "a provider that calls a model (openai, anthropic, gemini), not offline")
            }
            var weight = 1.0
            if let weightText {
                guard let value = Double(weightText), value.isFinite, value > 0 else {
                    throw .invalidArgument(name: "weight of reviewer \(spec)", value: weightText, expected: "a number above 0")
                }
                weight = value
            }
            reviewers.append(QuorumReviewer(provider: provider, model: parts[1], weight: weight))
        }
        guard !reviewers.isEmpty else { throw .invalidArgument(name: "reviewers", value: text, expected: expected) }
        return reviewers
    }
}

extension Array where Element == String {
    /// The first element and the second, if any.
    fileprivate var pair: (String, String?) { (self.first ?? "", count > 1 ? self[1] : nil) }
}
