import Foundation
import StrataTransport

/// An ``Embedder`` backed by a server of the OpenAI embeddings API (`POST /v1/embeddings`).
///
/// Texts go out in batches of ``Configuration/batchSize`` as `{"model": …, "input": [...]}`.
/// Each answer is checked (one vector per text, each of ``dimension`` finite numbers, not all
/// zero) and every vector is normalized to unit length before it is returned, in input order.
/// Rate limits (429), server errors (5xx), refused connections and timeouts are retried with
/// backoff, honouring `Retry-After`; other 4xx answers fail at once with the server's message.
///
/// ```swift
/// let embedder = try HTTPEmbedder(configuration: .init(
///     endpoint: "http://127.0.0.1:11434", model: "nomic-embed-text", dimension: 768))
/// let vectors = try embedder.embed(["func add(a: Int, b: Int) -> Int { a + b }"])
/// ```
///
/// - Important: ``embed(_:)`` blocks the calling thread for the whole exchange, retries and
///   their waits included. It may be called from several threads at once: each call takes
///   its own libcurl handle from a shared pool.
public struct HTTPEmbedder: Embedder {
    /// The settings this embedder was created with, ``Configuration/dimension`` filled in.
    public let configuration: Configuration
    /// `openai:<model>`: the API and the model, as the store's manifest records it.
    public let identifier: String
    /// The configured dimension, or the one the server answered with.
    public let dimension: Int
    /// ``Configuration/embeddingsURL``, resolved once.
    let url: String
    let transfers: CurlTransferPool

    /// Creates an embedder, asking the server for the dimension when none is configured.
    ///
    /// With ``Configuration/dimension`` set, nothing is sent until the first ``embed(_:)``.
    /// Without it, one short text is embedded now and the length of its vector becomes
    /// ``dimension``.
    ///
    /// - Parameter configuration: the server, model and limits.
    /// - Throws: ``EmbeddingError/invalidArgument(name:value:expected:)`` for a field out of
    ///   range; ``EmbeddingError/service(problem:)`` when asking the server for the dimension fails.
    public init(configuration: Configuration) throws(EmbeddingError) {
        try configuration.validate()
        url = configuration.embeddingsURL!  // validate() checked it
        identifier = "openai:\(configuration.model)"
        transfers = CurlTransferPool()
        var resolved = configuration
        if resolved.dimension == nil {
            resolved.dimension = try Self.askDimension(configuration, url: url, transfers: transfers)
        }
        self.configuration = resolved
        dimension = resolved.dimension!
    }

    /// Embeds `texts`, one request per ``Configuration/batchSize`` texts.
    ///
    /// - Parameter texts: the texts, in any number; none gives an empty result with no request.
    /// - Returns: `texts.count × dimension` floats, row-major in input order, each row of unit length.
    /// - Throws: ``EmbeddingError/service(problem:)`` when the server cannot be reached, refuses
    ///   the request, or answers with the wrong number of vectors or a zero vector;
    ///   ``EmbeddingError/dimensionMismatch(space:got:)`` for a vector of another length;
    ///   ``EmbeddingError/nonFiniteVector(space:position:)`` for NaN or an infinity.
    public func embed(_ texts: [String]) throws(EmbeddingError) -> [Float] {
        guard !texts.isEmpty else { return [] }
        let space = spaceDescription
        return try transfers.withTransfer({ (transfer: CurlTransfer) throws(EmbeddingError) -> [Float] in
            var vectors: [Float] = []
            vectors.reserveCapacity(texts.count * dimension)
            for start in stride(from: 0, to: texts.count, by: configuration.batchSize) {
                let batch = Array(texts[start..<min(start + configuration.batchSize, texts.count)])
                let body = try Self.post(batch, configuration, url: url, transfer: transfer)
                let rows = try Self.decodeVectors(body, count: batch.count, url: url)
                try Self.appendNormalized(rows, firstText: start, dimension: dimension, space: space, to: &vectors)
            }
            return vectors
        }, onInitFailure: { .service(problem: "libcurl could not start a transfer: \($0.message)") })
    }

    /// The embedding space as errors name it: `openai:<model>, <D> dimensions`.
    var spaceDescription: String { "\(identifier), \(dimension) dimensions" }

    private static func askDimension(_ configuration: Configuration, url: String, transfers: CurlTransferPool) throws(EmbeddingError) -> Int {
        try transfers.withTransfer({ (transfer: CurlTransfer) throws(EmbeddingError) -> Int in
            let body = try post(["dimension probe"], configuration, url: url, transfer: transfer)
            let rows = try decodeVectors(body, count: 1, url: url)
            guard let length = rows.first?.count, length > 0 else {
                throw .service(problem: "the embedding server at \(url) answered with an empty vector; check HTTPEmbedder.Configuration.model \"\(configuration.model)\"")
            }
            return length
        }, onInitFailure: { .service(problem: "libcurl could not start a transfer: \($0.message)") })
    }
}
