import Foundation
import StrataStore
import StrataTracing
import StrataTransport

/// What a provider's answer held, in terms common to every API.
struct ParsedAnswer {
    var text: String
    /// The model the server says answered, when it says.
    var model: String?
    var inputTokens: Int
    var outputTokens: Int
    /// Why generation stopped (`stop`, `max_tokens`, `SAFETY`…), to explain an empty answer.
    var stopReason: String?
}

/// The part every provider shares: the budget check, the HTTP exchange with retries, the
/// errors that name what to fix, the cost. A provider adds its URL, headers, body and parser.
struct ProviderClient: Sendable {
    let name: String
    let configuration: ProviderConfiguration
    /// `configuration.baseURL` without trailing slashes, checked once.
    let baseURL: String
    let apiKey: String?
    let price: PriceLookup?
    let budget: BudgetGuard?
    let transfers = CurlTransferPool()

    init(
        name: String, configuration: ProviderConfiguration, environment: [String: String],
        price: PriceLookup?, budget: BudgetGuard?
    ) throws(GenerationError) {
        try configuration.validate()
        let key = environment[configuration.apiKeyVariable].flatMap { $0.isEmpty ? nil : $0 }
        if configuration.requiresAPIKey && key == nil {
            throw .invalidArgument(name: configuration.apiKeyVariable, value: "(unset)", expected: "the \(name) API key in this environment variable")
        }
        self.name = name
        self.configuration = configuration
        baseURL = configuration.trimmedBaseURL!  // validate() checked it
        apiKey = key
        self.price = price
        self.budget = budget
    }

    /// Checks the budget, sends `body` to `url`, and turns the parsed answer into a completion.
    func complete(
        _ request: CompletionRequest, url: String, headers: [String], body: [UInt8],
        parse: ([UInt8]) throws(GenerationError) -> ParsedAnswer
    ) throws(GenerationError) -> Completion {
        try Self.validate(request)
        if let budget {
            // The answer is taken at its longest.
            let estimate = price?(name, request.model, request.estimatedPromptTokens, request.maxTokens) ?? 0
            try budget.check(nextCallEstimate: estimate)
        }
        let started = ContinuousClock.now
        // A client span of the caller's trace, whose context the provider receives (W3C traceparent).
        let answer = try EngineTrace.span("chat " + request.model, kind: .client) { (span) throws(GenerationError) -> ParsedAnswer in
            span.set("gen_ai.operation.name", "chat")
            span.set("gen_ai.provider.name", name)
            span.set("gen_ai.request.model", request.model)
            span.set("server.address", URLComponents(string: url)?.host ?? url)
            let answer = try parse(try post(url: url, headers: headers + EngineTrace.propagationHeaders(), body: body, model: request.model))
            span.set("gen_ai.response.model", answer.model ?? request.model)
            span.set("gen_ai.usage.input_tokens", answer.inputTokens)
            span.set("gen_ai.usage.output_tokens", answer.outputTokens)
            return answer
        }
        let latency = (ContinuousClock.now - started) / .seconds(1)

        guard !answer.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            let reason = answer.stopReason.map { " (stop reason \($0))" } ?? ""
            throw .provider(provider: name, problem: "model \(request.model) at \(url) answered with no text\(reason); a retry may help, or raise maxTokens if the reason is a length limit, or reword a prompt the model refused")
        }
        // Priced by the requested name: servers answer with dated variants the catalog may not list.
        let cost = price?(name, request.model, answer.inputTokens, answer.outputTokens)
        if let cost { budget?.record(cost) }
        return Completion(
            text: answer.text, model: answer.model ?? request.model, inputTokens: answer.inputTokens,
            outputTokens: answer.outputTokens, latencySeconds: latency, cost: cost)
    }

    /// Decodes a JSON answer of the provider's shape, or says what arrived instead.
    func decode<T: Decodable>(_ type: T.Type, from body: [UInt8], url: String, shape: String) throws(GenerationError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw .provider(provider: name, problem: "the server at \(url) answered 200 but not with \(shape) (\(error)): \(HTTPBodyText.excerpt(body)); check that ProviderConfiguration.baseURL points at a \(name)-compatible server")
        }
    }

    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        // Only strings, numbers and optionals: encoding them cannot fail.
        Array(try! JSONEncoder().encode(value))
    }

    private static func validate(_ request: CompletionRequest) throws(GenerationError) {
        guard !request.model.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidArgument(name: "model", value: request.model, expected: "a model name")
        }
        guard !request.prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidArgument(name: "prompt", value: request.prompt, expected: "a non-empty prompt")
        }
        guard request.maxTokens >= 1 else {
            throw .invalidArgument(name: "maxTokens", value: "\(request.maxTokens)", expected: "at least 1")
        }
        guard request.temperature.isFinite, (0...2).contains(request.temperature) else {
            throw .invalidArgument(name: "temperature", value: "\(request.temperature)", expected: "a number from 0 to 2")
        }
    }

    // MARK: - Exchange

    private func post(url: String, headers: [String], body: [UInt8], model: String) throws(GenerationError) -> [UInt8] {
        let request = CurlTransfer.Request(
            url: url, headers: ["Content-Type: application/json", "Accept: application/json"] + headers, body: body,
            timeout: configuration.timeout, connectTimeout: configuration.connectTimeout)
        let policy = configuration.retryPolicy
        let (outcome, attempts) = try transfers.withTransfer(
            { (transfer: CurlTransfer) throws(GenerationError) -> (CurlTransfer.Outcome, Int) in transfer.perform(request, retrying: policy) },
            onInitFailure: { .provider(provider: name, problem: "libcurl could not start a transfer (\($0.message)); the machine may be out of memory") })
        switch outcome {
        case let .response(response) where (200..<300).contains(response.status):
            return response.body
        case let .response(response):
            throw .provider(provider: name, problem: statusProblem(response, attempts: attempts, url: url, model: model))
        case let .failure(failure):
            throw .provider(provider: name, problem: transportProblem(failure, attempts: attempts, url: url))
        }
    }

    private func statusProblem(_ response: CurlTransfer.Response, attempts: Int, url: String, model: String) -> String {
        let status = response.status
        let times = attempts > 1 ? " on all \(attempts) attempts" : ""
        let said = "the server at \(url) answered \(status)\(times): \(HTTPBodyText.serverMessage(response.body))"
        let variable = configuration.apiKeyVariable
        switch status {
        case 401, 403:
            let fix = apiKey == nil
                ? "no API key was sent because \(variable) is not set; set it"
                : "the key in \(variable) was refused; check it and its permissions for model \(model)"
            return "\(said); \(fix) (not retried)"
        case 404:
            return "\(said); check the model name \"\(model)\" and ProviderConfiguration.baseURL"
        case 408, 429:
            return "\(said); still rate limited or timed out, retry later or raise ProviderConfiguration.maxRetries"
        case 500...599:
            return "\(said); the server is failing, retry later"
        default:
            return "\(said); the request was refused, check the model \"\(model)\", maxTokens and temperature"
        }
    }

    private func transportProblem(_ failure: CurlTransfer.Failure, attempts: Int, url: String) -> String {
        let tries = attempts == 1 ? "1 attempt" : "\(attempts) attempts"
        func seconds(_ duration: Duration) -> String { String(format: "%g s", duration / .seconds(1)) }
        switch failure.kind {
        case .couldNotConnect:
            return "could not connect to \(url) after \(tries) (\(failure.message)); start the server or fix ProviderConfiguration.baseURL"
        case .connectTimedOut:
            return "\(url) did not accept a connection within connectTimeout (\(seconds(configuration.connectTimeout))) after \(tries); check ProviderConfiguration.baseURL or retry later"
        case .timedOut:
            return "timed out: \(url) did not answer within ProviderConfiguration.timeout (\(seconds(configuration.timeout))) after \(tries); raise the timeout or lower maxTokens"
        case .connectionLost:
            return "the connection to \(url) broke after \(tries) (\(failure.message)); retry later"
        case .responseTooLarge:
            return "\(url) answered more than expected (\(failure.message)); lower maxTokens"
        case .other:
            return "the request to \(url) failed: \(failure.message); check ProviderConfiguration.baseURL"
        }
    }
}
