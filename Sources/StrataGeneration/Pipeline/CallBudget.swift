import Foundation
import StrataAnalytics
import Synchronization

/// The model calls of one generation, each held against its project's budgets before it is
/// made (see ``BudgetHold``): the worst case (the prompt plus the longest answer, at the
/// model's price) is held in the catalog first, so that replicas sharing a budget cannot
/// overspend it between them; after the call the hold becomes what it cost, and recording
/// the generation releases it.
///
/// Without a tracker, or when no budget applies to the project and environment, calls are
/// made as they are.
final class CallBudget: Sendable {
    let tracker: PerformanceTracker?
    let project: String
    let environment: String
    private let held = Mutex<[BudgetHold]>([])

    init(tracker: PerformanceTracker?, project: String, environment: String) {
        self.tracker = tracker
        self.project = project
        self.environment = environment
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
        var unpriced = false
        do throws(AnalyticsError) {
            if let price = try tracker.prices.price(provider: provider.name, model: request.model) {
                hold = try tracker.budgets.hold(
                    price.cost(inputTokens: request.estimatedPromptTokens, outputTokens: request.maxTokens), project: project, environment: environment)
            } else {
                unpriced = try tracker.budgets.remaining(project: project, environment: environment) != nil
                hold = nil
            }
        } catch let .overBudget(_, _, limit, spent, cost) {
            throw .budgetExceeded(limit: limit, spent: spent, nextCallEstimate: cost)
        } catch {
            throw .analytics(error)
        }
        if unpriced {
            throw .invalidArgument(
                name: "budget of project \(project)", value: environment,
                expected: "a price for \(provider.name)/\(request.model) to hold its calls to: `strata prices set --provider \(provider.name) --model \(request.model) ...`")
        }
        guard let hold else { return try provider.complete(request) }
        let completion: Completion
        do {
            completion = try provider.complete(request)
        } catch {
            try? tracker.budgets.release([hold])
            throw error
        }
        // An unpriced answer keeps the worst case held: the money is spent, its amount unknown.
        let settled = (try? tracker.budgets.settle(hold, cost: completion.cost ?? hold.amount)) ?? hold
        held.withLock { $0.append(settled) }
        return completion
    }
}
