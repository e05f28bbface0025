import Foundation

/// A Claude model behind the Anthropic Messages API (`POST {base}/v1/messages`).
///
/// The key, from the variable named by ``ProviderConfiguration/apiKeyVariable``
/// (`ANTHROPIC_API_KEY`, required), goes out as `x-api-key`, with `anthropic-version: 2023-06-01`.
public struct AnthropicProvider: Provider {
    /// `anthropic`.
    public var name: String { client.name }
    /// The settings this provider was created with.
    public var configuration: ProviderConfiguration { client.configuration }
    private let client: ProviderClient

    /// Creates a provider; nothing is sent until ``complete(_:)``.
    ///
    /// - Parameters:
    ///   - configuration: server, key variable and limits; ``ProviderConfiguration/anthropic`` by default.
    ///   - environment: where the key variable is read, once; the process's by default.
    ///   - price: dollars for a call, or `nil` to leave ``Completion/cost`` unset.
    ///   - budget: checked before every call and charged after it, or `nil` for no limit.
    /// - Throws: ``GenerationError/invalidArgument(name:value:expected:)`` for a field out of
    ///   range, or a key that is not set.
    public init(
        configuration: ProviderConfiguration = .anthropic,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        price: PriceLookup? = nil, budget: BudgetGuard? = nil
    ) throws(GenerationError) {
        client = try ProviderClient(name: "anthropic", configuration: configuration, environment: environment, price: price, budget: budget)
    }

    public func complete(_ request: CompletionRequest) throws(GenerationError) -> Completion {
        let url = client.baseURL + "/v1/messages"
        let body = ProviderClient.encode(RequestBody(
            model: request.model, max_tokens: request.maxTokens, system: request.system,
            messages: [Message(role: "user", content: request.prompt)], temperature: request.temperature))
        var headers = ["anthropic-version: 2023-06-01"]
        if let key = client.apiKey { headers.append("x-api-key: \(key)") }
        return try client.complete(request, url: url, headers: headers, body: body) { (body) throws(GenerationError) in
            let answer = try client.decode(ResponseBody.self, from: body, url: url, shape: #"{"content": [{"type": "text", "text": …}]}"#)
            // Only text blocks are the answer; others (thinking, tool use) are not asked for.
            let text = answer.content.filter { $0.type == "text" }.compactMap(\.text).joined()
            return ParsedAnswer(
                text: text, model: answer.model,
                inputTokens: answer.usage?.input_tokens ?? 0, outputTokens: answer.usage?.output_tokens ?? 0,
                stopReason: answer.stop_reason)
        }
    }

    // The wire format, field names as the API spells them.
    private struct Message: Encodable {
        let role: String
        let content: String
    }

    private struct RequestBody: Encodable {
        let model: String
        let max_tokens: Int
        let system: String?
        let messages: [Message]
        let temperature: Double
    }

    private struct ResponseBody: Decodable {
        struct Block: Decodable {
            let type: String
            let text: String?
        }
        struct Usage: Decodable {
            let input_tokens: Int?
            let output_tokens: Int?
        }
        let model: String?
        let content: [Block]
        let stop_reason: String?
        let usage: Usage?
    }
}
