/// The models a selector may choose from before any of them has a recorded generation:
/// provider, name and, when known, list prices.
///
/// Models seen in the history are candidates too; registering one here only adds what the
/// history cannot know yet (that it exists, and its price).
public struct ModelCatalog: Sendable, Equatable {
    /// One registered model.
    public struct Entry: Sendable, Equatable {
        public var provider: String
        public var model: String
        /// US dollars per million input tokens; `nil` when unknown.
        public var inputDollarsPerMillionTokens: Double?
        /// US dollars per million output tokens; `nil` when unknown.
        public var outputDollarsPerMillionTokens: Double?

        public init(provider: String, model: String, inputDollarsPerMillionTokens: Double? = nil, outputDollarsPerMillionTokens: Double? = nil) {
            self.provider = provider
            self.model = model
            self.inputDollarsPerMillionTokens = inputDollarsPerMillionTokens
            self.outputDollarsPerMillionTokens = outputDollarsPerMillionTokens
        }

        /// The list price of a generation of the given size; `nil` without both prices.
        public func cost(inputTokens: Double, outputTokens: Double) -> Double? {
            guard let input = inputDollarsPerMillionTokens, let output = outputDollarsPerMillionTokens else { return nil }
            return (input * inputTokens + output * outputTokens) / 1_000_000
        }
    }

    public private(set) var entries: [Entry]

    /// The latest price of each model in `prices` (a price catalog's whole history), so that
    /// a model with no generations yet can still be chosen.
    public init(latestOf prices: [Price]) {
        var latest: [String: Price] = [:]
        for price in prices {
            let key = price.provider + "/" + price.model
            if latest[key].map({ $0.effectiveFrom <= price.effectiveFrom }) ?? true { latest[key] = price }
        }
        self.init(latest.values.sorted { ($0.provider, $0.model) < ($1.provider, $1.model) }.map {
            Entry(provider: $0.provider, model: $0.model, inputDollarsPerMillionTokens: $0.inputPerMillion, outputDollarsPerMillionTokens: $0.outputPerMillion)
        })
    }

    public init(_ entries: [Entry] = []) {
        self.entries = []
        for entry in entries { register(entry) }
    }

    /// Adds `entry`, replacing an entry with the same model name (names are unique across
    /// providers in Strata's records).
    public mutating func register(_ entry: Entry) {
        if let index = entries.firstIndex(where: { $0.model == entry.model }) {
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }

    public func entry(model: String) -> Entry? { entries.first { $0.model == model } }
}

/// How much a recommendation may cost per generation.
///
/// The selector never recommends a model whose expected cost per generation (its mean
/// recorded cost in the stage, else its list price at the stage's mean token counts)
/// exceeds ``perGenerationLimit``; under any limit, a model with no known cost is not
/// recommended either, since nothing shows it fits.
public enum ModelBudget: Sendable, Equatable {
    /// No limit.
    case unlimited
    /// `dollars` left that must pay for `generations` more generations: at most
    /// `dollars / generations` each.
    case remaining(dollars: Double, generations: Int)
    /// A cap per generation, in dollars.
    case perGeneration(dollars: Double)

    /// Dollars one generation may cost; `nil` when unlimited.
    public var perGenerationLimit: Double? {
        switch self {
        case .unlimited: return nil
        case let .remaining(dollars, generations): return max(dollars, 0) / Double(max(generations, 1))
        case let .perGeneration(dollars): return max(dollars, 0)
        }
    }

    func validate() throws(AnalyticsError) {
        switch self {
        case .unlimited: return
        case let .remaining(dollars, generations):
            guard dollars.isFinite, dollars >= 0 else { throw .invalidArgument(name: "budget", value: "\(dollars)", expected: "dollars ≥ 0") }
            guard generations > 0 else { throw .invalidArgument(name: "generations", value: "\(generations)", expected: "a number of generations ≥ 1 for the budget to cover") }
        case let .perGeneration(dollars):
            guard dollars.isFinite, dollars >= 0 else { throw .invalidArgument(name: "budget", value: "\(dollars)", expected: "dollars per generation ≥ 0") }
        }
    }
}
