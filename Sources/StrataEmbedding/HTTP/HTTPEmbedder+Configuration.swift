import Foundation

extension HTTPEmbedder {
    /// Where the embedding server is and how patiently to talk to it.
    ///
    /// Works with any server of the OpenAI embeddings API: OpenAI, Ollama, vLLM, llama.cpp's
    /// server, text-embeddings-inference. Durations are wall-clock time.
    public struct Configuration: Sendable, Equatable, CustomStringConvertible {
        /// The server: a base URL (`http://127.0.0.1:11434`, `https://api.openai.com/v1`), to
        /// which `/v1/embeddings` or `/embeddings` is added, or the full endpoint URL
        /// (`…/v1/embeddings`, or any URL with a query), used as is. No default.
        public var endpoint: String
        /// The model name sent with every request (`text-embedding-3-small`, `nomic-embed-text`).
        /// No default.
        public var model: String
        /// Sent as `Authorization: Bearer <key>` when set. Default `nil`: no header, as local
        /// servers expect.
        public var apiKey: String?
        /// The length of the vectors the model returns: the store's dimension. Default `nil`:
        /// ``HTTPEmbedder/init(configuration:)`` asks the server once and learns it.
        public var dimension: Int?
        /// Texts per request; a longer `embed` call is split into several requests. Default 64.
        public var batchSize: Int
        /// Longest time one request may take, connection included. Default 60 seconds.
        public var requestTimeout: Duration
        /// Longest time to establish the connection (and TLS). Default 10 seconds.
        public var connectTimeout: Duration
        /// How many times a request is repeated after a 408, a 429, a 5xx, a refused connection
        /// or a timeout; 0 sends each request once. Default 3.
        public var maxRetries: Int
        /// The wait before the first retry; it doubles on each later one, and a random
        /// jitter takes up to half of it away, so clients that failed together retry apart.
        /// Default 0.5 seconds.
        public var retryBaseDelay: Duration
        /// The longest wait between two attempts, also for a server's `Retry-After`.
        /// Default 30 seconds.
        public var maxRetryDelay: Duration

        /// Creates a configuration; every parameter but `endpoint` and `model` has a default.
        ///
        /// - Parameters:
        ///   - endpoint: base or full URL of the server; see ``endpoint``.
        ///   - model: model name sent with each request.
        ///   - apiKey: bearer token, or `nil` for none (the default).
        ///   - dimension: vector length, or `nil` (the default) to ask the server.
        ///   - batchSize: texts per request, default 64.
        ///   - requestTimeout: per request, default 60 s.
        ///   - connectTimeout: per connection, default 10 s.
        ///   - maxRetries: retries per request, default 3.
        ///   - retryBaseDelay: first backoff, default 0.5 s.
        ///   - maxRetryDelay: backoff and `Retry-After` cap, default 30 s.
        public init(
            endpoint: String,
            model: String,
            apiKey: String? = nil,
            dimension: Int? = nil,
            batchSize: Int = 64,
            requestTimeout: Duration = .seconds(60),
            connectTimeout: Duration = .seconds(10),
            maxRetries: Int = 3,
            retryBaseDelay: Duration = .milliseconds(500),
            maxRetryDelay: Duration = .seconds(30)
        ) {
            self.endpoint = endpoint
            self.model = model
            self.apiKey = apiKey
            self.dimension = dimension
            self.batchSize = batchSize
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.maxRetries = maxRetries
            self.retryBaseDelay = retryBaseDelay
            self.maxRetryDelay = maxRetryDelay
        }

        /// The URL requests go to: ``endpoint`` completed with the embeddings path.
        ///
        /// - Returns: `nil` when ``endpoint`` is not an `http` or `https` URL with a host.
        public var embeddingsURL: String? {
            let trimmed = endpoint.trimmingCharacters(in: .whitespaces)
            guard let url = URLComponents(string: trimmed),
                  let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  let host = url.host, !host.isEmpty
            else { return nil }
            if url.query != nil { return trimmed }
            var base = trimmed
            while base.hasSuffix("/") { base.removeLast() }
            if base.hasSuffix("/embeddings") { return base }
            return base.hasSuffix("/v1") ? base + "/embeddings" : base + "/v1/embeddings"
        }

        /// Checks every field.
        ///
        /// - Throws: ``EmbeddingError/invalidArgument(name:value:expected:)`` naming the field.
        public func validate() throws(EmbeddingError) {
            func reject(_ field: String, _ value: String, _ expected: String) -> EmbeddingError {
                .invalidArgument(name: "HTTPEmbedder.Configuration.\(field)", value: value, expected: expected)
            }
            guard embeddingsURL != nil else {
                throw reject("endpoint", "\"\(endpoint)\"", "an http:// or https:// URL with a host, such as http://127.0.0.1:11434")
            }
            guard !model.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw reject("model", "\"\(model)\"", "the name of an embedding model the server serves")
            }
            if let dimension, dimension < 1 {
                throw reject("dimension", "\(dimension)", "at least 1, or nil to ask the server")
            }
            guard batchSize >= 1 else { throw reject("batchSize", "\(batchSize)", "at least 1 text per request") }
            guard requestTimeout > .zero else { throw reject("requestTimeout", "\(requestTimeout)", "a positive duration") }
            guard connectTimeout > .zero else { throw reject("connectTimeout", "\(connectTimeout)", "a positive duration") }
            guard maxRetries >= 0 else { throw reject("maxRetries", "\(maxRetries)", "0 or more") }
            guard retryBaseDelay >= .zero else { throw reject("retryBaseDelay", "\(retryBaseDelay)", "0 or a positive duration") }
            guard maxRetryDelay >= .zero else { throw reject("maxRetryDelay", "\(maxRetryDelay)", "0 or a positive duration") }
        }

        /// All fields, with the API key redacted so that logs never hold it.
        public var description: String {
            "HTTPEmbedder.Configuration(endpoint: \(endpoint), model: \(model), apiKey: \(apiKey == nil ? "none" : "<redacted>"), "
                + "dimension: \(dimension.map(String.init) ?? "ask the server"), batchSize: \(batchSize), "
                + "requestTimeout: \(requestTimeout), connectTimeout: \(connectTimeout), maxRetries: \(maxRetries), "
                + "retryBaseDelay: \(retryBaseDelay), maxRetryDelay: \(maxRetryDelay))"
        }
    }
}
