import Foundation
import StrataCatalog
import StrataIndex
import StrataStore

/// Everything that can go wrong in `StrataAnalytics`, each case saying what to fix.
///
/// Analytics never changes a pattern: a failed call leaves the store and the generation
/// records as they were (every write runs in one catalog transaction).
public enum AnalyticsError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A value out of range, or options that do not go together.
    case invalidArgument(name: String, value: String, expected: String)
    /// Too little data for the method: `needed` items of `what`, `got` given.
    case insufficientData(what: String, needed: Int, got: Int)
    /// A LAPACK routine failed; `info` is its return code.
    case linearAlgebra(routine: String, info: Int, problem: String)
    /// A line of an input file that is not a valid record.
    case malformedLine(file: String, line: Int, problem: String)
    /// A file that could not be read or written.
    case file(path: String, problem: String)
    /// The catalog (SQLite or PostgreSQL) failed: unreachable, or refusing a statement.
    case catalog(CatalogError)
    /// A name (model, stage, project, run) that the records do not know.
    case unknown(kind: String, name: String, known: [String])
    /// The pattern store failed underneath.
    case store(StoreError)
    /// A vector file or vector set that could not be used.
    case index(IndexError)
    /// A generation recorded without a cost, for a model with no price in effect at its time.
    case missingPrice(provider: String, model: String, time: String)
    /// No candidate model fits the budget: the cheapest known costs `cheapestCost` a
    /// generation, over the `limit` the budget allows.
    case budgetExceeded(limit: Double, cheapestModel: String?, cheapestCost: Double?)
    /// A generation costing `cost` would take `project` past its `period` budget of `limit`
    /// dollars, of which `spent` are spent (by any replica).
    case overBudget(project: String, period: String, limit: Double, spent: Double, cost: Double)
    /// Another process (a replica) changed the stage's migration state first: `found` is the
    /// state it left, not the one the decision started from.
    case migrationStateChanged(stage: String, found: String)

    public var description: String {
        switch self {
        case let .invalidArgument(name, value, expected):
            return "invalid \(name) \(value.isEmpty ? "(empty)" : "'\(value)'"): expected \(expected)"
        case let .insufficientData(what, needed, got):
            return "not enough \(what): need at least \(needed), have \(got)"
        case let .linearAlgebra(routine, info, problem):
            return "\(routine) failed (info \(info)): \(problem)"
        case let .malformedLine(file, line, problem):
            return "\(file):\(line): \(problem)"
        case let .file(path, problem):
            return "\(path): \(problem)"
        case let .catalog(problem):
            return "catalog: \(problem)"
        case let .unknown(kind, name, known):
            let list = known.prefix(12).joined(separator: ", ")
            return "unknown \(kind) '\(name)'" + (known.isEmpty ? " (none recorded yet)" : "; known: \(list)\(known.count > 12 ? ", …" : "")")
        case let .store(error):
            return error.description
        case let .index(error):
            return error.description
        case let .missingPrice(provider, model, time):
            return "no price for \(provider)/\(model) in effect at \(time): add one with `strata prices set --provider \(provider) --model \(model) --input USD_PER_1M_TOKENS --output USD_PER_1M_TOKENS --from DATE`, or give the record a cost"
        case let .budgetExceeded(limit, cheapestModel, cheapestCost):
            let allowed = "the budget allows $\(String(format: "%.6f", limit)) per generation"
            guard let cheapestModel, let cheapestCost else {
                return "no model with a known cost fits: \(allowed); record generations with costs or register prices"
            }
            return "no model fits: \(allowed) and the cheapest, \(cheapestModel), costs $\(String(format: "%.6f", cheapestCost)); raise the budget or cover fewer generations"
        case let .overBudget(project, period, limit, spent, cost):
            return "a generation costing $\(String(format: "%.6f", cost)) would take project '\(project)' past its \(period) budget: $\(String(format: "%.2f", spent)) of $\(String(format: "%.2f", limit)) spent or held for calls under way; raise it with `strata budget set --project \(project) --period \(period) --limit DOLLARS`, or wait for the next period"
        case let .migrationStateChanged(stage, found):
            return "the migration of stage '\(stage)' was changed by another replica first (it is now \(found)); the engine has re-read the log: evaluate the stage again"
        }
    }
}
