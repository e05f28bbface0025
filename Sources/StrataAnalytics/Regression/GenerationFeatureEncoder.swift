/// What is known about a generation before it runs: the inputs of a quality, cost or
/// latency prediction.
public struct GenerationRequest: Sendable, Equatable {
    public var nodeType: String
    public var domain: String
    public var stage: String
    public var model: String
    public var prompt: String
    /// The best similarity among the retrieved patterns (0–1); nil when nothing was retrieved.
    public var topSimilarity: Double?
    /// How many patterns go to the model as context.
    public var contextPatterns: Int

    public init(nodeType: String, domain: String, stage: String, model: String, prompt: String, topSimilarity: Double? = nil, contextPatterns: Int = 0) {
        self.nodeType = nodeType
        self.domain = domain
        self.stage = stage
        self.model = model
        self.prompt = prompt
        self.topSimilarity = topSimilarity
        self.contextPatterns = contextPatterns
    }

    /// The request a recorded generation answered.
    public init(_ record: GenerationRecord) {
        self.init(nodeType: record.nodeType, domain: record.domain, stage: record.stage, model: record.model,
                  prompt: record.prompt, topSimilarity: record.topSimilarity, contextPatterns: record.patternIDs.count)
    }
}

/// Turns a ``GenerationRequest`` into a numeric row: one column per kept level of each
/// categorical field (one-hot), then the numeric fields as they are.
///
/// Each categorical field keeps its `maximumLevels` most frequent training levels; a rarer or
/// unseen level encodes as all zeros, the baseline the intercept stands for. Columns are
/// named `field=level` (`model=gpt-4o-mini`) and `prompt_words`, `top_similarity`,
/// `context_patterns`, so coefficients read as effects.
public struct GenerationFeatureEncoder: Sendable, Equatable {
    /// The categorical fields, in column order.
    public static let categoricalFields = ["node_type", "domain", "stage", "model"]
    /// The numeric fields, after the one-hot columns. A missing similarity counts as 0.
    public static let numericFields = ["prompt_words", "top_similarity", "context_patterns"]

    /// Kept levels per categorical field, most frequent first.
    public let levels: [String: [String]]
    /// Column names, in order.
    public let names: [String]

    /// Learns the levels from the training requests.
    ///
    /// - Parameter maximumLevels: the most levels kept per field (default 12), so a long tail
    ///   of one-off values does not become a column each.
    public init(fitting requests: [GenerationRequest], maximumLevels: Int = 12) {
        var levels: [String: [String]] = [:]
        var names: [String] = []
        for field in Self.categoricalFields {
            let counts = Dictionary(requests.map { (Self.value(of: field, in: $0), 1) }, uniquingKeysWith: +)
            let kept = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(max(maximumLevels, 0)).map(\.key)
            levels[field] = kept
            names += kept.map { "\(field)=\($0)" }
        }
        self.levels = levels
        self.names = names + Self.numericFields
    }

    /// The numeric row of `request`, in ``names`` order.
    public func encode(_ request: GenerationRequest) -> [Double] {
        var row: [Double] = []
        row.reserveCapacity(names.count)
        for field in Self.categoricalFields {
            let value = Self.value(of: field, in: request)
            row += (levels[field] ?? []).map { $0 == value ? 1 : 0 }
        }
        let words = request.prompt.split(whereSeparator: { $0.isWhitespace }).count
        return row + [Double(words), request.topSimilarity ?? 0, Double(request.contextPatterns)]
    }

    private static func value(of field: String, in request: GenerationRequest) -> String {
        switch field {
        case "node_type": request.nodeType
        case "domain": request.domain
        case "stage": request.stage
        default: request.model
        }
    }
}
