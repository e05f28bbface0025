import Foundation
import StrataStore
import StrataTransport

/// Where a provider's server is, which environment variable holds its key, and how patiently
/// to talk to it. Durations are wall-clock time.
///
/// Start from ``openAI``, ``anthropic`` or ``gemini`` and change what differs:
///
/// ```swift
/// var local = ProviderConfiguration.openAI
/// local.baseURL = "http://127.0.0.1:11434"   // Ollama; no key needed
/// let provider = try OpenAIProvider(configuration: local)
/// ```
public struct ProviderConfiguration: Sendable, Equatable {
    /// The server without the API path (`https://api.openai.com`, `http://127.0.0.1:8000`);
    /// each provider appends its own (`/v1/chat/completions`, …).
    public var baseURL: String
    /// The environment variable that holds the API key, read once when the provider is created.
    public var apiKeyVariable: String
    /// Whether a provider refuses to start without the key. Hosted APIs need one; local
    /// OpenAI-compatible servers (Ollama, vLLM, llama.cpp) do not.
    public var requiresAPIKey: Bool
    /// Longest time one attempt may take, connection included. Default 120 seconds: a long
    /// answer is generated token by token.
    public var timeout: Duration
    /// Longest time to establish the connection (and TLS). Default 10 seconds.
    public var connectTimeout: Duration
    /// Repeats after a 408, 429 or 5xx, a refused connection or a timeout; 0 sends once. Default 3.
    public var maxRetries: Int
    /// The wait before the first retry; it doubles on each later one, less a random jitter of
    /// up to half, so that clients failing together retry apart. Default 1 second.
    public var retryBaseDelay: Duration
    /// The longest wait between attempts, also for a server's `Retry-After`. Default 60 seconds.
    public var maxRetryDelay: Duration

    /// Creates a configuration; see each property for its meaning and default.
    public init(
        baseURL: String, apiKeyVariable: String, requiresAPIKey: Bool,
        timeout: Duration = .seconds(120), connectTimeout: Duration = .seconds(10),
        maxRetries: Int = 3, retryBaseDelay: Duration = .seconds(1), maxRetryDelay: Duration = .seconds(60)
    ) {
        self.baseURL = baseURL
        self.apiKeyVariable = apiKeyVariable
        self.requiresAPIKey = requiresAPIKey
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxRetries = maxRetries
        self.retryBaseDelay = retryBaseDelay
        self.maxRetryDelay = maxRetryDelay
    }

    /// OpenAI at `https://api.openai.com`, key in `OPENAI_API_KEY`, optional (local servers).
    public static var openAI: Self { Self(baseURL: "https://api.openai.com", apiKeyVariable: "OPENAI_API_KEY", requiresAPIKey: false) }
    /// Anthropic at `https://api.anthropic.com`, key in `ANTHROPIC_API_KEY`, required.
    public static var anthropic: Self { Self(baseURL: "https://api.anthropic.com", apiKeyVariable: "ANTHROPIC_API_KEY", requiresAPIKey: true) }
    /// Google Gemini at `https://generativelanguage.googleapis.com`, key in `GEMINI_API_KEY`, required.
    public static var gemini: Self { Self(baseURL: "https://generativelanguage.googleapis.com", apiKeyVariable: "GEMINI_API_KEY", requiresAPIKey: true) }

    /// ``baseURL`` without trailing slashes, or `nil` when it is not an `http(s)` URL with a host.
    var trimmedBaseURL: String? {
        var base = baseURL.trimmingCharacters(in: .whitespaces)
        guard let url = URLComponents(string: base),
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, url.query == nil
        else { return nil }
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    var retryPolicy: HTTPRetryPolicy {
        HTTPRetryPolicy(maxRetries: maxRetries, baseDelay: retryBaseDelay, maxDelay: maxRetryDelay)
    }

    /// Checks every field.
    ///
    /// - Throws: ``GenerationError/invalidArgument(name:value:expected:)`` naming the field.
    public func validate() throws(GenerationError) {
        func reject(_ field: String, _ value: String, _ expected: String) -> GenerationError {
            .invalidArgument(name: "ProviderConfiguration.\(field)", value: value, expected: expected)
        }
        guard trimmedBaseURL != nil else {
            throw reject("baseURL", baseURL, "an http:// or https:// URL with a host and no query, such as https://api.openai.com")
        }
        guard !apiKeyVariable.isEmpty else { throw reject("apiKeyVariable", apiKeyVariable, "an environment variable name") }
        guard timeout > .zero else { throw reject("timeout", "\(timeout)", "a positive duration") }
        guard connectTimeout > .zero else { throw reject("connectTimeout", "\(connectTimeout)", "a positive duration") }
        guard maxRetries >= 0 else { throw reject("maxRetries", "\(maxRetries)", "0 or more") }
        guard retryBaseDelay >= .zero else { throw reject("retryBaseDelay", "\(retryBaseDelay)", "0 or a positive duration") }
        guard maxRetryDelay >= .zero else { throw reject("maxRetryDelay", "\(maxRetryDelay)", "0 or a positive duration") }
    }
}
