import ArgumentParser
import Foundation
import StrataAnalytics
import StrataServer
import StrataStore

extension Strata {
    struct AlertsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "alerts", abstract: "Alert rules and their webhooks: what they read now, and a test message.",
            discussion: """
            Rules and webhooks are in a YAML file: --rules, else the store's alerts.yaml (see `strata serve`'s alerts key). \
            The server evaluates them every interval_seconds and posts a message when a rule starts firing and when it \
            resolves (Slack-compatible or generic JSON), with retries; GET /v1/alerts and the dashboard show them.
            """,
            subcommands: [ListAlerts.self, TestAlerts.self])
    }

    struct AlertOptions: ParsableArguments {
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("The alert rules file. Default: <store>/alerts.yaml.", valueName: "file")) var rules: String?

        func load() throws -> AlertConfiguration {
            let path = rules ?? (store.path + "/alerts.yaml")
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no alert rules at \(path): write one (see `strata alerts --help`) or name it with --rules")
            }
            return try AlertConfiguration.load(path)
        }

        /// The rules of the store, read without a server: close the store afterwards.
        func engine(_ configuration: AlertConfiguration) throws -> (store: PatternStore, engine: AlertEngine) {
            let store = try self.store.openForReading()
            do {
                let tracker = try PerformanceTracker(catalog: AnalyticsCatalog(location: store.catalogLocation, create: false))
                return (store, AlertEngine.standalone(configuration, store: store, tracker: tracker))
            } catch {
                try? store.close()
                throw error
            }
        }
    }

    struct ListAlerts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Evaluate every rule against the store now (without notifying) and print its state.")
        @OptionGroup var options: AlertOptions

        func run() throws {
            let configuration = try options.load()
            let (store, engine) = try options.engine(configuration)
            defer { try? store.close() }
            engine.evaluate(notifying: false)
            let served: Set<AlertMetric> = [.errorRate, .searchP99]
            if options.store.json {
                printJSON(["rules": engine.rules.map(\.jsonObject), "webhooks": configuration.webhooks.map { ["url": $0.url, "format": $0.format.rawValue] }])
            } else {
                print(table(["rule", "condition", "value", "state"], engine.rules.map { state in
                    let value = state.value.map { String(format: "%.4g", $0) } ?? (served.contains(state.rule.metric) ? "(read by the server)" : state.problem ?? "no data")
                    return [state.rule.name, state.rule.condition, value, state.firingSince == nil ? "ok" : "FIRING"]
                }))
                print("webhooks: " + (configuration.webhooks.isEmpty ? "none" : configuration.webhooks.map { "\($0.url) (\($0.format.rawValue))" }.joined(separator: ", ")))
            }
        }
    }

    struct TestAlerts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test", abstract: "Send a test message to every webhook now; exit 1 when one is not delivered.")
        @OptionGroup var options: AlertOptions

        func run() throws {
            let configuration = try options.load()
            guard !configuration.webhooks.isEmpty else { throw ValidationError("the alert rules file names no webhooks") }
            let (store, engine) = try options.engine(configuration)
            defer { try? store.close() }
            let notices = engine.sendTest()
            if options.store.json {
                printJSON(["notices": notices.map(\.jsonObject)])
            } else {
                for notice in notices {
                    print("\(notice.webhook): " + (notice.delivered ? "delivered" : "NOT delivered (\(notice.problem ?? ""))") + " after \(notice.attempts) attempt\(notice.attempts == 1 ? "" : "s")")
                }
            }
            if notices.contains(where: { !$0.delivered }) { throw ExitCode(1) }
        }
    }
}
