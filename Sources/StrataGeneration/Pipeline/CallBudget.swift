import Foundation
import StrataAnalytics
import Synchronization

/// The model calls of one generation, each held against its project's budgets before it is
/// made (see ``BudgetHold``): the worst case (the prompt plus the longest answer, at the
/// model's price) is held in the catalog first, so that replicas sharing a budget cannot
/// overspend it between them; after the call the hold becomes what it cost, and recording
/// the generation releases it.
///
/// The generation's own limit (`budgetLimit`) is checked first: every call's worst case must
/// fit in what the generation has not spent yet.
///
/// Without a tracker, or when no budget applies to the project and environment, calls are
/// made as they are.
final class CallBudget: Sendable {
    let tracker: PerformanceTracker?
    let project: String
    let environment: String
    /// Dollars the whole generation may spend; nil for no limit of its own.
    let limit: Double?
    private let held = Mutex<[BudgetHold]>([])
    private let spentSoFar = Mutex<Double>(0)

    init(tracker: PerformanceTracker?, project: String, environment: String, limit: Double? = nil) {
        self.tracker = tracker
        self.project = project
        self.environment = environment
        self.limit = limit
    }

    /// The holds of the calls made so far (settled to their cost).
    var holds: [BudgetHold] { held.withLock { $0 } }

    /// Holds the worst case of `request`, makes the call, and settles the hold to its cost.
    /// A call that fails releases its hold.
    ///
    /// - Throws: ``GenerationError/budgetExceeded(limit:spent:nextCallEstimate:)`` before the
    ///   call when a budget cannot take it; ``GenerationError/invalidArgument(name:value:expected:)``
    ///   when a budget applies but the model has no price to hold the call to; what the
    ///   provider throws.
    func complete(_ request: CompletionRequest, with provider: any Provider) throws(GenerationError) -> Completion {
        guard let tracker else { return try provider.complete(request) }
        let hold: BudgetHold?
        var unpriced: String?
        do throws(AnalyticsError) {
            if let price = try tracker.prices.price(provider: provider.name, model: request.model) {
                let worst = price.cost(inputTokens: request.estimatedPromptTokens, outputTokens: request.maxTokens)
                let spent = spentSoFar.withLock { $0 }
                if let limit, spent + worst > limit {
                    throw AnalyticsError.overBudget(project: project, period: "generation", limit: limit, spent: spent, cost: worst)
                }
                hold = try tracker.budgets.hold(worst, project: project, environment: environment)
            } else {
                if limit != nil { unpriced = "budget" } else if try tracker.budgets.all(project: project).contains(where: { $0.applies(to: environment) }) {
                    unpriced = "budget of project \(project) in \(environment)"
                }
                hold = nil
            }
        } catch let .overBudget(_, _, limit, spent, cost) {
            throw .budgetExceeded(limit: limit, spent: spent, nextCallEstimate: cost)
        } catch {
            throw .analytics(error)
        }
        if let unpriced {
            throw .invalidArgument(
                name: unpriced, value: "\(provider.name)/\(request.model)",
                expected: "a price for \(provider.name)/\(request.model) to hold the call to: `strata prices set --provider \(provider.name) --model \(request.model) ...`")
        }
        let completion: Completion
        do {
            completion = try provider.complete(request)
        } catch {
            if let hold { try? tracker.budgets.release([hold]) }
            throw error
        }
        // An unpriced answer counts its worst case: the money is spent, its amount unknown.
        let cost = completion.cost ?? hold?.amount ?? 0
        spentSoFar.withLock { $0 += cost }
        if let hold {
            let settled = (try? tracker.budgets.settle(hold, cost: cost)) ?? hold
            held.withLock { $0.append(settled) }
        }
        return completion
    }
}
