import StrataAnalytics
import StrataStore

/// Everything that can go wrong in `StrataGeneration`, each case saying what to fix.
///
/// A failed generation writes no files and stores no pattern; what it cost so far is still
/// recorded, because the money was spent.
public enum GenerationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A value out of range, or options that do not go together.
    case invalidArgument(name: String, value: String, expected: String)
    /// The prompt does not say what to build.
    case unclearPrompt(prompt: String, problem: String)
    /// A model provider failed: `provider` names it, `problem` says what happened and whether
    /// retrying later may help.
    case provider(provider: String, problem: String)
    /// The next call would take the spend past the budget.
    case budgetExceeded(limit: Double, spent: Double, nextCallEstimate: Double)
    /// A file or folder could not be read or written.
    case file(path: String, problem: String)
    /// The pattern store failed underneath.
    case store(StoreError)
    /// The analytics (tracker, predictor, selector) failed underneath.
    case analytics(AnalyticsError)

    public var description: String {
        switch self {
        case let .invalidArgument(name, value, expected):
            return "invalid \(name) \(value.isEmpty ? "(empty)" : "'\(value)'"): expected \(expected)"
        case let .unclearPrompt(prompt, problem):
            return "cannot tell what to build from \"\(prompt)\": \(problem)"
        case let .provider(provider, problem):
            return "provider \(provider): \(problem)"
        case let .budgetExceeded(limit, spent, next):
            return String(format: "budget $%.4f would be exceeded: $%.4f spent, the next call may cost $%.4f; raise --budget or use a cheaper model", limit, spent, next)
        case let .file(path, problem):
            return "\(path): \(problem)"
        case let .store(error):
            return error.description
        case let .analytics(error):
            return error.description
        }
    }
}
