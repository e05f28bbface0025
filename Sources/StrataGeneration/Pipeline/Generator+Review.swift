import Foundation
import StrataAnalytics
import StrataKernels
import Synchronization

/// A node after review: the code that stands, its gates, and every round of votes.
struct Reviewed {
    var node: RenderedNode
    var report: ValidationReport
    var reviews: [QuorumReview] = []

    /// The last round's decision; nil when nobody reviewed (the gates alone decide).
    var decision: QuorumDecision? { reviews.last?.decision }
    /// Dollars every round's votes cost.
    var cost: Double { reviews.reduce(0) { $0 + $1.cost } }
}

extension Generator {
    /// The quorum's review of a node that passed its gates: every reviewer at once; a score
    /// between the thresholds refines the node again with the issues raised (when there is a
    /// provider) and reviews it again, up to the configured retries. A refinement that fails a
    /// gate is not taken. Without a quorum, or for a node that failed a gate, the stage is
    /// skipped: the gates decide.
    func review(
        _ node: RenderedNode, report: ValidationReport, refinement: inout Refinement, intelligence: Intelligence, calls: CallBudget,
        run: inout PipelineRun
    ) -> Reviewed {
        let started = ContinuousClock.now
        var reviewed = Reviewed(node: node, report: report)
        guard let quorum else {
            run.finish(.review, .skipped, since: started, detail: "no reviewers: the gates alone decide")
            return reviewed
        }
        guard report.allPassed else {
            run.finish(.review, .skipped, since: started, detail: "a gate failed: nothing to review")
            return reviewed
        }
        var retried: [String] = []
        for round in 1...(quorum.maxRetries + 1) {
            let review = votes(on: reviewed, round: round, quorum: quorum, calls: calls)
            reviewed.reviews.append(review)
            guard review.decision == .retry, round <= quorum.maxRetries, provider != nil else { break }
            var scratch = PipelineRun(progress: nil)
            let again = refine(reviewed.node, intelligence: intelligence, feedback: review.issues, calls: calls, run: &scratch)
            refinement.add(again)
            guard let candidate = again.node else {
                retried.append("round \(round + 1) refinement gave no code (\(scratch.timings.last?.detail ?? "no answer"))")
                break
            }
            let candidateReport = ValidationGates.validate(candidate, configuration: configuration.validation)
            guard candidateReport.allPassed else {
                retried.append("round \(round + 1) refinement failed a gate; kept the reviewed code")
                break
            }
            reviewed.node = candidate
            reviewed.report = candidateReport
            refinement.node = candidate
        }
        let last = reviewed.reviews.last!
        let answered = last.votes.filter { $0.score != nil }.count
        var detail = last.score.map { String(format: "round %d: %.2f", last.round, $0) } ?? "round \(last.round): no reviewer answered"
        detail += " from \(answered) of \(last.votes.count) reviewers" + (last.decision.map { ": \($0.rawValue)" } ?? "; the gates decide")
        detail += String(format: " ($%.5f)", reviewed.cost)
        if !retried.isEmpty { detail += "; " + retried.joined(separator: "; ") }
        run.finish(.review, last.decision == .fail || last.decision == .retry ? .failed : .ran, since: started, detail: detail)
        return reviewed
    }

    /// Every reviewer's vote on `reviewed`, asked at once.
    private func votes(on reviewed: Reviewed, round: Int, quorum: QuorumConfiguration, calls: CallBudget) -> QuorumReview {
        let prompt = QuorumBallot.prompt(node: reviewed.node, report: reviewed.report)
        let votes = Mutex([QuorumVote?](repeating: nil, count: quorum.reviewers.count))
        Parallel.forEach(quorum.reviewers.count, threads: quorum.reviewers.count) { _, index in
            let reviewer = quorum.reviewers[index]
            var vote = QuorumVote(provider: reviewer.provider.name, model: reviewer.model, weight: reviewer.weight, summary: "", issues: [])
            let request = CompletionRequest(system: QuorumBallot.instructions, prompt: prompt, model: reviewer.model, maxTokens: quorum.maxTokens, temperature: 0)
            do throws(GenerationError) {
                let completion = try calls.complete(request, with: reviewer.provider)
                vote.model = completion.model
                vote.inputTokens = completion.inputTokens
                vote.outputTokens = completion.outputTokens
                vote.cost = completion.cost ?? 0
                vote.latencySeconds = completion.latencySeconds
                QuorumBallot.read(completion.text, into: &vote)
            } catch {
                vote.problem = error.description
            }
            votes.withLock { $0[index] = vote }
        }
        return QuorumReview(round: round, votes: votes.withLock { $0.compactMap { $0 } }, configuration: quorum)
    }

    /// One generation record per vote (stage `review`): every model call is in the tracker.
    func reviewRecords(_ reviewed: Reviewed, time: Date, quorum: QuorumConfiguration?) -> [GenerationRecord] {
        reviewed.reviews.flatMap { review in
            review.votes.map { vote in
                QuorumBallot.record(
                    vote, node: reviewed.node, time: time, project: configuration.project, environment: configuration.environment,
                    stage: Self.reviewStage, passAt: quorum?.passAt ?? 0.75)
            }
        }
    }
}
