import Foundation
import StrataKernels
import StrataTransport

// The wire format of the OpenAI embeddings API, and what each way of failing tells the user.
extension HTTPEmbedder {
    private struct RequestBody: Encodable {
        let model: String
        let input: [String]
    }

    private struct ResponseBody: Decodable {
        struct Item: Decodable {
            // Double, not Float: a number beyond Float's range must become an infinity the
            // validation names, not a decoding error about the whole answer.
            let embedding: [Double]
            let index: Int?
        }
        let data: [Item]
    }

    /// Sends one batch, with retries, and returns the body of the 2xx answer.
    static func post(_ texts: [String], _ configuration: Configuration, url: String, transfer: CurlTransfer) throws(EmbeddingError) -> [UInt8] {
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(RequestBody(model: configuration.model, input: texts)))
        } catch {
            throw .service(problem: "could not encode the request as JSON: \(error)")
        }
        var headers = ["Content-Type: application/json", "Accept: application/json"]
        if let key = configuration.apiKey { headers.append("Authorization: Bearer \(key)") }
        let request = CurlTransfer.Request(
            url: url, headers: headers, body: body,
            timeout: configuration.requestTimeout, connectTimeout: configuration.connectTimeout)
        let policy = HTTPRetryPolicy(
            maxRetries: configuration.maxRetries, baseDelay: configuration.retryBaseDelay, maxDelay: configuration.maxRetryDelay)

        let (outcome, attempts) = transfer.perform(request, retrying: policy)
        switch outcome {
        case let .response(response) where (200..<300).contains(response.status):
            return response.body
        case let .response(response):
            throw .service(problem: statusProblem(response, attempts: attempts, configuration, url: url))
        case let .failure(failure):
            throw .service(problem: transportProblem(failure, attempts: attempts, configuration, url: url))
        }
    }

    /// Decodes an answer into one vector per text, in input order.
    static func decodeVectors(_ body: [UInt8], count: Int, url: String) throws(EmbeddingError) -> [[Double]] {
        let decoded: ResponseBody
        do {
            decoded = try JSONDecoder().decode(ResponseBody.self, from: Data(body))
        } catch {
            throw .service(problem: "the embedding server at \(url) answered 200 but not with {\"data\": [{\"embedding\": [...]}]} (\(error)): \(HTTPBodyText.excerpt(body)); check that HTTPEmbedder.Configuration.endpoint points at an OpenAI-compatible server")
        }
        guard decoded.data.count == count else {
            throw .service(problem: "the embedding server at \(url) answered \(decoded.data.count) vectors for \(count) texts; it may cut long batches short, lower HTTPEmbedder.Configuration.batchSize")
        }
        // `index` says which input a vector belongs to; servers may answer out of order.
        var rows = [[Double]?](repeating: nil, count: count)
        for (position, item) in decoded.data.enumerated() {
            let index = item.index ?? position
            guard rows.indices.contains(index), rows[index] == nil else {
                throw .service(problem: "the embedding server at \(url) answered with index \(index) out of range or repeated, for \(count) texts")
            }
            rows[index] = item.embedding
        }
        return rows.map { $0! }
    }

    /// Checks each row's length and values, normalizes it, and appends it to `vectors`.
    ///
    /// - Parameter firstText: the position, among all texts of the call, of the first row's text.
    static func appendNormalized(_ rows: [[Double]], firstText: Int, dimension: Int, space: String, to vectors: inout [Float]) throws(EmbeddingError) {
        for (position, row) in rows.enumerated() {
            guard row.count == dimension else { throw .dimensionMismatch(space: space, got: row.count) }
            var vector = row.map { Float($0) }
            let norm = try vector.withUnsafeMutableBufferPointer { (buffer) throws(EmbeddingError) -> Float in
                if let component = Kernels.firstNonFinite(UnsafeBufferPointer(buffer)) {
                    throw .nonFiniteVector(space: space, position: component)
                }
                let base = buffer.baseAddress!
                var norm = Kernels.normalize(base, count: dimension)
                if !norm.isFinite {
                    // Finite components whose squares overflow: scale by the largest first.
                    let largest = buffer.reduce(0) { max($0, abs($1)) }
                    for i in buffer.indices { buffer[i] /= largest }
                    norm = Kernels.normalize(base, count: dimension)
                }
                return norm
            }
            guard norm > 0 else {
                throw .service(problem: "the embedding server answered a zero vector for text \(firstText + position); a zero vector has no direction to compare, check the model (\(space))")
            }
            vectors += vector
        }
    }

    // MARK: - Messages

    private static func statusProblem(_ response: CurlTransfer.Response, attempts: Int, _ configuration: Configuration, url: String) -> String {
        let status = response.status
        let times = attempts > 1 ? " on all \(attempts) attempts" : ""
        let said = "the embedding server at \(url) answered \(status)\(times): \(HTTPBodyText.serverMessage(response.body))"
        switch status {
        case 401, 403:
            let fix = configuration.apiKey == nil
                ? "no API key was sent; set HTTPEmbedder.Configuration.apiKey (STRATA_EMBED_API_KEY)"
                : "check HTTPEmbedder.Configuration.apiKey (STRATA_EMBED_API_KEY)"
            return "\(said); \(fix)"
        case 404:
            return "\(said); check HTTPEmbedder.Configuration.endpoint (requests go to \(url)) and model \"\(configuration.model)\""
        case 413:
            return "\(said); the request is too large, lower HTTPEmbedder.Configuration.batchSize (now \(configuration.batchSize))"
        case 429:
            return "\(said); still rate limited, wait, raise HTTPEmbedder.Configuration.maxRetries or lower batchSize"
        case 500...599:
            return "\(said); the server is failing, see its log"
        default:
            return "\(said); check HTTPEmbedder.Configuration.model \"\(configuration.model)\" and the texts"
        }
    }

    private static func transportProblem(_ failure: CurlTransfer.Failure, attempts: Int, _ configuration: Configuration, url: String) -> String {
        let tries = attempts == 1 ? "1 attempt" : "\(attempts) attempts"
        switch failure.kind {
        case .couldNotConnect:
            return "could not connect to the embedding server at \(url) after \(tries) (\(failure.message)); start the server or fix HTTPEmbedder.Configuration.endpoint (STRATA_EMBED_URL)"
        case .connectTimedOut:
            return "the embedding server at \(url) did not accept a connection within connectTimeout (\(seconds(configuration.connectTimeout))) after \(tries); check HTTPEmbedder.Configuration.endpoint or raise connectTimeout"
        case .timedOut:
            return "the embedding server at \(url) did not answer within requestTimeout (\(seconds(configuration.requestTimeout))) after \(tries); raise HTTPEmbedder.Configuration.requestTimeout or lower batchSize (now \(configuration.batchSize))"
        case .connectionLost:
            return "the connection to the embedding server at \(url) broke after \(tries) (\(failure.message)); see the server's log"
        case .responseTooLarge:
            return "the embedding server at \(url) answered more than expected (\(failure.message)); lower HTTPEmbedder.Configuration.batchSize"
        case .other:
            return "the request to the embedding server at \(url) failed: \(failure.message); check HTTPEmbedder.Configuration.endpoint"
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        String(format: "%g s", duration / .seconds(1))
    }
}
