import Foundation
import StrataAnalytics

/// What a reviewer is asked, how its answer is read, and how its vote is recorded.
enum QuorumBallot {
    static let instructions = """
        You review generated ONEX nodes (Python 3.11) against their contract.yaml: correctness of each action, \
        agreement with the contract's input and output fields, error handling, and whether the code would pass review \
        in a production codebase. Answer with one JSON object and nothing else: \
        {"score": a number from 0 (unusable) to 1 (ready to merge), "summary": "one sentence", \
        "issues": ["a concrete change the code needs", ...]}.
        """

    /// What a reviewer sees: the request, the contract, the node's code and the gates' results.
    static func prompt(node: RenderedNode, report: ValidationReport) -> String {
        let gates = report.gates.map { "- \($0.name): \($0.status.rawValue)" }.joined(separator: "\n")
        return [
            "Request: \(node.intent.prompt)",
            "contract.yaml:\n```yaml\n\(node.contract.yaml)```",
            "node.py:\n```python\n\(node.file(node.nodePath)?.text ?? "")```",
            "Validation gates:\n\(gates)",
        ].joined(separator: "\n\n")
    }

    /// Reads a reviewer's answer: the first JSON object in it, with a score from 0 to 1;
    /// anything else leaves the vote without a score and says why.
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

    /// The tracker's record of one vote: its model call, its score as the quality, and an
    /// outcome against the pass threshold (error when it gave no score).
    static func record(
        _ vote: QuorumVote, node: RenderedNode, time: Date, project: String, environment: String, stage: String, passAt: Double
    ) -> GenerationRecord {
        GenerationRecord(
            time: time, project: project, environment: environment, prompt: node.intent.prompt, nodeType: node.contract.nodeType.rawValue,
            domain: node.intent.domain, stage: stage, provider: vote.provider, model: vote.model, latencySeconds: vote.latencySeconds,
            inputTokens: vote.inputTokens, outputTokens: vote.outputTokens, cost: vote.cost, quality: vote.score,
            outcome: vote.score.map { $0 >= passAt ? .success : .failure } ?? .error)
    }
}
