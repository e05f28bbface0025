import Foundation
import StrataAnalytics
import StrataGeneration
import StrataStore
import StrataTestSupport
import Testing

/// A store with the built-in embedder, its tracker and an output folder, removed afterwards.
final class GenerationWorkspace {
    let folder: TemporaryFolder
    let store: PatternStore
    let tracker: PerformanceTracker

    init() throws {
        folder = try TemporaryFolder()
        var configuration = StoreConfiguration()
        configuration.dimension = 256
        store = try PatternStore.create(at: folder.path + "/store", configuration: configuration, embedder: CodeEmbedder(dimension: 256), settings: .builtin)
        tracker = try PerformanceTracker.open(storeDirectory: folder.path + "/store")
    }

    deinit { try? store.close() }

    var output: String { folder.path + "/out" }

    func generator(provider: (any Provider)? = nil, model: String? = nil, force: Bool = false) throws -> Generator {
        var configuration = GeneratorConfiguration()
        configuration.outputDirectory = output
        configuration.force = force
        return try Generator(store: store, tracker: tracker, provider: provider, model: model, configuration: configuration)
    }

    /// An OpenAI-compatible provider at `server`, priced at $2 and $10 per million tokens.
    func openAI(_ server: LoopbackHTTPServer, budget: BudgetGuard? = nil) throws -> any Provider {
        try tracker.prices.set(Price(provider: "openai", model: "gpt-test", inputPerMillion: 2, outputPerMillion: 10))
        var configuration = ProviderConfiguration.openAI
        configuration.baseURL = "http://127.0.0.1:\(server.port)"
        configuration.timeout = .seconds(3)
        configuration.retryBaseDelay = .milliseconds(5)
        configuration.maxRetries = 1
        let prices = tracker.prices
        return try OpenAIProvider(configuration: configuration, environment: [:], price: { provider, model, input, output in
            let price: Price?? = try? prices.price(provider: provider, model: model)
            return price??.cost(inputTokens: input, outputTokens: output)
        }, budget: budget)
    }
}

/// An OpenAI chat answer whose content is `content`.
func chatAnswer(_ content: String, promptTokens: Int = 900, completionTokens: Int = 700) -> String {
    let object: [String: Any] = [
        "model": "gpt-test", "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": "stop"]],
        "usage": ["prompt_tokens": promptTokens, "completion_tokens": completionTokens],
    ]
    return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
}

@Suite struct GeneratorTests {
    static let prompt = "Create PostgreSQL writer Effect node"

    @Test func offlineGenerationIsWrittenValidatedScoredRecordedAndStored() throws {
        let workspace = try GenerationWorkspace()
        let result = try workspace.generator().generate(prompt: Self.prompt)

        #expect(result.stages.map(\.stage) == GenerationStage.allCases)
        #expect(result.className == "NodePostgreSQLWriterEffect")
        let path = try #require(result.path)
        #expect(path == workspace.output + "/node_database_postgresql_writer_effect/v1_0_0")
        for file in result.node.files {
            let written = try String(contentsOfFile: workspace.output + "/node_database_postgresql_writer_effect/" + file.path, encoding: .utf8)
            #expect(written == file.text)
        }
        #expect(result.validation.allPassed, "\(result.validation.failures)")
        #expect(result.validation.total >= 5)
        #expect(result.quality.value > 0.6 && result.quality.value <= 1)
        #expect(result.quality.dimensions.map(\.name) == ["gates", "contract", "maintainability", "complexity", "tests", "documentation", "grounding"])
        #expect(abs(result.quality.dimensions.map(\.weight).reduce(0, +) - 1) < 1e-12)
        #expect(result.provider == "offline" && result.cost == 0)

        let records = try workspace.tracker.records(matching: .all)
        #expect(records.count == 1)
        #expect(records.first?.provider == "offline")
        #expect(records.first?.quality == result.quality.value)
        #expect(records.first?.outcome == .success)
        #expect(records.first?.id == result.recordID)

        let stored = try #require(result.storedPattern)
        #expect(stored.action == .added)
        let pattern = try workspace.store.pattern(id: stored.storedAs)
        #expect(pattern.nodeType == .effect && pattern.language == "python" && pattern.quality == result.quality.value)
        #expect(pattern.text == result.node.file(result.node.nodePath)?.text)

        let json = result.jsonObject
        #expect(Set(json.keys) == ["path", "node_type", "class_name", "quality", "gates", "cost_usd", "model", "seconds", "stages", "patterns", "hits", "reviews", "review_decision", "learn"])
        #expect((json["gates"] as? [String: Int])?["passed"] == result.validation.passed)
        #expect((json["stages"] as? [[String: Any]])?.count == GenerationStage.allCases.count)
    }

    @Test func theNextGenerationStandsOnTheLearnedPattern() throws {
        let workspace = try GenerationWorkspace()
        let first = try workspace.generator().generate(prompt: Self.prompt)
        let second = try workspace.generator(force: true).generate(prompt: Self.prompt)
        #expect(first.hits == 0)
        #expect(second.hits >= 1)
        #expect(second.patterns.first?.id == first.storedPattern?.storedAs)
        #expect(second.quality.dimension("grounding")!.value > first.quality.dimension("grounding")!.value)
        #expect(second.quality.value > first.quality.value)
        let used = try workspace.store.pattern(id: try #require(first.storedPattern?.storedAs))
        #expect(used.usageCount >= 1)
        #expect(used.successRate == 1)
        #expect(try workspace.tracker.records(matching: .all).count == 2)
    }

    @Test func anExistingNodeIsRefusedBeforeAnyModelCall() throws {
        let workspace = try GenerationWorkspace()
        try workspace.generator().generate(prompt: Self.prompt)
        let server = LoopbackHTTPServer { _ in .init(status: 200, body: chatAnswer("```python\nclass X: pass\n```")) }
        defer { server.stop() }
        let generator = try workspace.generator(provider: try workspace.openAI(server), model: "gpt-test")
        #expect {
            try generator.generate(prompt: Self.prompt)
        } throws: { error in
            guard case let GenerationError.file(path, problem) = error else { return false }
            return path.hasSuffix("node_database_postgresql_writer_effect/v1_0_0") && problem.contains("--force")
        }
        #expect(server.requests.isEmpty)
        #expect(try workspace.tracker.records(matching: .all).count == 1)
    }

    @Test func aRefinementThatPassesTheGatesIsUsedAndCosted() throws {
        let workspace = try GenerationWorkspace()
        let template = try #require(try workspace.generator().generate(prompt: Self.prompt, overrides: .init()).node.file("v1_0_0/node.py")).text
        let improved = template.replacingOccurrences(of: "        records = list(request.records)\n", with: "        records = list(request.records)  # copied: the caller's list may change\n")
        let server = LoopbackHTTPServer { _ in .init(status: 200, body: chatAnswer("Here it is:\n```python\n\(improved)```\n")) }
        defer { server.stop() }
        let result = try workspace.generator(provider: try workspace.openAI(server), model: "gpt-test", force: true).generate(prompt: Self.prompt)
        #expect(result.node.file("v1_0_0/node.py")?.text == improved)
        #expect(result.validation.allPassed)
        #expect(result.provider == "openai" && result.model == "gpt-test")
        #expect(result.inputTokens == 900 && result.outputTokens == 700)
        #expect(abs(result.cost - (900 * 2e-6 + 700 * 1e-5)) < 1e-12)
        #expect(result.stages.first { $0.stage == .refine }?.status == .ran)
        let request = try #require(server.requests.first?.json)
        let messages = try #require(request["messages"] as? [[String: Any]])
        #expect((messages.last?["content"] as? String)?.contains("contract.yaml") == true)
        let record = try #require(try workspace.tracker.records(matching: RecordQuery(provider: "openai")).first)
        #expect(abs((record.cost ?? 0) - result.cost) < 1e-12)
    }

    @Test func aRefinementThatBreaksTheGatesIsRejected() throws {
        let workspace = try GenerationWorkspace()
        let server = LoopbackHTTPServer { _ in .init(status: 200, body: chatAnswer("```python\nclass NodePostgreSQLWriterEffect(:\n    pass\n```")) }
        defer { server.stop() }
        let result = try workspace.generator(provider: try workspace.openAI(server), model: "gpt-test").generate(prompt: Self.prompt)
        let refine = try #require(result.stages.first { $0.stage == .refine })
        #expect(refine.status == .failed)
        #expect(refine.detail.contains("kept the template's"))
        #expect(result.validation.allPassed)
        #expect(result.node.file("v1_0_0/node.py")?.text.contains("def _write(self, request") == true)
        #expect(result.cost > 0)  // the call was made and paid for
    }

    @Test func aFailingProviderLeavesTheTemplateNodeAndSaysWhy() throws {
        let workspace = try GenerationWorkspace()
        let server = LoopbackHTTPServer { _ in .init(status: 500, body: #"{"error":{"message":"overloaded"}}"#) }
        defer { server.stop() }
        let result = try workspace.generator(provider: try workspace.openAI(server), model: "gpt-test").generate(prompt: Self.prompt)
        let refine = try #require(result.stages.first { $0.stage == .refine })
        #expect(refine.status == .failed)
        #expect(refine.detail.contains("500"))
        #expect(server.requests.count == 2)  // one retry
        #expect(result.validation.allPassed)
        #expect(result.cost == 0)
    }

    @Test func aBudgetTooSmallForTheCallRefusesItBeforeSending() throws {
        let workspace = try GenerationWorkspace()
        let server = LoopbackHTTPServer { _ in .init(status: 200, body: chatAnswer("```python\nclass X: pass\n```")) }
        defer { server.stop() }
        let result = try workspace.generator(provider: try workspace.openAI(server), model: "gpt-test")
            .generate(prompt: Self.prompt, budgetLimit: 0.001)
        let refine = try #require(result.stages.first { $0.stage == .refine })
        #expect(refine.status == .failed)
        #expect(refine.detail.contains("budget"))
        #expect(server.requests.isEmpty)
        #expect(result.cost == 0)
    }

    @Test func withoutAModelTheSelectorMustKnowOneOfTheProvider() throws {
        let workspace = try GenerationWorkspace()
        let server = LoopbackHTTPServer { _ in .init(status: 200, body: chatAnswer("")) }
        defer { server.stop() }
        var configuration = ProviderConfiguration.openAI
        configuration.baseURL = "http://127.0.0.1:\(server.port)"
        let provider = try OpenAIProvider(configuration: configuration, environment: [:])
        #expect(throws: GenerationError.self) { try workspace.generator(provider: provider).generate(prompt: Self.prompt) }
        // Once the provider has a priced model, the selector chooses it.
        try workspace.tracker.prices.set(Price(provider: "openai", model: "gpt-cheap", inputPerMillion: 0.1, outputPerMillion: 0.4))
        let result = try workspace.generator(provider: provider, force: true).generate(prompt: Self.prompt)
        #expect(result.model == "gpt-test" || result.model == "gpt-cheap")
        #expect(server.requests.first?.json?["model"] as? String == "gpt-cheap")
    }

    @Test func badInputIsRefusedWithoutWritingAnything() throws {
        let workspace = try GenerationWorkspace()
        let generator = try workspace.generator()
        #expect(throws: GenerationError.self) { try generator.generate(prompt: Self.prompt, qualityTarget: 1.5) }
        #expect(throws: GenerationError.self) { try generator.generate(prompt: Self.prompt, budgetLimit: -1) }
        #expect(throws: GenerationError.self) { try generator.generate(prompt: "please the a") }
        #expect(!FileManager.default.fileExists(atPath: workspace.output))
        #expect(try workspace.tracker.records(matching: .all).isEmpty)
        var configuration = GeneratorConfiguration()
        configuration.storeThreshold = 2
        #expect(throws: GenerationError.self) { try Generator(configuration: configuration) }
    }

    @Test func withoutAStoreItStillGeneratesButLearnsNothing() throws {
        let folder = try TemporaryFolder()
        var configuration = GeneratorConfiguration()
        configuration.outputDirectory = folder.path
        let result = try Generator(configuration: configuration).generate(prompt: "Aggregate daily revenue per region")
        #expect(result.nodeType == .reducer)
        #expect(result.validation.allPassed)
        #expect(result.storedPattern == nil && result.recordID == nil)
        #expect(result.stages.first { $0.stage == .learn }?.status == .skipped)
    }
}
