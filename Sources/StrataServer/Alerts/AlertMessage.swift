import Foundation
import StrataTransport

/// The JSON a webhook receives.
enum AlertMessage {
    static func body(_ state: AlertEngine.AlertState, status: String, format: AlertWebhook.Format, service: String, at now: Date) -> [UInt8] {
        let stamp = ISO8601DateFormatter()
        let value = state.value.map { String(format: "%.4g", $0) } ?? "none"
        let object: [String: Any]
        switch format {
        case .slack:
            let mark = status == "firing" ? ":rotating_light:" : status == "resolved" ? ":white_check_mark:" : ":information_source:"
            let since = state.firingSince.map { " since \(stamp.string(from: $0))" } ?? ""
            object = ["text": "\(mark) [strata \(service)] \(status.uppercased()) \(state.rule.name): \(state.rule.condition); value \(value)\(status == "firing" ? since : "")"]
        case .json:
            var fields: [String: Any] = [
                "alert": state.rule.name, "status": status, "metric": state.rule.metric.rawValue, "threshold": state.rule.threshold,
                "condition": state.rule.condition, "service": service, "at": stamp.string(from: now),
            ]
            fields["value"] = state.value
            fields["started_at"] = state.firingSince.map(stamp.string)
            if status == "resolved" { fields["resolved_at"] = stamp.string(from: now) }
            object = fields
        }
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8))
    }
}

extension AlertEngine {
    /// Posts `body`, retrying a failure or a retryable status up to the configured attempts.
    func deliver(_ body: [UInt8], to webhook: AlertWebhook, rule: String, status: String, value: Double?, at now: Date) -> AlertNotice {
        var notice = AlertNotice(rule: rule, status: status, value: value, at: now, webhook: webhook.url, delivered: false, attempts: 0, problem: nil)
        let request = CurlTransfer.Request(
            url: webhook.url, headers: ["Content-Type: application/json", "User-Agent: strata-alerts"], body: body,
            timeout: .seconds(10), connectTimeout: .seconds(3), maxResponseBytes: 1 << 20)
        let policy = HTTPRetryPolicy(maxRetries: configuration.attempts - 1, baseDelay: .milliseconds(500), maxDelay: .seconds(8))
        do {
            let transfer = try CurlTransfer()
            let (outcome, attempts) = transfer.perform(request, retrying: policy)
            notice.attempts = attempts
            switch outcome {
            case let .response(response) where (200..<300).contains(response.status):
                notice.delivered = true
            case let .response(response):
                notice.problem = "the webhook answered \(response.status)"
            case let .failure(failure):
                notice.problem = failure.description
            }
        } catch {
            notice.problem = error.description
        }
        return notice
    }
}
