import Foundation

/// A Google Gemini model behind the Generative Language API
/// (`POST {base}/v1beta/models/{model}:generateContent`).
///
/// The key, from the variable named by ``ProviderConfiguration/apiKeyVariable``
/// (`GEMINI_API_KEY`, required), goes out as `x-goog-api-key`, never in the URL, so that
/// it cannot end up in a log of URLs.
public struct GeminiProvider: Provider {
    /// `gemini`.
    public var name: String { client.name }
    /// The settings this provider was created with.
    public var configuration: ProviderConfiguration { client.configuration }
    private let client: ProviderClient

    /// Creates a provider; nothing is sent until ``complete(_:)``.
    ///
    /// - Parameters:
    ///   - configuration: server, key variable and limits; ``ProviderConfiguration/gemini`` by default.
    ///   - environment: where the key variable is read, once; the process's by default.
    ///   - price: dollars for a call, or `nil` to leave ``Completion/cost`` unset.
    ///   - budget: checked before every call and charged after it, or `nil` for no limit.
    /// - Throws: ``GenerationError/invalidArgument(name:value:expected:)`` for a field out of
    ///   range, or a key that is not set.
    public init(
        configuration: ProviderConfiguration = .gemini,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        price: PriceLookup? = nil, budget: BudgetGuard? = nil
    ) throws(GenerationError) {
        client = try ProviderClient(name: "gemini", configuration: configuration, environment: environment, price: price, budget: budget)
    }

    public func complete(_ request: CompletionRequest) throws(GenerationError) -> Completion {
        // The model is a path segment: a `/` or `?` in it must not change the URL's shape.
        var segment = CharacterSet.urlPathAllowed
        segment.remove(charactersIn: "/:")
        let model = request.model.addingPercentEncoding(withAllowedCharacters: segment) ?? request.model
        let url = client.baseURL + "/v1beta/models/\(model):generateContent"
        let body = ProviderClient.encode(RequestBody(
            contents: [Content(role: "user", parts: [Part(text: request.prompt)])],
            systemInstruction: request.system.map { Content(role: nil, parts: [Part(text: $0)]) },
            generationConfig: .init(maxOutputTokens: request.maxTokens, temperature: request.temperature)))
        let headers = client.apiKey.map { ["x-goog-api-key: \($0)"] } ?? []
        return try client.complete(request, url: url, headers: headers, body: body) { (body) throws(GenerationError) in
            let answer = try client.decode(ResponseBody.self, from: body, url: url, shape: #"{"candidates": [{"content": {"parts": [{"text": …}]}}]}"#)
            let candidate = answer.candidates?.first
            let text = candidate?.content?.parts?.compactMap(\.text).joined() ?? ""
            // No candidate at all means the prompt itself was blocked; the feedback says why.
            let reason = candidate?.finishReason ?? answer.promptFeedback?.blockReason.map { "prompt blocked: \($0)" }
            return ParsedAnswer(
                text: text, model: answer.modelVersion,
                inputTokens: answer.usageMetadata?.promptTokenCount ?? 0,
                outputTokens: answer.usageMetadata?.candidatesTokenCount ?? 0,
                stopReason: reason)
        }
    }

    // The wire format, field names as the API spells them.
    private struct Part: Codable {
        let text: String?
    }

    private struct Content: Codable {
        let role: String?
        let parts: [Part]?
    }

    private struct RequestBody: Encodable {
        struct GenerationConfig: Encodable {
            let maxOutputTokens: Int
            let temperature: Double
        }
        let contents: [Content]
        let systemInstruction: Content?
        let generationConfig: GenerationConfig
    }

    private struct ResponseBody: Decodable {
        struct Candidate: Decodable {
            let content: Content?
            let finishReason: String?
        }
        struct Usage: Decodable {
            let promptTokenCount: Int?
            let candidatesTokenCount: Int?
        }
        struct Feedback: Decodable {
            let blockReason: String?
        }
        let candidates: [Candidate]?
        let usageMetadata: Usage?
        let modelVersion: String?
        let promptFeedback: Feedback?
    }
}
