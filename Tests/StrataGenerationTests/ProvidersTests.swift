import Foundation
import StrataGeneration
import StrataTestSupport
import Testing

// Every test runs its own LoopbackHTTPServer speaking one provider's API, scripted to answer
// or fail in the way under test. Backoff delays are milliseconds; the longest test waits for
// a one-second Retry-After.

/// Dollars for a call: exact in Double for small token counts, so tests compare with `==`.
private let price: PriceLookup = { _, _, input, output in Double(input) * 0.000_002 + Double(output) * 0.000_01 }

private func configuration(
    _ base: ProviderConfiguration, port: UInt16, _ change: (inout ProviderConfiguration) -> Void = { _ in }
) -> ProviderConfiguration {
    var configuration = base
    configuration.baseURL = "http://127.0.0.1:\(port)/"
    configuration.timeout = .seconds(3)
    configuration.connectTimeout = .seconds(1)
    configuration.retryBaseDelay = .milliseconds(5)
    configuration.maxRetryDelay = .seconds(2)
    change(&configuration)
    return configuration
}

private let openAIAnswer = #"""
    {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-test-2025-01-01",
     "choices":[{"index":0,"message":{"role":"assistant","content":"struct Point {}"},"finish_reason":"stop"}],
     "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}
    """#

private func openAIReply(_ content: String) -> String {
    #"{"model":"gpt-test","choices":[{"index":0,"message":{"role":"assistant","content":"\#(content)"},"finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":0}}"#
}

private let request = CompletionRequest(
    system: "You write Swift.", prompt: "A point type", model: "gpt-test", maxTokens: 256, temperature: 0.5)

/// The error `call` threw, or a test failure when it did not throw.
private func failure(_ call: () throws(GenerationError) -> Completion, sourceLocation: SourceLocation = #_sourceLocation) -> GenerationError? {
    do {
        let completion = try call()
        Issue.record("succeeded with \(completion) but should have failed", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

private func problem(_ error: GenerationError?) -> String {
    guard case let .provider(_, problem) = error else { return "not a provider error: \(String(describing: error))" }
    return problem
}

@Suite struct ProvidersTests {
    // MARK: - Success, one per API

    @Test func openAISendsChatCompletionsAndParsesUsage() throws {
        let server = LoopbackHTTPServer { _ in .init(status: 200, body: openAIAnswer) }
        defer { server.stop() }
        let provider = try OpenAIProvider(
            configuration: configuration(.openAI, port: server.port), environment: ["OPENAI_API_KEY": "sk-test"], price: price)
        #expect(provider.name == "openai")

        let completion = try provider.complete(request)
        #expect(completion.text == "struct Point {}")
        #expect(completion.model == "gpt-test-2025-01-01")
        #expect(completion.inputTokens == 12)
        #expect(completion.outputTokens == 5)
        #expect(completion.cost == price("openai", "gpt-test", 12, 5))
        #expect(completion.latencySeconds > 0 && completion.latencySeconds < 3)

        let sent = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(sent.method == "POST")
        #expect(sent.path == "/v1/chat/completions")
        #expect(sent.headers["authorization"] == "Bearer sk-test")
        #expect(sent.headers["content-type"] == "application/json")
        let body = try #require(sent.json)
        #expect(body["model"] as? String == "gpt-test")
        #expect(body["max_tokens"] as? Int == 256)
        #expect(body["temperature"] as? Double == 0.5)
        let messages = body["messages"] as? [[String: String]]
        #expect(messages == [["role": "system", "content": "You write Swift."], ["role": "user", "content": "A point type"]])
    }

    @Test func openAIWithoutAKeySendsNoAuthorization() throws {
        let server = LoopbackHTTPServer { _ in .init(status: 200, body: openAIAnswer) }
        defer { server.stop() }
        let provider = try OpenAIProvider(configuration: configuration(.openAI, port: server.port), environment: [:])
        let completion = try provider.complete(CompletionRequest(prompt: "A point type", model: "llama3"))
        #expect(completion.cost == nil)
        let sent = try #require(server.requests.first)
        #expect(sent.headers["authorization"] == nil)
        #expect((sent.json?["messages"] as? [[String: String]])?.map { $0["role"] } == ["user"])
    }

    @Test func anthropicSendsMessagesWithItsHeaders() throws {
        let server = LoopbackHTTPServer { _ in
            .init(status: 200, body: #"""
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-test-20250101",
                 "content":[{"type":"text","text":"struct "},{"type":"text","text":"Point {}"}],
                 "stop_reason":"end_turn","usage":{"input_tokens":20,"output_tokens":7}}
                """#)
        }
        defer { server.stop() }
        let provider = try AnthropicProvider(
            configuration: configuration(.anthropic, port: server.port), environment: ["ANTHROPIC_API_KEY": "ak-test"], price: price)
        #expect(provider.name == "anthropic")

        let completion = try provider.complete(CompletionRequest(
            system: "You write Swift.", prompt: "A point type", model: "claude-test", maxTokens: 300, temperature: 0))
        #expect(completion.text == "struct Point {}")
        #expect(completion.model == "claude-test-20250101")
        #expect(completion.inputTokens == 20)
        #expect(completion.outputTokens == 7)
        #expect(completion.cost == price("anthropic", "claude-test", 20, 7))

        let sent = try #require(server.requests.first)
        #expect(sent.path == "/v1/messages")
        #expect(sent.headers["x-api-key"] == "ak-test")
        #expect(sent.headers["anthropic-version"] == "2023-06-01")
        #expect(sent.headers["authorization"] == nil)
        let body = try #require(sent.json)
        #expect(body["model"] as? String == "claude-test")
        #expect(body["system"] as? String == "You write Swift.")
        #expect(body["max_tokens"] as? Int == 300)
        #expect(body["temperature"] as? Double == 0)
        #expect(body["messages"] as? [[String: String]] == [["role": "user", "content": "A point type"]])
    }

    @Test func anthropicNeedsItsKey() {
        #expect(throws: GenerationError.invalidArgument(
            name: "ANTHROPIC_API_KEY", value: "(unset)", expected: "the anthropic API key in this environment variable"
        )) {
            try AnthropicProvider(environment: ["ANTHROPIC_API_KEY": ""])
        }
    }

    @Test func geminiSendsGenerateContentWithItsHeader() throws {
        let server = LoopbackHTTPServer { _ in
            .init(status: 200, body: #"""
                {"candidates":[{"content":{"role":"model","parts":[{"text":"struct Point {}"}]},"finishReason":"STOP"}],
                 "usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":4,"totalTokenCount":13},
                 "modelVersion":"gemini-test-001"}
                """#)
        }
        defer { server.stop() }
        let provider = try GeminiProvider(
            configuration: configuration(.gemini, port: server.port), environment: ["GEMINI_API_KEY": "gk-test"], price: price)
        #expect(provider.name == "gemini")

        let completion = try provider.complete(CompletionRequest(
            system: "You write Swift.", prompt: "A point type", model: "gemini-test", maxTokens: 128, temperature: 1))
        #expect(completion.text == "struct Point {}")
        #expect(completion.model == "gemini-test-001")
        #expect(completion.inputTokens == 9)
        #expect(completion.outputTokens == 4)
        #expect(completion.cost == price("gemini", "gemini-test", 9, 4))

        let sent = try #require(server.requests.first)
        #expect(sent.path == "/v1beta/models/gemini-test:generateContent")
        #expect(sent.headers["x-goog-api-key"] == "gk-test")
        let body = try #require(sent.json)
        let contents = body["contents"] as? [[String: Any]]
        #expect(contents?.first?["role"] as? String == "user")
        #expect(contents?.first?["parts"] as? [[String: String]] == [["text": "A point type"]])
        #expect((body["systemInstruction"] as? [String: Any])?["parts"] as? [[String: String]] == [["text": "You write Swift."]])
        let generation = body["generationConfig"] as? [String: Any]
        #expect(generation?["maxOutputTokens"] as? Int == 128)
        #expect(generation?["temperature"] as? Double == 1)
    }

    // MARK: - Retries

    @Test func rateLimitWaitsForRetryAfter() throws {
        let server = LoopbackHTTPServer { request in
            request.number == 0
                ? .init(status: 429, headers: ["Retry-After": "1"], body: #"{"error":{"message":"slow down"}}"#)
                : .init(status: 200, body: openAIAnswer)
        }
        defer { server.stop() }
        // The backoff alone would wait ~5 ms: only the header makes the client wait a second.
        let provider = try OpenAIProvider(configuration: configuration(.openAI, port: server.port), environment: [:])
        let started = ContinuousClock.now
        let completion = try provider.complete(request)
        let elapsed = ContinuousClock.now - started
        #expect(completion.text == "struct Point {}")
        #expect(server.requests.count == 2)
        #expect(elapsed >= .seconds(1), "retried after \(elapsed)")
        #expect(completion.latencySeconds >= 1)
    }

    @Test func serverErrorIsRetried() throws {
        let server = LoopbackHTTPServer { request in
            request.number == 0 ? .init(status: 500, body: "overloaded") : .init(status: 200, body: openAIAnswer)
        }
        defer { server.stop() }
        let provider = try OpenAIProvider(configuration: configuration(.openAI, port: server.port), environment: [:])
        #expect(try provider.complete(request).text == "struct Point {}")
        #expect(server.requests.count == 2)
    }

    @Test func persistentServerErrorGivesUpAfterTheRetries() throws {
        let server = LoopbackHTTPServer { _ in .init(status: 503, body: #"{"error":"model loading"}"#) }
        defer { server.stop() }
        let provider = try OpenAIProvider(configuration: configuration(.openAI, port: server.port) { $0.maxRetries = 2 }, environment: [:])
        let text = problem(failure { () throws(GenerationError) in try provider.complete(request) })
        #expect(server.requests.count == 3)
        #expect(text.contains("503 on all 3 attempts: model loading"), "\(text)")
        #expect(text.contains("retry later"), "\(text)")
    }

    // MARK: - Failures

    @Test func unauthorizedFailsFastNamingTheKeyVariable() throws {
        let server = LoopbackHTTPServer { _ in .init(status: 401, body: #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#) }
        defer { server.stop() }
        let provider = try AnthropicProvider(
            configuration: configuration(.anthropic, port: server.port) { $0.maxRetries = 3 }, environment: ["ANTHROPIC_API_KEY": "wrong"])
        let error = failure { () throws(GenerationError) in try provider.complete(request) }
        guard case let .provider(name, text) = error else {
            Issue.record("expected a provider error, got \(String(describing: error))")
            return
        }
        #expect(name == "anthropic")
        #expect(server.requests.count == 1)
        #expect(text.contains("answered 401: invalid x-api-key"), "\(text)")
        #expect(text.contains("ANTHROPIC_API_KEY"), "\(text)")
        #expect(!text.contains("wrong"), "the key itself must not appear: \(text)")
    }

    @Test func malformedJSONIsAClearError() throws {
        let server = LoopbackHTTPServer { _ in .init(status: 200, body: "<html>proxy error</html>") }
        defer { server.stop() }
        let provider = try GeminiProvider(configuration: configuration(.gemini, port: server.port), environment: ["GEMINI_API_KEY": "k"])
        let text = problem(failure { () throws(GenerationError) in try provider.complete(request) })
        #expect(text.contains("answered 200 but not with"), "\(text)")
        #expect(text.contains("<html>proxy error</html>"), "\(text)")
        #expect(server.requests.count == 1)
    }

    @Test func emptyAnswerIsAnErrorWithTheStopReason() throws {
        let server = LoopbackHTTPServer { _ in .init(status: 200, body: openAIReply("")) }
        defer { server.stop() }
        let provider = try OpenAIProvider(configuration: configuration(.openAI, port: server.port), environment: [:])
        let text = problem(failure { () throws(GenerationError) in try provider.complete(request) })
        #expect(text.contains("answered with no text (stop reason length)"), "\(text)")
    }

    @Test func slowReplyTimesOut() throws {
        let server = LoopbackHTTPServer { _ in .init(status: 200, body: openAIAnswer, delay: .seconds(2)) }
        defer { server.stop() }
        let provider = try OpenAIProvider(
            configuration: configuration(.openAI, port: server.port) {
                $0.timeout = .milliseconds(300)
                $0.maxRetries = 0
            }, environment: [:])
        let started = ContinuousClock.now
        let text = problem(failure { () throws(GenerationError) in try provider.complete(request) })
        #expect(ContinuousClock.now - started < .milliseconds(1500))
        #expect(text.hasPrefix("timed out"), "\(text)")
        #expect(text.contains("0.3 s"), "\(text)")
    }

    @Test func refusedConnectionNamesTheURL() throws {
        let port = LoopbackHTTPServer.unusedPort()
        let provider = try OpenAIProvider(configuration: configuration(.openAI, port: port) { $0.maxRetries = 0 }, environment: [:])
        let text = problem(failure { () throws(GenerationError) in try provider.complete(request) })
        #expect(text.contains("could not connect to http://127.0.0.1:\(port)/v1/chat/completions"), "\(text)")
    }

    // MARK: - Budget

    @Test func budgetGuardRefusesBeforeAnyRequest() throws {
        let server = LoopbackHTTPServer { _ in .init(status: 200, body: openAIAnswer) }
        defer { server.stop() }
        let budget = try BudgetGuard(limit: 0.01, spent: 0.005)
        let provider = try OpenAIProvider(
            configuration: configuration(.openAI, port: server.port), environment: [:], price: price, budget: budget)
        // "You write Swift." + "A point type": 28 bytes, 7 tokens at ~4 bytes each; the answer at its longest.
        let request = CompletionRequest(system: "You write Swift.", prompt: "A point type", model: "gpt-test", maxTokens: 1000)
        let estimate = try #require(price("openai", "gpt-test", 7, 1000))
        #expect(throws: GenerationError.budgetExceeded(limit: 0.01, spent: 0.005, nextCallEstimate: estimate)) {
            try provider.complete(request)
        }
        #expect(server.requests.isEmpty)
        #expect(budget.spent == 0.005)
    }

    @Test func budgetGuardIsChargedWhatEachCallCost() throws {
        let server = LoopbackHTTPServer { _ in .init(status: 200, body: openAIAnswer) }
        defer { server.stop() }
        let budget = try BudgetGuard(limit: 1)
        let provider = try OpenAIProvider(
            configuration: configuration(.openAI, port: server.port), environment: [:], price: price, budget: budget)
        let first = try provider.complete(request)
        let second = try provider.complete(request)
        #expect(budget.spent == (first.cost ?? 0) + (second.cost ?? 0))
        #expect(budget.spent > 0)
    }

    @Test func invalidRequestIsRefusedBeforeSending() throws {
        let server = LoopbackHTTPServer { _ in .init(status: 200, body: openAIAnswer) }
        defer { server.stop() }
        let provider = try OpenAIProvider(configuration: configuration(.openAI, port: server.port), environment: [:])
        #expect(throws: GenerationError.invalidArgument(name: "maxTokens", value: "0", expected: "at least 1")) {
            try provider.complete(CompletionRequest(prompt: "A point type", model: "gpt-test", maxTokens: 0))
        }
        #expect(server.requests.isEmpty)
    }
}
