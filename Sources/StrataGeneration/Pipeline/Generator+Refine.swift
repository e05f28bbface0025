import Foundation
import StrataAnalytics
import StrataStore

/// The model provider's part of a generation, and what it cost.
struct Refinement: Sendable {
    var provider: String
    var model: String
    /// The node with the model's node.py, or `nil` when there was no refinement.
    var node: RenderedNode?
    var inputTokens = 0
    var outputTokens = 0
    var cost: Double = 0
    var latencySeconds: Double = 0
    /// Why validation sent the node back to the template's code, when it did.
    var rejection: String?

    /// Adds what a later call (a refinement after review) took.
    mutating func add(_ other: Refinement) {
        inputTokens += other.inputTokens
        outputTokens += other.outputTokens
        cost += other.cost
        latencySeconds += other.latencySeconds
    }
}

extension Generator {
    static let refinementInstructions = """
        You refine generated ONEX nodes: Python 3.11 classes named Node<Name><Type> that derive from the ONEX base class. \
        Improve the operation methods (error handling, validation of inputs, clear logging) while keeping every class name, \
        method name and signature, import, class attribute and event name exactly as they are; add no third-party import \
        outside a try/except ImportError. Answer with the complete node.py in one ```python fenced block and nothing else.
        """

    /// Asks the provider to improve node.py (with `feedback`: the issues reviewers raised).
    /// Offline, or when a budget cannot pay for the call (the generation's own limit or the
    /// project's, see ``CallBudget``), or when the provider fails, the node stands as it is
    /// and the stage says why.
    func refine(_ node: RenderedNode, intelligence: Intelligence, feedback: [String] = [], calls: CallBudget, run: inout PipelineRun) -> Refinement {
        var refinement = Refinement(provider: intelligence.provider, model: intelligence.model)
        let started = ContinuousClock.now
        guard let provider else {
            run.finish(.refine, .skipped, since: started, detail: "offline: templates only")
            return refinement
        }
        let request = CompletionRequest(
            system: Self.refinementInstructions, prompt: refinementPrompt(node, patterns: intelligence.relevant, feedback: feedback), model: intelligence.model,
            maxTokens: configuration.refinementMaxTokens, temperature: 0.2)
        do throws(GenerationError) {
            let completion = try calls.complete(request, with: provider)
            refinement.model = completion.model
            refinement.inputTokens = completion.inputTokens
            refinement.outputTokens = completion.outputTokens
            refinement.cost = completion.cost ?? 0
            refinement.latencySeconds = completion.latencySeconds
            guard let code = Self.pythonBlock(in: completion.text) else {
                run.finish(.refine, .failed, since: started, detail: "the model answered without Python code; kept the template's")
                return refinement
            }
            var refined = node
            refined.setFile(node.nodePath, text: code.hasSuffix("\n") ? code : code + "\n")
            refinement.node = refined
            run.finish(.refine, .ran, since: started, detail: "\(completion.model): \(completion.inputTokens)+\(completion.outputTokens) tokens" + (completion.cost.map { String(format: ", $%.5f", $0) } ?? ", price unknown"))
        } catch {
            run.finish(.refine, .failed, since: started, detail: "\(error.description); kept the template's code")
        }
        return refinement
    }

    /// The prompt: what to build, its contract, the code so far, the nearest patterns and the
    /// reviewers' issues.
    func refinementPrompt(_ node: RenderedNode, patterns: [RetrievedPattern], feedback: [String] = []) -> String {
        var parts = [
            "Request: \(node.intent.prompt)",
            "contract.yaml:\n```yaml\n\(node.contract.yaml)```",
            "node.py as generated \(feedback.isEmpty ? "from the templates" : "so far"):\n```python\n\(node.file(node.nodePath)?.text ?? "")```",
        ]
        if !feedback.isEmpty {
            parts.append("Reviewers asked for these changes:\n" + feedback.map { "- \($0)" }.joined(separator: "\n"))
        }
        for pattern in patterns.prefix(2) {
            parts.append("A proven pattern of the same type (\(pattern.id), similarity \(String(format: "%.2f", pattern.similarity))):\n```python\n\(pattern.text.prefix(2000))\n```")
        }
        return parts.joined(separator: "\n\n")
    }

    /// The first ```python fenced block of `text` (or the first fenced block, or the whole
    /// text when it is bare code with a class), or `nil`.
    static func pythonBlock(in text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let opening = lines.firstIndex { $0.trimmingLeadingSpaces().hasPrefix("```python") || $0.trimmingLeadingSpaces().hasPrefix("```py") }
            ?? lines.firstIndex { $0.trimmingLeadingSpaces().hasPrefix("```") }
        if let opening {
            guard let closing = lines[(opening + 1)...].firstIndex(where: { $0.trimmingLeadingSpaces().hasPrefix("```") }) else { return nil }
            let code = lines[(opening + 1)..<closing].joined(separator: "\n")
            return code.contains("class ") ? code : nil
        }
        return text.contains("class ") && text.contains("def ") ? text : nil
    }
}
