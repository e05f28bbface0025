import StrataAnalytics

extension DashboardPage {
    /// The latest generations, newest first: what ran, on which model, how well and at what cost.
    func feedPanel() -> String {
        panel(id: "feed-panel", title: "Latest generations",
              subtitle: "The \(DashboardReader.feedLength) most recent recorded generations, newest first; times in UTC. Hover a prompt for all of it.",
              wide: true,
              body: part(data.feed) { feed in
                  guard !feed.latest.isEmpty else {
                      return "<table id=\"feed\" class=\"empty\"><tr><td>No generations recorded yet. Record them with <code>strata record generations.jsonl</code> "
                          + "or <code>POST /v1/generations</code>; <code>strata generate</code> and <code>POST /v1/generate</code> record theirs.</td></tr></table>"
                  }
                  var html = "<div class=\"table\"><table id=\"feed\"><tr><th>time</th><th>project</th><th>environment</th><th>stage</th><th>node type</th><th>prompt</th><th>model</th>"
                      + "<th class=\"num\">quality</th><th class=\"num\">cost</th><th class=\"num\">latency</th><th class=\"num\">tokens in / out</th><th>outcome</th></tr>\n"
                  for record in feed.latest {
                      html += "<tr class=\"generation\"><td>\(format.timestamp(record.time))</td><td>\(HTMLText.escape(record.project))</td>"
                          + "<td>\(HTMLText.escape(record.environment))</td><td>\(HTMLText.escape(record.stage))</td><td>\(HTMLText.escape(record.nodeType))</td>"
                          + "<td class=\"prompt\" title=\"\(HTMLText.escape(record.prompt))\">\(HTMLText.escape(DashboardFormat.shortened(record.prompt, limit: 90)))</td>"
                          + "<td>\(HTMLText.escape(record.model)) <small>\(HTMLText.escape(record.provider))</small></td>"
                          + "<td class=\"num\">\(record.quality.map { DashboardFormat.number($0) } ?? "—")</td>"
                          + "<td class=\"num\">\(DashboardFormat.dollars(record.cost ?? 0))</td>"
                          + "<td class=\"num\">\(DashboardFormat.number(record.latencySeconds, digits: 2)) s</td>"
                          + "<td class=\"num\">\(DashboardFormat.count(record.inputTokens)) / \(DashboardFormat.count(record.outputTokens))</td>"
                          + "<td><span class=\"badge \(record.outcome.rawValue)\">\(record.outcome.rawValue)</span></td></tr>\n"
                  }
                  return html + "</table></div>"
              })
    }
}
