import Foundation
import StrataAnalytics
import StrataGeneration
import StrataStore
import Synchronization
import Testing

/// A provider that answers from a script: `answer(request, call number)` gives the text, or
/// nil to fail the call. Every request is kept.
final class ScriptedProvider: Provider, Sendable {
    let name: String
    let costPerCall: Double
    private let answer: @Sendable (CompletionRequest, Int) -> String?
    private let seen = Mutex<[CompletionRequest]>([])

    init(name: String, costPerCall: Double = 0.001, answer: @escaping @Sendable (CompletionRequest, Int) -> String?) {
        self.name = name
        self.costPerCall = costPerCall
        self.answer = answer
    }

    var requests: [CompletionRequest] { seen.withLock { $0 } }

    func complete(_ request: CompletionRequest) throws(GenerationError) -> Completion {
        let call = seen.withLock { $0.append(request); return $0.count }
        guard let text = answer(request, call) else { throw .provider(provider: name, problem: "HTTP 503 from the scripted server") }
        return Completion(text: text, model: request.model, inputTokens: 500, outputTokens: 200, latencySeconds: 0.01, cost: costPerCall)
    }

    /// A refiner: answers with the node.py its prompt carries, with a docstring line added.
    static func refiner() -> ScriptedProvider {
        ScriptedProvider(name: "openai", costPerCall: 0.002) { request, _ in
            guard let start = request.prompt.range(of: "```python\n"), let end = request.prompt.range(of: "```", range: start.upperBound..<request.prompt.endIndex) else { return nil }
            return "```python\n# Refined.\n" + request.prompt[start.upperBound..<end.lowerBound] + "```"
        }
    }

    /// A reviewer that scores each round from `scores` (the last one after that).
    static func reviewer(_ name: String, scores: [Double], issues: [String] = []) -> ScriptedProvider {
        ScriptedProvider(name: name) { _, call in
            let score = scores[min(call, scores.count) - 1]
            let object: [String: Any] = ["score": score, "summary": "scored \(score)", "issues": issues]
            return "Here is my review:\n" + String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
    }
}

@Suite struct QuorumReviewTests {
    static let prompt = "Create PostgreSQL writer Effect node"

    func generator(_ workspace: GenerationWorkspace, refiner: ScriptedProvider?, reviewers: [QuorumReviewer], configure: (inout GeneratorConfiguration) -> Void = { _ in }) throws -> Generator {
        var configuration = GeneratorConfiguration()
        configuration.outputDirectory = workspace.output
        configure(&configuration)
        return try Generator(
            store: workspace.store, tracker: workspace.tracker, provider: refiner, model: refiner == nil ? nil : "gpt-test",
            quorum: QuorumConfiguration(reviewers: reviewers), configuration: configuration)
    }

    @Test func aQuorumThatAgreesPassesAndEveryVoteIsRecorded() throws {
        let workspace = try GenerationWorkspace()
        let strict = ScriptedProvider.reviewer("anthropic", scores: [0.9])
        let lenient = ScriptedProvider.reviewer("gemini", scores: [0.6])
        let generator = try generator(workspace, refiner: .refiner(), reviewers: [
            QuorumReviewer(provider: strict, model: "claude-test", weight: 2), QuorumReviewer(provider: lenient, model: "gemini-test"),
        ])
        let result = try generator.generate(prompt: Self.prompt)
        let review = try #require(result.reviews.first)
        #expect(result.reviews.count == 1)
        #expect(abs((review.score ?? 0) - 0.8) < 1e-12, "(2 × 0.9 + 0.6) / 3")
        #expect(review.decision == .pass)
        #expect(review.votes.map(\.model) == ["claude-test", "gemini-test"])
        #expect(strict.requests.first?.prompt.contains("contract.yaml") == true && strict.requests.first?.prompt.contains("# Refined.") == true)
        #expect(abs(result.cost - 0.004) < 1e-12, "the refinement and both reviews")
        #expect(result.learnDetail.hasPrefix("stored"))
        let votes = try workspace.tracker.records(matching: RecordQuery(stage: Generator.reviewStage))
        #expect(Set(votes.map(\.provider)) == ["anthropic", "gemini"])
        #expect(Set(votes.compactMap(\.quality)) == [0.9, 0.6])
        #expect(votes.allSatisfy { $0.cost == 0.001 && $0.latencySeconds == 0.01 && $0.inputTokens == 500 })
        #expect(Set(votes.map(\.outcome)) == [.success, .failure], "each vote against the pass threshold")
        let generation = try #require(try workspace.tracker.records(matching: RecordQuery(stage: Generator.recordStage)).first)
        #expect(generation.outcome == .success && generation.cost == 0.002)
        #expect(result.jsonObject["review_decision"] as? String == "pass")
    }

    @Test func aMiddlingScoreRefinesWithTheIssuesAndReviewsAgain() throws {
        let workspace = try GenerationWorkspace()
        let refiner = ScriptedProvider.refiner()
        let reviewer = ScriptedProvider.reviewer("anthropic", scores: [0.6, 0.85], issues: ["log the rows written"])
        let result = try generator(workspace, refiner: refiner, reviewers: [QuorumReviewer(provider: reviewer, model: "claude-test")])
            .generate(prompt: Self.prompt)
        #expect(result.reviews.map(\.decision) == [.retry, .pass])
        #expect(refiner.requests.count == 2)
        #expect(refiner.requests.last?.prompt.contains("- log the rows written") == true)
        #expect(result.node.file(result.node.nodePath)?.text.hasPrefix("# Refined.\n# Refined.\n") == true, "the second refinement stands")
        #expect(abs(result.cost - (2 * 0.002 + 2 * 0.001)) < 1e-12)
        #expect(try workspace.tracker.records(matching: RecordQuery(stage: Generator.reviewStage)).count == 2)
    }

    @Test func aFailingQuorumIsRecordedAsAFailureAndNotStored() throws {
        let workspace = try GenerationWorkspace()
        let reviewer = ScriptedProvider.reviewer("anthropic", scores: [0.2], issues: ["writes nothing"])
        let result = try generator(workspace, refiner: nil, reviewers: [QuorumReviewer(provider: reviewer, model: "claude-test")])
            .generate(prompt: Self.prompt)
        #expect(result.validation.allPassed)
        #expect(result.reviews.map(\.decision) == [.fail])
        let stage = try #require(result.stages.first { $0.stage == .review })
        #expect(stage.status == .failed && stage.detail.contains("0.20") && stage.detail.contains("fail"))
        #expect(result.storedPattern == nil && result.learnDetail.contains("reviewers scored it 0.20"))
        #expect(try workspace.tracker.records(matching: RecordQuery(stage: Generator.recordStage)).first?.outcome == .failure)
    }

    @Test func reviewersThatGiveNoScoreLeaveTheGatesToDecide() throws {
        let workspace = try GenerationWorkspace()
        let down = ScriptedProvider(name: "anthropic") { _, _ in nil }
        let rambling = ScriptedProvider(name: "gemini") { _, _ in "Looks fine to me, no JSON here." }
        let outOfRange = ScriptedProvider(name: "openai") { _, _ in #"{"score": 7, "issues": []}"# }
        let result = try generator(workspace, refiner: nil, reviewers: [
            QuorumReviewer(provider: down, model: "a"), QuorumReviewer(provider: rambling, model: "b"), QuorumReviewer(provider: outOfRange, model: "c"),
        ]).generate(prompt: Self.prompt)
        let review = try #require(result.reviews.first)
        #expect(review.score == nil && review.decision == nil)
        #expect(review.votes[0].problem?.contains("503") == true)
        #expect(review.votes[1].problem?.contains("no JSON object") == true)
        #expect(review.votes[2].problem?.contains("from 0 to 1") == true)
        // The gates passed, so the node is accepted; but nobody reviewed it: it is not learned from.
        #expect(try workspace.tracker.records(matching: RecordQuery(stage: Generator.recordStage)).first?.outcome == .success)
        #expect(result.storedPattern == nil && result.learnDetail == "not stored: no reviewer gave a score")
        #expect(try workspace.tracker.records(matching: RecordQuery(stage: Generator.reviewStage)).map(\.outcome) == [.error, .error, .error])
    }

    @Test func offlineOrWithAFailedGateNobodyReviews() throws {
        let workspace = try GenerationWorkspace()
        let offline = try workspace.generator().generate(prompt: Self.prompt)
        #expect(offline.reviews.isEmpty)
        #expect(offline.stages.first { $0.stage == .review }?.status == .skipped)
        let reviewer = ScriptedProvider.reviewer("anthropic", scores: [0.9])
        var broken = ValidationGates.Configuration()
        broken.maxComplexity = 1
        let result = try generator(workspace, refiner: nil, reviewers: [QuorumReviewer(provider: reviewer, model: "m")]) {
            $0.validation = broken
            $0.force = true
        }.generate(prompt: Self.prompt)
        #expect(!result.validation.allPassed && result.reviews.isEmpty && reviewer.requests.isEmpty)
    }

    @Test func aProjectBudgetHoldsEveryCallBeforeItIsMade() throws {
        let workspace = try GenerationWorkspace()
        // Worst cases at these prices: the refinement about $0.043, a review about $0.016.
        try workspace.tracker.prices.set(Price(provider: "openai", model: "gpt-test", inputPerMillion: 2, outputPerMillion: 10))
        try workspace.tracker.prices.set(Price(provider: "anthropic", model: "claude-test", inputPerMillion: 3, outputPerMillion: 15))
        try workspace.tracker.budgets.set(Budget(project: "shop", period: .month, limit: 0.03, environment: "prod"))
        let refiner = ScriptedProvider.refiner()
        let reviewer = ScriptedProvider.reviewer("anthropic", scores: [0.9])
        let result = try generator(workspace, refiner: refiner, reviewers: [QuorumReviewer(provider: reviewer, model: "claude-test")]) {
            $0.project = "shop"
            $0.environment = "prod"
        }.generate(prompt: Self.prompt)
        // The refinement's worst case does not fit: it is never sent; the review's does.
        #expect(refiner.requests.isEmpty)
        let refine = try #require(result.stages.first { $0.stage == .refine })
        #expect(refine.status == .failed && refine.detail.contains("budget"))
        #expect(reviewer.requests.count == 1 && result.reviews.first?.decision == .pass)
        // The review's hold was released by the record, which counts its cost once.
        #expect(try workspace.tracker.budgets.holds(project: "shop").isEmpty)
        let status = try #require(try workspace.tracker.budgets.status(project: "shop").first)
        #expect(abs(status.spent - 0.001) < 1e-12 && status.held == 0)
        // In dev no budget applies: the refinement is sent.
        let dev = try generator(workspace, refiner: refiner, reviewers: [QuorumReviewer(provider: reviewer, model: "claude-test")]) {
            $0.project = "shop"
            $0.force = true
        }.generate(prompt: Self.prompt)
        #expect(refiner.requests.count == 1 && dev.stages.first { $0.stage == .refine }?.status == .ran)
    }

    @Test func theGenerationsOwnLimitHoldsItsReviewsToo() throws {
        let workspace = try GenerationWorkspace()
        try workspace.tracker.prices.set(Price(provider: "openai", model: "gpt-test", inputPerMillion: 2, outputPerMillion: 10))
        try workspace.tracker.prices.set(Price(provider: "anthropic", model: "claude-test", inputPerMillion: 30, outputPerMillion: 150))
        let refiner = ScriptedProvider.refiner()
        let reviewer = ScriptedProvider.reviewer("anthropic", scores: [0.9])
        // $0.05: the refinement's worst case ($0.043) fits; a review's ($0.15) does not.
        let result = try generator(workspace, refiner: refiner, reviewers: [QuorumReviewer(provider: reviewer, model: "claude-test")])
            .generate(prompt: Self.prompt, budgetLimit: 0.05)
        #expect(refiner.requests.count == 1 && reviewer.requests.isEmpty)
        let vote = try #require(result.reviews.first?.votes.first)
        #expect(vote.score == nil && vote.problem?.contains("budget") == true, "\(vote.problem ?? "")")
        #expect(result.reviews.first?.decision == nil && abs(result.cost - 0.002) < 1e-12)
    }

    @Test func reviewerListsAreCheckedBeforeAnyCall() throws {
        let make: (ProviderKind) throws(GenerationError) -> (any Provider)? = { kind in
            kind == .offline ? nil : ScriptedProvider(name: kind.rawValue) { _, _ in nil }
        }
        let reviewers = try QuorumConfiguration.reviewers("openai:gpt-4o-mini=2, anthropic:claude-haiku-4-5", make: make)
        #expect(reviewers.map(\.model) == ["gpt-4o-mini", "claude-haiku-4-5"] && reviewers.map(\.weight) == [2, 1])
        for (text, names) in [("openai:m=0", "weight"), ("mistral:large", "provider:model"), ("offline:x", "not offline"), ("openai", "provider:model"), ("", "provider:model")] {
            let error = try #require(throws: GenerationError.self) { try QuorumConfiguration.reviewers(text, make: make) }
            #expect(error.description.contains(names), "\(text): \(error)")
        }
        let scripted = ScriptedProvider(name: "openai") { _, _ in nil }
        for quorum in [
            QuorumConfiguration(reviewers: []), QuorumConfiguration(reviewers: [QuorumReviewer(provider: scripted, model: "m", weight: -1)]),
            QuorumConfiguration(reviewers: [QuorumReviewer(provider: scripted, model: "m")], passAt: 0.5, retryAt: 0.75),
        ] {
            #expect(throws: GenerationError.self) { try Generator(quorum: quorum) }
        }
    }
}
