import Foundation
import StrataAnalytics

/// The providers `strata generate --provider` knows, by name.
public enum ProviderKind: String, Sendable, CaseIterable {
    /// Templates only: deterministic, no network, no cost.
    case offline
    /// Any OpenAI-compatible server: OpenAI, Ollama, vLLM, llama.cpp, Z.ai.
    case openai
    case anthropic
    case gemini

    /// The provider, or `nil` for offline.
    ///
    /// - Parameters:
    ///   - baseURL: another server than the provider's own (an Ollama or vLLM address).
    ///   - prices: prices calls from this catalog; `nil` leaves costs unknown.
    ///   - budget: the run's spending limit, checked before every call.
    public func make(
        baseURL: String? = nil, prices: PriceCatalog? = nil, budget: BudgetGuard? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(GenerationError) -> (any Provider)? {
        var lookup: PriceLookup?
        if let prices {
            lookup = { provider, model, input, output in
                let price: Price?? = try? prices.price(provider: provider, model: model)
                return price??.cost(inputTokens: input, outputTokens: output)
            }
        }
        func configured(_ base: ProviderConfiguration) -> ProviderConfiguration {
            var configuration = base
            if let baseURL { configuration.baseURL = baseURL }
            return configuration
        }
        switch self {
        case .offline:
            return nil
        case .openai:
            return try OpenAIProvider(configuration: configured(.openAI), environment: environment, price: lookup, budget: budget)
        case .anthropic:
            return try AnthropicProvider(configuration: configured(.anthropic), environment: environment, price: lookup, budget: budget)
        case .gemini:
            return try GeminiProvider(configuration: configured(.gemini), environment: environment, price: lookup, budget: budget)
        }
    }
}
