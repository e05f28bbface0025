import Foundation

/// A model behind the OpenAI chat completions API (`POST {base}/v1/chat/completions`): OpenAI
/// itself, or any compatible server (Ollama, vLLM, llama.cpp's server).
///
/// The key, when the variable named by ``ProviderConfiguration/apiKeyVariable``
/// (`OPENAI_API_KEY`) is set, goes out as `Authorization: Bearer <key>`; local servers need none.
public struct OpenAIProvider: Provider {
    /// `openai`.
    public var name: String { client.name }
    /// The settings this provider was created with.
    public var configuration: ProviderConfiguration { client.configuration }
    private let client: ProviderClient

    /// Creates a provider; nothing is sent until ``complete(_:)``.
    ///
    /// - Parameters:
    ///   - configuration: server, key variable and limits; ``ProviderConfiguration/openAI`` by default.
    ///   - environment: where the key variable is read, once; the process's by default.
    ///   - price: dollars for a call, or `nil` to leave ``Completion/cost`` unset.
    ///   - budget: checked before every call and charged after it, or `nil` for no limit.
    /// - Throws: ``GenerationError/invalidArgument(name:value:expected:)`` for a field out of
    ///   range, or a required key that is not set.
    public init(
        configuration: ProviderConfiguration = .openAI,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        price: PriceLookup? = nil, budget: BudgetGuard? = nil
    ) throws(GenerationError) {
        client = try ProviderClient(name: "openai", configuration: configuration, environment: environment, price: price, budget: budget)
    }

    public func complete(_ request: CompletionRequest) throws(GenerationError) -> Completion {
        let url = client.baseURL + "/v1/chat/completions"
        var messages: [Message] = []
        if let system = request.system { messages.append(Message(role: "system", content: system)) }
        messages.append(Message(role: "user", content: request.prompt))
        let body = ProviderClient.encode(RequestBody(
            model: request.model, messages: messages, max_tokens: request.maxTokens, temperature: request.temperature))
        let headers = client.apiKey.map { ["Authorization: Bearer \($0)"] } ?? []
        return try client.complete(request, url: url, headers: headers, body: body) { (body) throws(GenerationError) in
            let answer = try client.decode(ResponseBody.self, from: body, url: url, shape: #"{"choices": [{"message": {"content": …}}]}"#)
            let choice = answer.choices.first
            return ParsedAnswer(
                text: choice?.message?.content ?? "", model: answer.model,
                inputTokens: answer.usage?.prompt_tokens ?? 0, outputTokens: answer.usage?.completion_tokens ?? 0,
                stopReason: choice?.finish_reason ?? (answer.choices.isEmpty ? "no choices" : nil))
        }
    }

    // The wire format, field names as the API spells them.
    private struct Message: Codable {
        let role: String
        let content: String?
    }

    private struct RequestBody: Encodable {
        let model: String
        let messages: [Message]
        let max_tokens: Int
        let temperature: Double
    }

    private struct ResponseBody: Decodable {
        struct Choice: Decodable {
            let message: Message?
            let finish_reason: String?
        }
        struct Usage: Decodable {
            let prompt_tokens: Int?
            let completion_tokens: Int?
        }
        let model: String?
        let choices: [Choice]
        // Missing on some local servers, which count nothing: the tokens are then 0.
        let usage: Usage?
    }
}
