/// A language model behind an HTTP API: one prompt in, one completion out.
///
/// Implementations block the calling thread for the whole exchange, retries and their waits
/// included, and may be called from several threads at once.
public protocol Provider: Sendable {
    /// The provider's name as the price catalog and the performance records know it
    /// (`openai`, `anthropic`, `gemini`).
    var name: String { get }

    /// Sends `request` and waits for the model's answer.
    ///
    /// - Throws: ``GenerationError/budgetExceeded(limit:spent:nextCallEstimate:)`` before any
    ///   request when the call may take the spend past the budget;
    ///   ``GenerationError/provider(provider:problem:)`` when the server cannot be reached,
    ///   refuses the request, or answers with nothing usable;
    ///   ``GenerationError/invalidArgument(name:value:expected:)`` for a request out of range.
    func complete(_ request: CompletionRequest) throws(GenerationError) -> Completion
}

/// One prompt for a model, with the sampling settings every API has.
public struct CompletionRequest: Sendable, Equatable {
    /// Instructions that frame the prompt (the role, the output format), or `nil` for none.
    public var system: String?
    /// What the user asks.
    public var prompt: String
    /// The model name as the provider knows it (`gpt-4o-mini`, `claude-sonnet-4-5`, `gemini-2.5-flash`).
    public var model: String
    /// The most tokens the answer may have; also what the budget guard assumes it will have.
    public var maxTokens: Int
    /// Sampling temperature; 0 is the most deterministic.
    public var temperature: Double

    /// Creates a request; `system` defaults to none, `maxTokens` to 4096, `temperature` to 0.2.
    public init(system: String? = nil, prompt: String, model: String, maxTokens: Int = 4096, temperature: Double = 0.2) {
        self.system = system
        self.prompt = prompt
        self.model = model
        self.maxTokens = maxTokens
        self.temperature = temperature
    }
}

extension CompletionRequest {
    /// The prompt's tokens, roughly, before the server counts them: ~4 bytes a token holds for
    /// English and code. What budget checks price a call by, with ``maxTokens`` for the answer.
    public var estimatedPromptTokens: Int {
        (prompt.utf8.count + (system?.utf8.count ?? 0) + 3) / 4
    }
}

/// A model's answer and what it took.
public struct Completion: Sendable, Equatable {
    /// The answer's text; never empty (an empty answer is an error).
    public var text: String
    /// The model that answered, as the server names it (it may add a version to the requested name).
    public var model: String
    /// Prompt tokens, as the server counted them.
    public var inputTokens: Int
    /// Answer tokens, as the server counted them.
    public var outputTokens: Int
    /// Wall-clock seconds from sending the first attempt to receiving the answer: what the
    /// caller waited, retries included.
    public var latencySeconds: Double
    /// US dollars, or `nil` when the price lookup knows no price for the model.
    public var cost: Double?

    public init(text: String, model: String, inputTokens: Int, outputTokens: Int, latencySeconds: Double, cost: Double?) {
        self.text = text
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.latencySeconds = latencySeconds
        self.cost = cost
    }
}

/// Dollars for a call: `(provider, model, inputTokens, outputTokens)`, or `nil` for an unknown
/// price. The caller wires it to the analytics `PriceCatalog`, so that this module holds no prices.
public typealias PriceLookup = @Sendable (_ provider: String, _ model: String, _ inputTokens: Int, _ outputTokens: Int) -> Double?
