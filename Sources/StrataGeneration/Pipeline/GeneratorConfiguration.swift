import StrataStore

/// How a ``Generator`` works; every field has a default a first run can use.
public struct GeneratorConfiguration: Sendable, Equatable {
    /// Time budgets of the stages that may be slow; a stage over its budget is reported
    /// `timedOut` and the generation goes on without its result.
    public struct StageBudgets: Sendable, Equatable {
        /// The RAG lookup. Default 250 ms (it takes well under 5 ms on 25k patterns).
        public var retrieve: Duration = .milliseconds(250)
        /// The model choice. Default 500 ms.
        public var select: Duration = .milliseconds(500)
        /// Fitting the predictor on the history and predicting. Default 500 ms.
        public var predict: Duration = .milliseconds(500)

        public init() {}
    }

    /// Where nodes are written. Default `generated`.
    public var outputDirectory: String = "generated"
    /// Replace a node version that already exists. Default false.
    public var force: Bool = false
    /// Write the files (false: render, validate and score only). Default true.
    public var writeFiles: Bool = true
    /// Record the generation and offer the result to the store (false: a dry run that leaves
    /// the tracker and the store as they were). Default true.
    public var learn: Bool = true
    /// Recorded with every generation. Defaults `default` and `dev`.
    public var project: String = "default"
    /// The environment the generation runs in: recorded, held to the budgets that name it,
    /// and tagged `env:<environment>` on the patterns it stores.
    public var environment: String = "dev"
    /// The environments there are (the configuration's). Default dev, staging, prod.
    public var environments: [String] = ["dev", "staging", "prod"]
    /// Whether the generation learns from its own environment only: it retrieves no pattern
    /// stored by a generation in another of ``environments`` (patterns imported or seeded
    /// are shared), and its model choice and prediction read only its environment's
    /// records. Default false: every environment learns from all.
    public var scopedToEnvironment: Bool = false

    /// The tags a lookup excludes: those of the patterns other environments stored, when
    /// ``scopedToEnvironment``; none otherwise.
    var excludedEnvironmentTags: Set<String> {
        scopedToEnvironment ? Set(environments.filter { $0 != environment }.map(Generator.environmentTag)) : []
    }
    /// Patterns the RAG lookup returns. Default 5.
    public var retrievalLimit: Int = 5
    /// Patterns below this quality are not retrieved. Default 0.5.
    public var minimumPatternQuality: Double = 0.5
    /// A retrieved pattern at least this similar counts as a hit: it is cited, its operation
    /// bodies may be reused, and it grounds the score. Default nil: the value measured for the
    /// store's embedder (``RetrievalCalibration``; 0.35 for the built-in one), since every
    /// embedder has its own scale.
    public var similarityThreshold: Double?
    /// The similarities that grounding scales from (nothing in common) to (the same node):
    /// see ``QualityScore``. Default nil: the span measured for the store's embedder
    /// (``RetrievalCalibration``; 0.2...0.5 for the built-in one).
    public var groundingSimilarity: ClosedRange<Double>?
    /// A result at least this good (and passing every gate that ran) is stored as a pattern.
    /// Default 0.7.
    public var storeThreshold: Double = 0.7
    /// The most tokens a refinement may answer with. Default 4096.
    public var refinementMaxTokens: Int = 4096
    public var budgets = StageBudgets()
    public var validation = ValidationGates.Configuration()

    public init() {}

    /// The hit threshold and grounding span for a store whose embedder is `settings`: the
    /// values set here, else those measured for that embedder.
    public func calibration(for settings: EmbedderSettings?) -> RetrievalCalibration {
        let measured = RetrievalCalibration.for(settings)
        return RetrievalCalibration(hitThreshold: similarityThreshold ?? measured.hitThreshold, grounding: groundingSimilarity ?? measured.grounding)
    }

    func validate() throws(GenerationError) {
        for (name, value) in [("minimumPatternQuality", minimumPatternQuality), ("similarityThreshold", similarityThreshold ?? 0), ("storeThreshold", storeThreshold)]
        where !(value.isFinite && (0...1).contains(value)) {
            throw .invalidArgument(name: name, value: "\(value)", expected: "a number from 0 to 1")
        }
        if let groundingSimilarity, !(groundingSimilarity.lowerBound.isFinite && groundingSimilarity.upperBound.isFinite
            && groundingSimilarity.lowerBound < groundingSimilarity.upperBound) {
            throw .invalidArgument(name: "groundingSimilarity", value: "\(groundingSimilarity)", expected: "a range of similarities, low below high")
        }
        guard (1...100).contains(retrievalLimit) else {
            throw .invalidArgument(name: "retrievalLimit", value: "\(retrievalLimit)", expected: "1 to 100 patterns")
        }
        guard refinementMaxTokens >= 1 else {
            throw .invalidArgument(name: "refinementMaxTokens", value: "\(refinementMaxTokens)", expected: "at least 1")
        }
        guard !environment.isEmpty, environment.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw .invalidArgument(name: "environment", value: environment, expected: "a name of letters, digits, - and _ (dev, staging, prod)")
        }
        guard !outputDirectory.isEmpty else {
            throw .invalidArgument(name: "output directory", value: "", expected: "a folder path")
        }
    }
}
