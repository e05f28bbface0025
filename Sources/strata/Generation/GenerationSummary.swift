import Foundation
import StrataGeneration

/// The plain-text summary `strata generate` prints.
struct GenerationSummary {
    let result: GenerationResult

    init(_ result: GenerationResult) {
        self.result = result
    }

    var text: String {
        var lines: [String] = []
        let place = result.path.map { "→ \($0)" } ?? "(not written)"
        lines.append(String(format: "Generated %@ (%@) in %.2f s, quality %.2f %@", result.className, result.nodeType.rawValue, result.seconds, result.quality.value, place))
        for dimension in result.quality.dimensions {
            lines.append(String(format: "  %-16@ %.2f × %.2f  %@", dimension.name as NSString, dimension.value, dimension.weight, dimension.explanation))
        }
        let validation = result.validation
        lines.append("Gates: \(validation.passed) of \(validation.total) passed")
        for gate in validation.gates where gate.status != .passed {
            lines.append("  \(gate.name) \(gate.status.rawValue): \(gate.detail)")
        }
        lines.append(String(format: "Retrieval: %d patterns, %d at or above the similarity threshold", result.patterns.count, result.hits))
        if let prediction = result.prediction {
            lines.append(String(format: "Predicted: quality %.2f (%.2f–%.2f), cost $%.5f", prediction.quality, prediction.qualityRange.lowerBound, prediction.qualityRange.upperBound, prediction.cost))
        }
        for review in result.reviews {
            let verdict = review.score.map { String(format: "%.2f → %@", $0, review.decision?.rawValue ?? "-") } ?? "no score: the gates decide"
            lines.append("Review round \(review.round): \(verdict)")
            for vote in review.votes {
                let said = vote.score.map { String(format: "%.2f  %@", $0, vote.summary) } ?? "no vote: \(vote.problem ?? "no answer")"
                lines.append(String(format: "  %@/%@ ×%.1f: %@ ($%.5f, %.1f s)", vote.provider, vote.model, vote.weight, said, vote.cost, vote.latencySeconds))
            }
        }
        lines.append("Pattern: \(result.learnDetail)")
        lines.append(String(format: "Cost: $%.5f with %@/%@ (%d+%d tokens)", result.cost, result.provider, result.model, result.inputTokens, result.outputTokens))
        if let cheaper = result.cheaperModel {
            lines.append(String(format: "Next time: the selector would use %@/%@ (predicted quality %.2f, $%.5f), saving $%.5f per generation",
                                cheaper.provider, cheaper.model, cheaper.predictedQuality, cheaper.predictedCost, cheaper.saving))
        } else if let recommendation = result.recommendation {
            lines.append("Next time: the selector would use \(recommendation.provider)/\(recommendation.model): \(recommendation.reason)")
        }
        for stage in result.stages where stage.status != .ran {
            lines.append("  \(stage.stage.rawValue) \(stage.status.rawValue): \(stage.detail)")
        }
        lines.append("Stages: " + result.stages.map { String(format: "%@ %.1f ms", $0.stage.rawValue, $0.milliseconds) }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
