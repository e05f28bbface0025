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
}

extension Generator {
    static let reviewInstructions = """
        You review generated ONEX nodes (Python 3.11) against their contract.yaml: correctness of each action, \
        agreement with the contract's input and output fields, error handling, and whether the code would pass review \
        in a production codebase. Answer with one JSON object and nothing else: \
        {"score": a number from 0 (unusable) to 1 (ready to merge), "summary": "one sentence", \
        "issues": ["a concrete change the code needs", ...]}.
        """

    /// The quorum's review of a node that passed its gates: every reviewer at once; a score
    /// between the thresholds refines the node again with the issues raised (when there is a
    /// provider) and reviews it again, up to the configured retries. A refinement that fails a
    /// gate is not taken. Without a quorum, or for a node that failed a gate, the stage is
    /// skipped: the gates decide.
    func review(
        _ node: RenderedNode, report: ValidationReport, refinement: inout Refinement, intelligence: Intelligence, budgetLimit: Double?,
        calls: CallBudget, run: inout PipelineRun
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
            let again = refine(reviewed.node, intelligence: intelligence, budgetLimit: budgetLimit, feedback: review.issues, calls: calls, run: &scratch)
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
        detail += String(format: " ($%.5f)", reviewed.reviews.reduce(0) { $0 + $1.cost })
        if !retried.isEmpty { detail += "; " + retried.joined(separator: "; ") }
        run.finish(.review, last.decision == .fail || last.decision == .retry ? .failed : .ran, since: started, detail: detail)
        return reviewed
    }

    /// Every reviewer's vote on `reviewed`, asked at once.
    private func votes(on reviewed: Reviewed, round: Int, quorum: QuorumConfiguration, calls: CallBudget) -> QuorumReview {
        let prompt = reviewPrompt(reviewed)
        let votes = Mutex([QuorumVote?](repeating: nil, count: quorum.reviewers.count))
        Parallel.forEach(quorum.reviewers.count, threads: quorum.reviewers.count) { _, index in
            let reviewer = quorum.reviewers[index]
            var vote = QuorumVote(provider: reviewer.provider.name, model: reviewer.model, weight: reviewer.weight, summary: "", issues: [])
            let request = CompletionRequest(system: Self.reviewInstructions, prompt: prompt, model: reviewer.model, maxTokens: quorum.maxTokens, temperature: 0)
            do throws(GenerationError) {
                let completion = try calls.complete(request, with: reviewer.provider)
                vote.model = completion.model
                vote.inputTokens = completion.inputTokens
                vote.outputTokens = completion.outputTokens
                vote.cost = completion.cost ?? 0
                vote.latencySeconds = completion.latencySeconds
                Self.read(completion.text, into: &vote)
            } catch {
                vote.problem = error.description
            }
            votes.withLock { $0[index] = vote }
        }
        return QuorumReview(round: round, votes: votes.withLock { $0.compactMap { $0 } }, configuration: quorum)
    }

    /// Reads a reviewer's answer: the first JSON object in it, with a score from 0 to 1.
    static func read(_ answer: String, into vote: inout QuorumVote) {
        guard let open = answer.firstIndex(of: "{"), let close = answer.lastIndex(of: "}"), open < close,
              let object = try? JSONSerialization.jsonObject(with: Data(answer[open...close].utf8)) as? [String: Any]
        else {
            vote.problem = "the answer held no JSON object: \(answer.prefix(120))"
            return
        }
        guard let score = (object["score"] as? NSNumber)?.doubleValue, score.isFinite, (0...1).contains(score) else {
            vote.problem = "the answer's score was not a number from 0 to 1: \(String(describing: object["score"] ?? "none"))"
            return
        }
        vote.score = score
        vote.summary = object["summary"] as? String ?? ""
        vote.issues = (object["issues"] as? [Any] ?? []).compactMap { $0 as? String }.filter { !$0.isEmpty }.prefix(10).map { $0 }
    }

    /// What a reviewer sees: the request, the contract, the node's code and the gates' results.
    private func reviewPrompt(_ reviewed: Reviewed) -> String {
        let node = reviewed.node
        let gates = reviewed.report.gates.map { "- \($0.name): \($0.status.rawValue)" }.joined(separator: "\n")
        return [
            "Request: \(node.intent.prompt)",
            "contract.yaml:\n```yaml\n\(node.contract.yaml)```",
            "node.py:\n```python\n\(node.file(node.nodePath)?.text ?? "")```",
            "Validation gates:\n\(gates)",
        ].joined(separator: "\n\n")
    }

    /// One generation record per vote (stage `review`): every model call is in the tracker.
    func reviewRecords(_ reviewed: Reviewed, time: Date, quorum: QuorumConfiguration?) -> [GenerationRecord] {
        reviewed.reviews.flatMap { review in
            review.votes.map { vote in
                GenerationRecord(
                    time: time, project: configuration.project, environment: configuration.environment, prompt: reviewed.node.intent.prompt,
                    nodeType: reviewed.node.contract.nodeType.rawValue, domain: reviewed.node.intent.domain, stage: Self.reviewStage,
                    provider: vote.provider, model: vote.model, latencySeconds: vote.latencySeconds, inputTokens: vote.inputTokens,
                    outputTokens: vote.outputTokens, cost: vote.cost, quality: vote.score, gatesPassed: [], gatesFailed: [], patternIDs: [],
                    topSimilarity: nil,
                    outcome: vote.score == nil ? .error : (vote.score! >= (quorum?.passAt ?? 0.75) ? .success : .failure))
            }
        }
    }
}
