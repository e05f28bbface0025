import Foundation
import StrataAnalytics

extension DashboardPage {
    /// The alert rules, firing ones first, and the last messages sent; nothing without alerting.
    func alertsPanel() -> String {
        guard let alerts = data.alerts else { return "" }
        let rules = alerts.rules.sorted { ($0.firingSince != nil ? 0 : 1, $0.rule.name) < ($1.firingSince != nil ? 0 : 1, $1.rule.name) }
        let rows = rules.map { state in
            let status = state.firingSince.map { "<span class=\"firing\">firing since \(format.timestamp($0)) UTC</span>" } ?? "ok"
            let value = state.value.map { String(format: "%.4g", $0) } ?? (state.problem.map { "unreadable: " + HTMLText.escape($0) } ?? "no data")
            return "<tr><td>\(HTMLText.escape(state.rule.name))</td><td><code>\(HTMLText.escape(state.rule.condition))</code></td><td>\(value)</td><td>\(status)</td></tr>"
        }
        let sent = alerts.notices.suffix(5).reversed().map { notice in
            "<li>\(format.timestamp(notice.at)) UTC — \(HTMLText.escape(notice.status)) \(HTMLText.escape(notice.rule)) → \(HTMLText.escape(notice.webhook)): "
                + (notice.delivered ? "delivered" : "not delivered (\(HTMLText.escape(notice.problem ?? "")))") + " after \(notice.attempts) attempt\(notice.attempts == 1 ? "" : "s")</li>"
        }
        let firing = rules.filter { $0.firingSince != nil }.count
        return panel(
            id: "alerts-panel", title: "Alerts", subtitle: firing == 0 ? "Every rule holds." : "\(firing) rule\(firing == 1 ? "" : "s") firing.",
            body: "<div class=\"table\"><table id=\"alert-rules\"><tr><th>rule</th><th>condition</th><th>value</th><th>state</th></tr>" + rows.joined() + "</table></div>"
                + (sent.isEmpty ? "" : "<ul id=\"alert-notices\">" + sent.joined() + "</ul>"))
    }
}
