import Foundation

extension ModelSelector {
    /// The plain-words reason: what the choice is expected to score, on how much evidence,
    /// and what it costs next to the best-quality alternative.
    func explain(_ choice: ModelRecommendation.Candidate, met: Bool, among candidates: [ModelRecommendation.Candidate], target: Double, limit: Double?) -> String {
        let estimate = "\(Self.quality(choice.predictedQuality)) ± \(Self.quality(choice.uncertainty)) over \(choice.evidence) generation\(choice.evidence == 1 ? "" : "s")"
        var reason: String
        if choice.thin {
            reason = "exploring \(choice.model): \(choice.evidence) scored generation\(choice.evidence == 1 ? "" : "s") so far (fewer than \(configuration.minimumEvidence)); "
            reason += met
                ? "a draw from its quality estimate (\(Self.quality(choice.decisionQuality))) met the \(Self.quality(target)) target and it is the cheapest that did"
                : "no model met the \(Self.quality(target)) target and its draw (\(Self.quality(choice.decisionQuality))) was the best"
        } else if met {
            reason = "\(choice.model) meets the \(Self.quality(target)) target at \(estimate)"
            reason += comparison(choice, among: candidates)
        } else {
            reason = "no affordable model meets the \(Self.quality(target)) target; \(choice.model) has the best quality, \(estimate)"
        }
        if let limit {
            let over = candidates.filter { !$0.affordable }.count
            reason += "; the budget allows $\(Self.dollars(limit)) a generation"
            if over > 0 { reason += " (\(over) model\(over == 1 ? "" : "s") over it)" }
        }
        return reason
    }

    /// " and costs 12 % of gpt-4o", against the best-quality alternative (affordable or not:
    /// the saving is measured against the best there is).
    private func comparison(_ choice: ModelRecommendation.Candidate, among candidates: [ModelRecommendation.Candidate]) -> String {
        let others = candidates.filter { $0.model != choice.model }
        guard let best = others.max(by: { $0.predictedQuality < $1.predictedQuality }), best.predictedQuality > choice.predictedQuality else {
            return others.isEmpty ? "" : " and has the best expected quality of the \(others.count + 1) candidates"
        }
        guard let cost = choice.predictedCost, let reference = best.predictedCost, reference > 0 else {
            return " (cost unknown next to \(best.model))"
        }
        let share = cost / reference * 100
        return " and costs \(share < 10 ? String(format: "%.1f", share) : String(format: "%.0f", share)) % of \(best.model)"
    }

    static func quality(_ value: Double) -> String { String(format: "%.2f", value) }
    static func dollars(_ value: Double) -> String { String(format: value < 0.01 ? "%.5f" : "%.4f", value) }
}
