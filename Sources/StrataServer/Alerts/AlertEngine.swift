import Dispatch
import Foundation
import Logging
import StrataAnalytics
import StrataStore
import Synchronization

/// Evaluates the alert rules every ``AlertConfiguration/intervalSeconds`` and tells the
/// webhooks when one starts firing and when it resolves: once each (a rule firing for an hour
/// sends one message, not one per evaluation), delivered with retries, in order, off the
/// evaluating thread so a slow webhook delays no evaluation.
///
/// Each replica evaluates its own rules; rules on the shared catalog (budgets, quality,
/// migrations) are therefore told once per replica.
public final class AlertEngine: Sendable {
    public let configuration: AlertConfiguration
    let signals: AlertSignals
    /// Names the service in messages: `host:port store`.
    let service: String
    let logger: Logger
    private let states: Mutex<[String: AlertState]>
    private let sent = Mutex<[AlertNotice]>([])
    private let running = Mutex(false)
    /// Signalled by ``stop()``, so the evaluating thread does not sleep out its interval.
    private let wake = DispatchSemaphore(value: 0)
    private let evaluations = DispatchQueue(label: "strata.alerts.evaluate")
    let deliveries = DispatchQueue(label: "strata.alerts.deliver")

    /// A rule and what its last evaluation found.
    public struct AlertState: Sendable, Equatable {
        public var rule: AlertRule
        public var value: Double?
        /// Since when it fires; nil while it does not.
        public var firingSince: Date?
        public var evaluatedAt: Date?
        /// Why the metric could not be read, at the last evaluation.
        public var problem: String?
    }

    /// One message to one webhook, and how its delivery went.
    public struct AlertNotice: Sendable, Equatable {
        public var rule: String
        /// `firing`, `resolved` or `test`.
        public var status: String
        public var value: Double?
        public var at: Date
        public var webhook: String
        public var delivered: Bool
        public var attempts: Int
        public var problem: String?
    }

    init(configuration: AlertConfiguration, signals: AlertSignals, service: String, logger: Logger) {
        self.configuration = configuration
        self.signals = signals
        self.service = service
        self.logger = logger
        states = Mutex(Dictionary(uniqueKeysWithValues: configuration.rules.map { ($0.name, AlertState(rule: $0)) }))
    }

    /// Starts evaluating, on a thread of its own, until ``stop()``.
    public func start() {
        guard running.withLock({ running in defer { running = true }; return !running }) else { return }
        let interval = configuration.intervalSeconds
        evaluations.async { [self] in
            while running.withLock({ $0 }) {
                evaluate()
                _ = wake.wait(timeout: .now() + interval)
            }
        }
    }

    public func stop() {
        guard running.withLock({ running in defer { running = false }; return running }) else { return }
        wake.signal()
    }

    /// Every rule as last evaluated, in the file's order.
    public var rules: [AlertState] {
        let known = states.withLock { $0 }
        return configuration.rules.compactMap { known[$0.name] }
    }

    /// The messages sent lately (the last 100), newest last.
    public var notices: [AlertNotice] { sent.withLock { $0 } }

    /// The alerting of `store` alone, outside a service (`strata alerts`): the rules on the
    /// service's own requests and searches have no data there.
    public static func standalone(_ configuration: AlertConfiguration, store: PatternStore, tracker: PerformanceTracker) -> AlertEngine {
        AlertEngine(configuration: configuration, signals: AlertSignals(store: store, tracker: tracker, metrics: ServiceMetrics()),
                    service: store.directory, logger: Logger(label: "strata.alerts"))
    }

    /// Evaluates every rule once and, when `notifying`, sends the transitions; gives the
    /// rules that changed.
    @discardableResult
    public func evaluate(at now: Date = Date(), notifying: Bool = true) -> [AlertState] {
        var changed: [AlertState] = []
        for rule in configuration.rules {
            var value: Double?
            var problem: String?
            do { value = try signals.value(of: rule, at: now) } catch { problem = "\(error)" }
            let transition = states.withLock { states -> AlertState? in
                var state = states[rule.name] ?? AlertState(rule: rule)
                let wasFiring = state.firingSince != nil
                let breached = value.map(rule.breached) ?? false
                (state.value, state.evaluatedAt, state.problem) = (value, now, problem)
                if breached, !wasFiring { state.firingSince = now }
                if !breached, wasFiring, problem == nil { state.firingSince = nil }
                states[rule.name] = state
                return (state.firingSince != nil) != wasFiring ? state : nil
            }
            if let transition {
                changed.append(transition)
                guard notifying else { continue }
                notify(transition, status: transition.firingSince == nil ? "resolved" : "firing", at: now)
            }
        }
        return changed
    }

    /// Queues the message of `state` to every webhook.
    private func notify(_ state: AlertState, status: String, at now: Date) {
        logger.notice("alert \(status)", metadata: ["alert": "\(state.rule.name)", "condition": "\(state.rule.condition)", "value": "\(state.value ?? .nan)"])
        for webhook in configuration.webhooks {
            let body = AlertMessage.body(state, status: status, format: webhook.format, service: service, at: now)
            deliveries.async { [self] in
                let notice = deliver(body, to: webhook, rule: state.rule.name, status: status, value: state.value, at: now)
                record(notice)
            }
        }
    }

    func record(_ notice: AlertNotice) {
        sent.withLock { sent in
            sent.append(notice)
            if sent.count > 100 { sent.removeFirst(sent.count - 100) }
        }
        if !notice.delivered {
            logger.warning("alert not delivered", metadata: ["alert": "\(notice.rule)", "webhook": "\(notice.webhook)", "problem": "\(notice.problem ?? "")"])
        }
    }

    /// Sends a test message to every webhook, now, and gives how each delivery went: what
    /// `strata alerts test` runs.
    public func sendTest(at now: Date = Date()) -> [AlertNotice] {
        let probe = AlertState(rule: AlertRule(name: "test", metric: .errorRate, above: true, threshold: 0), value: nil, firingSince: now)
        let notices = configuration.webhooks.map { webhook in
            deliver(AlertMessage.body(probe, status: "test", format: webhook.format, service: service, at: now), to: webhook, rule: "test", status: "test", value: nil, at: now)
        }
        notices.forEach(record)
        return notices
    }
}
