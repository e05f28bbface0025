import Foundation
import StrataKernels

/// Runs the real selector and migration engine against a hidden world and measures them
/// against always using the best-quality model.
///
/// Each generation: the selector (target ``qualityTarget``, rolled-back models excluded)
/// either explores a model with thin evidence, or the engine routes the generation (its
/// incumbent, or the candidate for the canary share). The hidden world then scores it:
///
///     quality = mean + sd · (ρ · difficulty + √(1 − ρ²) · own noise), clamped to 0…1
///     similarity = 0.75 + 0.1 · (ρₛ · difficulty + √(1 − ρₛ²) · noise)
///     cost = price · size, size log-normal with mean 1
///
/// The prompt's difficulty and size are drawn once per generation and shared with the
/// baseline's generation (the same prompt sent to the best model), so the comparison is
/// paired. The engine decides after every generation and logs to an in-memory catalog.
public struct ModelSimulation: Sendable {
    public var seed: UInt64
    public var generations: Int
    public var world: World
    public var policy: MigrationPolicy
    /// The selector's quality target. Default 0.85.
    public var qualityTarget: Double

    /// The engine's defaults but a 50 % canary share: a 10 % canary needs 300 generations to
    /// reach 30 canary generations, most of a 500-generation run spent on the incumbent.
    public static let defaultPolicy = MigrationPolicy(canaryShare: 0.5)

    public init(seed: UInt64, generations: Int = 500, world: World = .standard, policy: MigrationPolicy = ModelSimulation.defaultPolicy, qualityTarget: Double = 0.85) {
        self.seed = seed
        self.generations = generations
        self.world = world
        self.policy = policy
        self.qualityTarget = qualityTarget
    }

    /// Runs the generations.
    /// - Throws: ``AnalyticsError/invalidArgument(name:value:expected:)`` for a bad world,
    ///   policy or generation count; catalog errors from the decision log.
    public func run() throws(AnalyticsError) -> ModelSimulationResult {
        guard generations >= 1 else { throw .invalidArgument(name: "generations", value: "\(generations)", expected: "at least 1") }
        try world.validate()
        var random = SeededRandom(seed: seed)
        let log = try MigrationLog(catalog: try AnalyticsCatalog.inMemory())
        var engine = try MigrationEngine(policy: policy, log: log)
        var selector = try ModelSelector(configuration: ModelSelector.Configuration(minimumEvidence: policy.minimumGenerations, seed: seed &+ 0x5EED))
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        engine.begin(stage: world.stage, model: world.best, at: start)

        var tally = Tally()
        var canaryStarted: [String: Int] = [:]
        var rollbackAfter: Int?
        for index in 0..<generations {
            let now = start.addingTimeInterval(Double(index) * 60)
            for model in world.models where model.availableFrom == index { selector.register(Self.entry(model)) }
            let recommendation = try selector.recommend(stage: world.stage, qualityTarget: qualityTarget, excluding: engine.rejected(stage: world.stage, at: now))
            let routed = engine.route(stage: world.stage) ?? world.best
            let model = recommendation.exploring ? recommendation.model : routed
            if recommendation.exploring { tally.explored += 1 }

            let prompt = Prompt(&random, world: world)
            let record = prompt.record(model, index: index, time: now, world: world, random: &random)
            let baseline = prompt.record(world.best, index: index, time: now, world: world, random: &random)
            tally.add(record, baseline: baseline, expected: world.truth(model, at: index).quality - world.truth(world.best, at: index).quality)
            selector.add(record)
            engine.observe(record)

            let decision = try engine.step(stage: world.stage, at: now)
            if case let .canary(_, to, _) = decision.after, decision.action == .startCanary { canaryStarted[to] = index }
            if decision.action == .rollBack, case let .rolledBack(_, from) = decision.after, let drop = world.drop, from == drop.model,
               index >= drop.generation, rollbackAfter == nil {
                rollbackAfter = index - max(drop.generation, canaryStarted[from] ?? drop.generation) + 1
            }
        }
        let logged = try log.decisions()
        return ModelSimulationResult(
            costRatioVsBest: tally.cost / tally.bestCost, qualityDeltaPoints: tally.expectedDelta / Double(generations) * 100,
            rollbackAfterGenerations: rollbackAfter, decisions: logged.count,
            observedQualityDeltaPoints: (tally.quality - tally.bestQuality) / Double(generations) * 100,
            cost: tally.cost, bestCost: tally.bestCost, generationsPerModel: tally.perModel, exploredGenerations: tally.explored,
            finalState: engine.state(of: world.stage), log: logged
        )
    }

    /// A catalog entry priced so that an average generation (1,500 tokens in, 400 out, output
    /// at four times the input price) costs the model's cost.
    static func entry(_ model: HiddenModel) -> ModelCatalog.Entry {
        let input = model.cost * 1_000_000 / (Prompt.inputTokens + 4 * Prompt.outputTokens)
        return ModelCatalog.Entry(provider: model.provider, model: model.name, inputDollarsPerMillionTokens: input, outputDollarsPerMillionTokens: 4 * input)
    }

    /// What one generation's prompt is like, shared by the served model and the baseline.
    struct Prompt {
        static let inputTokens = 1500.0, outputTokens = 400.0
        var difficulty: Double
        var similarity: Double
        var size: Double

        init(_ random: inout SeededRandom, world: World) {
            difficulty = random.standardNormal()
            let rho = world.similarityCorrelation
            similarity = min(max(0.75 + 0.1 * (rho * difficulty + (1 - rho * rho).squareRoot() * random.standardNormal()), 0), 1)
            size = exp(0.25 * random.standardNormal() - 0.03125)
        }

        func record(_ model: String, index: Int, time: Date, world: World, random: inout SeededRandom) -> GenerationRecord {
            let truth = world.truth(model, at: index), rho = world.difficultyCorrelation
            let noise = rho * difficulty + (1 - rho * rho).squareRoot() * random.standardNormal()
            let hidden = world.model(model)
            return GenerationRecord(
                time: time, project: "simulation", stage: world.stage, provider: hidden.provider, model: model,
                inputTokens: Int(Self.inputTokens * size), outputTokens: Int(Self.outputTokens * size), cost: hidden.cost * size,
                quality: min(max(truth.quality + truth.sd * noise, 0), 1), topSimilarity: similarity
            )
        }
    }

    /// Running sums of the served generations and the baseline's.
    struct Tally {
        var cost = 0.0, bestCost = 0.0, quality = 0.0, bestQuality = 0.0, expectedDelta = 0.0
        var perModel: [String: Int] = [:]
        var explored = 0

        mutating func add(_ record: GenerationRecord, baseline: GenerationRecord, expected: Double) {
            cost += record.cost ?? 0
            bestCost += baseline.cost ?? 0
            quality += record.quality ?? 0
            bestQuality += baseline.quality ?? 0
            expectedDelta += expected
            perModel[record.model, default: 0] += 1
        }
    }
}

/// What a simulation measured, relative to always using the best-quality model.
public struct ModelSimulationResult: Sendable {
    /// Dollars spent over the baseline's dollars.
    public var costRatioVsBest: Double
    /// Mean true quality of the served models minus the best model's, in points (0–100):
    /// the policy's quality, free of the noise of individual scores.
    public var qualityDeltaPoints: Double
    /// Generations served at the dropped quality before the rollback: from the drop (or,
    /// when the engine moved to the model only later, from its canary's start) through the
    /// generation that triggered it. `nil` when the dropped model was never rolled back.
    public var rollbackAfterGenerations: Int?
    /// Decisions written to the log (state changes and the first hold after each).
    public var decisions: Int
    /// The same as ``qualityDeltaPoints`` on the scores actually drawn (paired prompts).
    public var observedQualityDeltaPoints: Double
    public var cost: Double
    public var bestCost: Double
    public var generationsPerModel: [String: Int]
    /// Generations the selector sent to a model with thin evidence.
    public var exploredGenerations: Int
    public var finalState: MigrationState?
    /// The decision log, read back from the catalog.
    public var log: [MigrationDecision]
}
