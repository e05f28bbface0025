import Foundation
import Yams

/// What an alert rule watches: numbers the engine already keeps.
public enum AlertMetric: String, Sendable, CaseIterable, Codable {
    /// The tightest budget's spent fraction of its limit (0.8: 80 % spent).
    case budgetSpent = "budget_spent_fraction"
    /// The highest budget's forecast for its period as a fraction of its limit.
    case budgetForecast = "budget_forecast_fraction"
    /// Mean quality of the generations scored within the window.
    case qualityMean = "quality_mean"
    /// Model migrations rolled back within the window.
    case migrationRollbacks = "migration_rollbacks"
    /// Seconds this replica is behind the shared store's newest write (0 when embedded).
    case replicaLag = "replica_lag_seconds"
    /// The fraction of requests answered 5xx within the window.
    case errorRate = "error_rate"
    /// The 99th percentile of search time within the window, in milliseconds.
    case searchP99 = "search_p99_ms"
}

/// One rule: a metric on one side of a threshold.
public struct AlertRule: Sendable, Equatable {
    public var name: String
    public var metric: AlertMetric
    /// Fires when the value is above the threshold (else when below it).
    public var above: Bool
    public var threshold: Double
    /// The window of the windowed metrics, in seconds (default 300).
    public var windowSeconds: Double

    public init(name: String, metric: AlertMetric, above: Bool, threshold: Double, windowSeconds: Double = 300) {
        self.name = name
        self.metric = metric
        self.above = above
        self.threshold = threshold
        self.windowSeconds = windowSeconds
    }

    /// Whether `value` breaks the rule.
    public func breached(by value: Double) -> Bool { above ? value > threshold : value < threshold }

    /// `error_rate > 0.05 (300 s)`.
    public var condition: String {
        "\(metric.rawValue) \(above ? ">" : "<") \(threshold)" + ([.qualityMean, .migrationRollbacks, .errorRate, .searchP99].contains(metric) ? " over \(Int(windowSeconds)) s" : "")
    }
}

/// Where alerts go: a URL and the JSON it wants.
public struct AlertWebhook: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        /// `{"text": "..."}`: Slack's incoming webhooks, Mattermost, Teams' Slack-compatible ones.
        case slack
        /// `{"alert", "status", "metric", "value", "threshold", "condition", "started_at", "resolved_at", "service"}`.
        case json
    }

    public var url: String
    public var format: Format

    public init(url: String, format: Format) {
        self.url = url
        self.format = format
    }
}

/// The alerting of a service: its rules, where they are delivered, how often they are
/// evaluated. Read from a YAML file (the server configuration's `alerts` key, else
/// `<store>/alerts.yaml` when there is one):
///
/// ```yaml
/// interval_seconds: 2
/// webhooks:
///   - {url: "https://hooks.slack.com/services/…", format: slack}
///   - {url: "http://127.0.0.1:9000/alerts", format: json}
/// rules:
///   - {name: budget-80, metric: budget_spent_fraction, above: 0.8}
///   - {name: quality-drop, metric: quality_mean, below: 0.6, window_seconds: 3600}
///   - {name: slow-search, metric: search_p99_ms, above: 50}
/// ```
public struct AlertConfiguration: Sendable, Equatable {
    public var intervalSeconds: Double = 2
    /// Tries per delivery (the first and the retries), with a doubling pause from 0.5 s.
    public var attempts = 4
    public var webhooks: [AlertWebhook] = []
    public var rules: [AlertRule] = []

    public init(intervalSeconds: Double = 2, attempts: Int = 4, webhooks: [AlertWebhook] = [], rules: [AlertRule] = []) {
        self.intervalSeconds = intervalSeconds
        self.attempts = attempts
        self.webhooks = webhooks
        self.rules = rules
    }

    /// The configuration in the YAML file at `path`.
    ///
    /// - Throws: ``ServerError`` naming the file, the entry and what was expected.
    public static func load(_ path: String) throws(ServerError) -> AlertConfiguration {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw .configuration("cannot read the alerts file \(path): \(error.localizedDescription)")
        }
        let root: [String: Any]
        do {
            guard let mapping = try Yams.load(yaml: text) as? [String: Any] else {
                throw ServerError.configuration("\(path): expected a mapping with interval_seconds, webhooks and rules")
            }
            root = mapping
        } catch let error as ServerError {
            throw error
        } catch {
            throw .configuration("\(path) is not valid YAML: \(error)")
        }
        return try parse(root, source: path)
    }

    static func parse(_ root: [String: Any], source: String) throws(ServerError) -> AlertConfiguration {
        var configuration = AlertConfiguration()
        if let unknown = root.keys.sorted().first(where: { !["interval_seconds", "attempts", "webhooks", "rules"].contains($0) }) {
            throw .configuration("\(source): \(unknown) is not an alerts key; expected interval_seconds, attempts, webhooks, rules")
        }
        if let interval = root["interval_seconds"] {
            guard let seconds = number(interval), (0.05...3600).contains(seconds) else { throw .configuration("\(source): interval_seconds must be 0.05 to 3600; got \(interval)") }
            configuration.intervalSeconds = seconds
        }
        if let attempts = root["attempts"] {
            guard let count = number(attempts), (1...10).contains(count) else { throw .configuration("\(source): attempts must be 1 to 10; got \(attempts)") }
            configuration.attempts = Int(count)
        }
        for (index, entry) in ((root["webhooks"] as? [Any]) ?? []).enumerated() {
            let place = "\(source): webhooks[\(index)]"
            guard let hook = entry as? [String: Any], let url = hook["url"] as? String, url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw .configuration("\(place) needs a url starting http:// or https://")
            }
            let formatName = hook["format"] as? String ?? "json"
            guard let format = AlertWebhook.Format(rawValue: formatName) else { throw .configuration("\(place): format \(formatName) is not slack or json") }
            configuration.webhooks.append(AlertWebhook(url: url, format: format))
        }
        var names: Set<String> = []
        for (index, entry) in ((root["rules"] as? [Any]) ?? []).enumerated() {
            let place = "\(source): rules[\(index)]"
            guard let rule = entry as? [String: Any], let name = rule["name"] as? String, !name.isEmpty else { throw .configuration("\(place) needs a name") }
            guard names.insert(name).inserted else { throw .configuration("\(place): the name \(name) is taken by an earlier rule") }
            guard let metricName = rule["metric"] as? String, let metric = AlertMetric(rawValue: metricName) else {
                throw .configuration("\(place) (\(name)): metric must be one of \(AlertMetric.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let above = rule["above"].flatMap(number), below = rule["below"].flatMap(number)
            guard (above == nil) != (below == nil), let threshold = above ?? below else {
                throw .configuration("\(place) (\(name)): give exactly one of above or below, a number")
            }
            let window = rule["window_seconds"].flatMap(number) ?? 300
            guard window > 0 else { throw .configuration("\(place) (\(name)): window_seconds must be positive") }
            configuration.rules.append(AlertRule(name: name, metric: metric, above: above != nil, threshold: threshold, windowSeconds: window))
        }
        return configuration
    }

    private static func number(_ value: Any) -> Double? {
        if let double = value as? Double { return double }
        if let int = value as? Int { return Double(int) }
        return (value as? String).flatMap(Double.init)
    }
}
