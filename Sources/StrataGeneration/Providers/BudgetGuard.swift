import Synchronization

/// A spending limit shared by the calls of a run, checked before each call.
///
/// Before a call, the provider estimates its cost (the prompt's length in tokens, roughly,
/// plus the full ``CompletionRequest/maxTokens`` at the model's price) and refuses the call
/// when the spend so far plus that estimate would pass ``limit``. After the call, the real cost
/// is added to ``spent``. The estimate takes the longest answer possible, so a run stops
/// before the call that could overspend, not after it.
///
/// One guard may be shared by several providers and threads. Two calls checked at the same
/// moment may both pass: it guards a budget, it does not reserve money.
public final class BudgetGuard: Sendable {
    /// US dollars the run may spend.
    public let limit: Double
    private let spentSoFar: Mutex<Double>

    /// Creates a guard.
    ///
    /// - Parameters:
    ///   - limit: dollars the run may spend, 0 or more.
    ///   - spent: dollars already spent (by an earlier part of the run), default 0.
    /// - Throws: ``GenerationError/invalidArgument(name:value:expected:)`` for a negative or
    ///   non-finite amount.
    public init(limit: Double, spent: Double = 0) throws(GenerationError) {
        for (name, value) in [("budget limit", limit), ("budget spent", spent)] where !(value.isFinite && value >= 0) {
            throw .invalidArgument(name: name, value: "\(value)", expected: "US dollars, 0 or more")
        }
        self.limit = limit
        spentSoFar = Mutex(spent)
    }

    /// Dollars spent so far.
    public var spent: Double { spentSoFar.withLock { $0 } }

    /// Refuses a call that may cost `nextCallEstimate` when the spend would pass the limit.
    ///
    /// - Throws: ``GenerationError/budgetExceeded(limit:spent:nextCallEstimate:)``.
    public func check(nextCallEstimate: Double) throws(GenerationError) {
        let spent = spent
        if spent + nextCallEstimate > limit {
            throw .budgetExceeded(limit: limit, spent: spent, nextCallEstimate: nextCallEstimate)
        }
    }

    /// Adds a call's cost to the spend; negative or non-finite amounts are ignored.
    public func record(_ cost: Double) {
        guard cost.isFinite, cost > 0 else { return }
        spentSoFar.withLock { $0 += cost }
    }
}
