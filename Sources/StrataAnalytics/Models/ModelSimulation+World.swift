import Foundation

extension ModelSimulation {
    /// One model of the hidden world: what the simulation knows and the engine must learn.
    public struct HiddenModel: Sendable, Equatable {
        public var name: String
        public var provider: String
        /// True mean quality per generation (0–1).
        public var quality: Double
        /// Per-generation spread of quality.
        public var sd: Double
        /// Dollars per generation of average size.
        public var cost: Double
        /// The generation from which it exists (a release); 0 for from the start.
        public var availableFrom: Int

        public init(name: String, provider: String, quality: Double, sd: Double, cost: Double, availableFrom: Int = 0) {
            self.name = name
            self.provider = provider
            self.quality = quality
            self.sd = sd
            self.cost = cost
            self.availableFrom = availableFrom
        }
    }

    /// A model whose true quality falls from some generation on (a silent provider update).
    public struct Drop: Sendable, Equatable {
        public var model: String
        /// First generation with the lower quality.
        public var generation: Int
        /// Quality lost (0–1): 0.13 is thirteen points.
        public var by: Double
        /// Spread after the drop.
        public var sd: Double

        public init(model: String, generation: Int, by: Double, sd: Double) {
            self.model = model
            self.generation = generation
            self.by = by
            self.sd = sd
        }
    }

    /// The hidden world: models, the best one (the baseline), and a drop.
    public struct World: Sendable, Equatable {
        public var stage: String
        public var models: [HiddenModel]
        /// The best-quality model: the cost and quality baseline.
        public var best: String
        public var drop: Drop?
        /// Share of each generation's quality spread that is the prompt's difficulty, common
        /// to every model (the rest is the model's own noise). Default 0.7.
        public var difficultyCorrelation: Double
        /// How closely the retrieval similarity tracks the difficulty. Default 0.9.
        public var similarityCorrelation: Double

        public init(stage: String, models: [HiddenModel], best: String, drop: Drop?, difficultyCorrelation: Double = 0.7, similarityCorrelation: Double = 0.9) {
            self.stage = stage
            self.models = models
            self.best = best
            self.drop = drop
            self.difficultyCorrelation = difficultyCorrelation
            self.similarityCorrelation = similarityCorrelation
        }

        /// A stage served by a flagship (`premium`, 0.90, $0.030), where a fast model
        /// (0.898, $0.0024) is nearly as good, a small one (`tiny`, 0.62, $0.0002) is not,
        /// and a cheaper model (`mini`, 0.899, $0.0008) is released at generation 100 and
        /// silently loses 13 points at generation 250. Per-generation spread 0.05 (0.08 for
        /// tiny, 0.065 for mini after its drop).
        ///
        /// The engine is expected to move premium → fast, then fast → mini, and to roll mini
        /// back to fast after its drop.
        public static let standard = World(
            stage: "generate",
            models: [
                HiddenModel(name: "premium", provider: "frontier", quality: 0.900, sd: 0.05, cost: 0.030),
                HiddenModel(name: "fast", provider: "frontier", quality: 0.898, sd: 0.05, cost: 0.0024),
                HiddenModel(name: "mini", provider: "upstart", quality: 0.899, sd: 0.05, cost: 0.0008, availableFrom: 100),
                HiddenModel(name: "tiny", provider: "local", quality: 0.62, sd: 0.08, cost: 0.0002),
            ],
            best: "premium",
            drop: Drop(model: "mini", generation: 250, by: 0.13, sd: 0.065)
        )

        func model(_ name: String) -> HiddenModel { models.first { $0.name == name }! }

        /// True mean and spread of `name` at generation `index`.
        func truth(_ name: String, at index: Int) -> (quality: Double, sd: Double) {
            let model = model(name)
            if let drop, drop.model == name, index >= drop.generation { return (model.quality - drop.by, drop.sd) }
            return (model.quality, model.sd)
        }

        func validate() throws(AnalyticsError) {
            guard models.contains(where: { $0.name == best }) else {
                throw .unknown(kind: "best model", name: best, known: models.map(\.name))
            }
            if let drop, !models.contains(where: { $0.name == drop.model }) {
                throw .unknown(kind: "dropping model", name: drop.model, known: models.map(\.name))
            }
            guard (0..<1).contains(difficultyCorrelation), (0...1).contains(similarityCorrelation) else {
                throw .invalidArgument(name: "correlation", value: "\(difficultyCorrelation), \(similarityCorrelation)", expected: "values in 0…1 (difficulty below 1)")
            }
        }
    }
}
