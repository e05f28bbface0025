import Foundation
import StrataKernels

/// Chooses a model for a generation: among the models whose quality meets a target, the
/// cheapest; when none does, the best quality the budget affords.
///
/// It learns from generation records, per model and stage, narrowed to the node type and
/// domain when those alone hold enough evidence. A model with fewer than
/// ``Configuration/minimumEvidence`` scored generations is judged on a draw from its quality
/// posterior rather than its mean (Thompson sampling), so a new model gets tried when it
/// might be good enough and stops being tried once the draws say it is not. The draws come
/// from a seeded generator: the same history and seed give the same choices.
///
/// - Important: A value type; each copy draws from its own generator. Not for concurrent use.
public struct ModelSelector: Sendable {
    /// How the selector weighs evidence. Every default is stated on its field.
    public struct Configuration: Sendable, Equatable {
        /// Scored generations below which a model is explored (judged on a draw) instead of
        /// trusted (judged on its mean). Default 30.
        public var minimumEvidence: Int
        /// Generations the prior is worth. Default 1.
        public var priorStrength: Double
        /// Prior guess of the per-generation quality spread. Default 0.1.
        public var priorSD: Double
        /// Prior mean quality when the stage has no scored generation at all. Default 0.7.
        public var fallbackPriorMean: Double
        /// Lowest success rate (outcome `success`) a model may have, judged like quality on
        /// a Beta posterior; `nil` (the default) ignores outcomes.
        public var minimumSuccessRate: Double?
        /// Tokens of a generation when a model is priced from the catalog and the stage has
        /// no record to average. Defaults 1,000 in and 500 out.
        public var defaultInputTokens: Double
        public var defaultOutputTokens: Double
        /// Seed of the Thompson draws. Default 0.
        public var seed: UInt64

        public init(minimumEvidence: Int = 30, priorStrength: Double = 1, priorSD: Double = 0.1, fallbackPriorMean: Double = 0.7,
                    minimumSuccessRate: Double? = nil, defaultInputTokens: Double = 1000, defaultOutputTokens: Double = 500, seed: UInt64 = 0) {
            self.minimumEvidence = minimumEvidence
            self.priorStrength = priorStrength
            self.priorSD = priorSD
            self.fallbackPriorMean = fallbackPriorMean
            self.minimumSuccessRate = minimumSuccessRate
            self.defaultInputTokens = defaultInputTokens
            self.defaultOutputTokens = defaultOutputTokens
            self.seed = seed
        }

        func validate() throws(AnalyticsError) {
            guard minimumEvidence >= 1 else { throw .invalidArgument(name: "minimumEvidence", value: "\(minimumEvidence)", expected: "an integer ≥ 1") }
            guard priorStrength > 0, priorSD > 0 else { throw .invalidArgument(name: "prior", value: "\(priorStrength), \(priorSD)", expected: "a positive strength and spread") }
            if let rate = minimumSuccessRate, !(0...1).contains(rate) {
                throw .invalidArgument(name: "minimumSuccessRate", value: "\(rate)", expected: "a rate in 0…1")
            }
        }
    }

    /// Where a piece of evidence applies: a model in a stage, optionally narrowed.
    struct Scope: Hashable, Sendable {
        var model: String
        var stage: String
        var nodeType: String?
        var domain: String?
    }

    public private(set) var catalog: ModelCatalog
    public let configuration: Configuration
    var evidence: [Scope: ModelEvidence] = [:]
    /// Every model's generations in a stage pooled: the prior mean and the token means.
    var stagePool: [String: ModelEvidence] = [:]
    var providers: [String: String] = [:]
    var random: SeededRandom

    /// A selector that knows `catalog` and has learnt `history`.
    /// - Throws: ``AnalyticsError/invalidArgument(name:value:expected:)`` for a configuration out of range.
    public init(catalog: ModelCatalog = ModelCatalog(), history: [GenerationRecord] = [], configuration: Configuration = Configuration()) throws(AnalyticsError) {
        try configuration.validate()
        self.catalog = catalog
        self.configuration = configuration
        random = SeededRandom(seed: configuration.seed)
        for record in history { add(record) }
    }

    /// Learns one more generation.
    public mutating func add(_ record: GenerationRecord) {
        providers[record.model] = record.provider
        stagePool[record.stage, default: ModelEvidence()].add(record)
        for nodeType in [nil, record.nodeType] as [String?] {
            for domain in [nil, record.domain] as [String?] {
                evidence[Scope(model: record.model, stage: record.stage, nodeType: nodeType, domain: domain), default: ModelEvidence()].add(record)
            }
        }
    }

    /// Makes a model a candidate before it has any record (a new release, a price change).
    public mutating func register(_ entry: ModelCatalog.Entry) {
        catalog.register(entry)
    }

    /// The evidence for `model` in `stage`, optionally narrowed; `nil` when there is none.
    public func evidence(model: String, stage: String, nodeType: String? = nil, domain: String? = nil) -> ModelEvidence? {
        evidence[Scope(model: model, stage: stage, nodeType: nodeType, domain: domain)]
    }

    /// Every model the selector can choose: registered, then seen in records, in name order.
    public var models: [String] {
        Set(catalog.entries.map(\.model)).union(providers.keys).sorted()
    }

    /// The provider serving `model`: its catalog entry's, else its records'.
    public func provider(of model: String) -> String? {
        catalog.entry(model: model)?.provider ?? providers[model]
    }
}
