import Foundation
import Hummingbird
import HummingbirdTesting
import StrataAnalytics
import StrataServer
import StrataStore
import StrataTestSupport
import Testing

/// Alert rules as an operator writes them, and their messages as a webhook receives them:
/// fired within seconds of the condition, once; resolved once; retried through failures.
@Suite struct AlertTests {
    static func configuration(_ yaml: String) throws -> AlertConfiguration {
        let path = NSTemporaryDirectory() + "strata-alerts-\(UUID().uuidString).yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try AlertConfiguration.load(path)
    }

    @Test func aRulesFileIsReadAndItsMistakesAreNamed() throws {
        let parsed = try Self.configuration("""
            interval_seconds: 0.5
            webhooks:
              - {url: "http://127.0.0.1:9/hook", format: slack}
            rules:
              - {name: spend, metric: budget_spent_fraction, above: 0.8}
              - {name: quality, metric: quality_mean, below: 0.6, window_seconds: 3600}
            """)
        #expect(parsed.intervalSeconds == 0.5 && parsed.webhooks == [AlertWebhook(url: "http://127.0.0.1:9/hook", format: .slack)])
        #expect(parsed.rules.map(\.condition) == ["budget_spent_fraction > 0.8", "quality_mean < 0.6 over 3600 s"])
        let mistakes = [
            ("rules:\n  - {name: a, metric: cpu, above: 1}", "metric must be one of"),
            ("rules:\n  - {name: a, metric: error_rate, above: 1, below: 0}", "exactly one of above or below"),
            ("rules:\n  - {name: a, metric: error_rate, above: 1}\n  - {name: a, metric: error_rate, above: 2}", "taken by an earlier rule"),
            ("webhooks:\n  - {url: \"ftp://x\"}", "http:// or https://"),
            ("webhooks:\n  - {url: \"http://x\", format: teams}", "not slack or json"),
            ("interval: 3", "not an alerts key"),
        ]
        for (yaml, expected) in mistakes {
            #expect(throws: ServerError.self) { try Self.configuration(yaml) }
            do { _ = try Self.configuration(yaml) } catch { #expect("\(error)".contains(expected), "\(error)") }
        }
    }

    @Test func aBudgetAlertFiresOnceWithinSecondsAndResolvesOnce() async throws {
        let hook = LoopbackHTTPServer { _ in .init(status: 200, body: "ok") }
        defer { hook.stop() }
        let alerting = try Self.configuration("""
            interval_seconds: 0.2
            webhooks:
              - {url: "http://127.0.0.1:\(hook.port)/slack", format: slack}
              - {url: "http://127.0.0.1:\(hook.port)/json", format: json}
            rules:
              - {name: spend-80, metric: budget_spent_fraction, above: 0.8}
              - {name: slow-search, metric: search_p99_ms, above: 60000}
            """)
        let folder = NSTemporaryDirectory() + "strata-alert-store-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var storeConfiguration = StoreConfiguration()
        storeConfiguration.dimension = 64
        let store = try PatternStore.create(at: folder, configuration: storeConfiguration, embedder: CodeEmbedder(dimension: 64), settings: .builtin)
        var configuration = ServerConfiguration()
        configuration.store = folder
        let tracker = try PerformanceTracker.open(storeDirectory: folder)
        let service = StrataService(configuration: configuration, store: store, tracker: tracker, alerting: alerting)
        defer { try? service.shutdown() }

        try tracker.budgets.set(Budget(project: "p", period: .month, limit: 10))
        try tracker.record(GenerationRecord(project: "p", provider: "openai", model: "m", cost: 9))
        let breached = ContinuousClock.now, breachedAt = Date()
        func messages(_ status: String) -> [LoopbackHTTPServer.Request] {
            hook.requests.filter { String(decoding: $0.body, as: UTF8.self).lowercased().contains(status) }
        }
        // The waits allow for a loaded machine; the figure that counts is the engine's own: when
        // the evaluation that fired ran, after the condition began.
        while messages("firing").count < 2, ContinuousClock.now - breached < .seconds(60) { try await Task.sleep(for: .milliseconds(50)) }
        #expect(messages("firing").count == 2)
        let firedAt = service.alerts?.notices.first { $0.status == "firing" }?.at
        #expect(firedAt.map { $0.timeIntervalSince(breachedAt) < 10 } == true, "fired \(firedAt.map { $0.timeIntervalSince(breachedAt) } ?? -1) s after the breach")
        // Still breached for many more evaluations: no second message.
        try await Task.sleep(for: .seconds(1))
        #expect(messages("firing").count == 2)
        let json = hook.requests.first { $0.path == "/json" }?.json ?? [:]
        #expect(json["alert"] as? String == "spend-80" && json["status"] as? String == "firing" && (json["value"] as? Double ?? 0) > 0.8)
        #expect((hook.requests.first { $0.path == "/slack" }?.json?["text"] as? String)?.contains("FIRING spend-80") == true)

        try await Application(responder: service.makeResponder()).test(.router) { client in
            try await client.execute(uri: "/v1/alerts", method: .get) { response in
                let rules = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["rules"] as? [[String: Any]] ?? []
                #expect(rules.first { $0["name"] as? String == "spend-80" }?["state"] as? String == "firing")
                #expect(rules.first { $0["name"] as? String == "slow-search" }?["state"] as? String == "ok")
            }
            try await client.execute(uri: "/dashboard", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("id=\"alerts-panel\"") && page.contains("firing since"))
            }
        }

        let relieved = ContinuousClock.now
        try tracker.budgets.set(Budget(project: "p", period: .month, limit: 100))
        while messages("resolved").count < 2, ContinuousClock.now - relieved < .seconds(60) { try await Task.sleep(for: .milliseconds(50)) }
        #expect(messages("resolved").count == 2)
        try await Task.sleep(for: .seconds(1))
        #expect(messages("resolved").count == 2 && messages("firing").count == 2)
        #expect(service.alerts?.notices.allSatisfy(\.delivered) == true)
    }

    @Test func aFailingWebhookIsRetriedAndAnUnreachableOneReported() throws {
        let flaky = LoopbackHTTPServer { request in request.number < 2 ? .init(status: 503, body: "busy") : .init(status: 204, body: "") }
        defer { flaky.stop() }
        let alerting = try Self.configuration("""
            attempts: 4
            webhooks:
              - {url: "http://127.0.0.1:\(flaky.port)/hook", format: json}
              - {url: "http://127.0.0.1:\(LoopbackHTTPServer.unusedPort())/gone", format: json}
            """)
        let folder = NSTemporaryDirectory() + "strata-alert-retry-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var storeConfiguration = StoreConfiguration()
        storeConfiguration.dimension = 8
        let store = try PatternStore.create(at: folder, configuration: storeConfiguration, embedder: nil, settings: .external(identifier: "test"))
        defer { try? store.close() }
        let engine = AlertEngine.standalone(alerting, store: store, tracker: try PerformanceTracker.open(storeDirectory: folder))
        let notices = engine.sendTest()
        #expect(notices.count == 2)
        #expect(notices[0].delivered && notices[0].attempts == 3)
        #expect(!notices[1].delivered && notices[1].attempts == 4 && notices[1].problem != nil)
        #expect(flaky.requests.last?.json?["status"] as? String == "test")
    }
}
