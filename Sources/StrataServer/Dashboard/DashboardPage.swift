import Foundation
import StrataAnalytics

/// The service dashboard as one self-contained HTML page: inline CSS and SVG and one short
/// inline script, nothing fetched from anywhere else, every piece of stored text escaped.
///
/// The panels (one file each, `DashboardPage+<Panel>.swift`) show patterns per tier and node
/// type, quality against cost per model, spend against budget with its forecast, the daily
/// quality trend, the latest generations and the latest cluster map. Each draws an empty state
/// that says how to get data into it, and each shows its own error when its source fails.
struct DashboardPage {
    var data: DashboardData
    /// The nonce the page's script carries; the response's Content-Security-Policy runs no
    /// other script, so text that escaped escaping still could not run.
    var nonce: String
    /// Seconds between refreshes.
    var refreshSeconds = 10
    let format = DashboardFormat()

    /// The whole page.
    func html() -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Strata dashboard — \(HTMLText.escape(storeName))</title>
        <noscript><meta http-equiv="refresh" content="\(refreshSeconds)"></noscript>
        <style>\(Self.style)</style>
        </head>
        <body>
        <main id="dashboard">
        \(header())
        <div class="panels">
        \(patternsPanel())
        \(modelsPanel())
        \(spendPanel())
        \(qualityPanel())
        \(feedPanel())
        \(clustersPanel())
        \(alertsPanel())
        </div>
        </main>
        <p id="stale">The server did not answer the last refresh; the figures above are from the time in the header.</p>
        \(refreshScript())
        </body>
        </html>

        """
    }

    /// The store folder's last component: what the tab title needs.
    private var storeName: String {
        data.store.split(separator: "/").last.map(String.init) ?? data.store
    }

    private func header() -> String {
        var tiles: [(label: String, value: String, note: String)] = []
        if case let .success(patterns) = data.patterns {
            tiles.append(("patterns", DashboardFormat.count(patterns.total),
                          "\(DashboardFormat.count(patterns.hot)) hot · \(DashboardFormat.count(patterns.cold)) cold in \(patterns.stats.segments.count) segment\(patterns.stats.segments.count == 1 ? "" : "s")"))
        }
        if case let .success(feed) = data.feed {
            tiles.append(("generations", DashboardFormat.count(feed.total), feed.latest.first.map { "latest " + format.timestamp($0.time) + " UTC" } ?? "none recorded yet"))
        }
        if case let .success(spend) = data.spend {
            let standing = spend.charted
            let against = standing.budget.map { "of \(DashboardFormat.dollars($0.limit)) (\($0.project), \($0.period.rawValue))" } ?? "this month, no budget set"
            tiles.append(("spent", DashboardFormat.dollars(standing.spent), against))
        }
        if case let .success(days) = data.quality {
            let recent = days.suffix(7).filter { $0.meanQuality != nil }
            let scored = recent.reduce(0) { $0 + $1.count }
            let mean = scored == 0 ? nil : recent.reduce(0.0) { $0 + $1.meanQuality! * Double($1.count) } / Double(scored)
            tiles.append(("quality, 7 days", mean.map { DashboardFormat.number($0) } ?? "—", "\(DashboardFormat.count(scored)) scored generations"))
        }
        if case let .success(view) = data.clusters {
            tiles.append(("clusters", view.map { "\($0.run.k)" } ?? "—", view.map { "run #\($0.run.id), \(format.timestamp($0.run.createdAt)) UTC" } ?? "never clustered"))
        }
        let tileHTML = tiles.map { "<div class=\"tile\"><span>\($0.label)</span><b>\($0.value)</b><small>\(HTMLText.escape($0.note))</small></div>" }.joined()
        return """
            <header><h1>Strata</h1><p class="meta"><code>\(HTMLText.escape(data.store))</code> · updated \
            <time datetime="\(ISO8601DateFormatter().string(from: data.now))">\(format.timestamp(data.now)) UTC</time> · refreshes every \(refreshSeconds) s</p>\(environmentLinks())</header>
            <div class="tiles">\(tileHTML)</div>
            """
    }

    /// Links that filter the feed and the quality trend by environment, the current one marked.
    private func environmentLinks() -> String {
        let choices: [(label: String, query: String, current: Bool)] = [("all", "", data.environment == nil)]
            + (["dev", "staging", "prod"] + (data.environment.map { [$0] } ?? [])).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            .map { ($0, "?environment=" + HTMLText.escape($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""), data.environment == $0) }
        let links = choices.map { $0.current ? "<b>\(HTMLText.escape($0.label))</b>" : "<a href=\"dashboard\($0.query)\">\(HTMLText.escape($0.label))</a>" }
        return "<nav id=\"environments\">environment: \(links.joined(separator: " · "))</nav>"
    }

    /// A panel: its heading, a line saying what it shows, and its body.
    func panel(id: String, title: String, subtitle: String, wide: Bool = false, body: String) -> String {
        "<section class=\"panel\(wide ? " wide" : "")\" id=\"\(id)\"><h2>\(HTMLText.escape(title))</h2>"
            + "<p class=\"sub\">\(subtitle)</p>\n\(body)</section>"
    }

    /// The panel body `render` makes from a part that was read, or the part's error.
    func part<T>(_ result: Result<T, ServerError>, _ render: (T) -> String) -> String {
        switch result {
        case let .success(value): render(value)
        case let .failure(error): "<p class=\"error\">This panel could not be read: \(HTMLText.escape(error.description))</p>"
        }
    }

    /// Re-reads the page and swaps in the new `<main>`, which keeps the scroll position and
    /// avoids a blank flash; a failed read keeps the old figures and says so. Without
    /// JavaScript, the `<noscript>` refresh reloads the page instead.
    private func refreshScript() -> String {
        """
        <script nonce="\(nonce)">
        // The feed is live: each generation recorded is put at its top as it is recorded.
        if (window.EventSource) {
          new EventSource("/v1/generations/stream").addEventListener("generation", function (event) {
            var record = JSON.parse(event.data), feed = document.getElementById("feed");
            if (!feed || !feed.tBodies[0]) return;
            var row = document.createElement("tr"), cells = [record.time, record.project, record.environment, record.stage, record.node_type,
              record.prompt, record.model + " " + record.provider, record.quality == null ? "—" : record.quality.toFixed(2),
              "$" + (record.cost || 0).toFixed(4), (record.latency_seconds || 0).toFixed(2) + " s",
              (record.input_tokens || 0) + " / " + (record.output_tokens || 0), record.outcome];
            row.className = "generation live";
            cells.forEach(function (text) { var cell = document.createElement("td"); cell.textContent = text; row.appendChild(cell); });
            var body = feed.tBodies[0];
            body.insertBefore(row, body.rows[1] || null);
            while (body.rows.length > \(DashboardReader.feedLength + 1)) body.deleteRow(body.rows.length - 1);
          });
        }
        setInterval(function () {
          if (document.hidden) return;
          fetch(location.href, {cache: "no-store"}).then(function (r) { if (!r.ok) throw r.status; return r.text(); }).then(function (text) {
            var next = new DOMParser().parseFromString(text, "text/html").querySelector("main");
            if (next) document.querySelector("main").replaceWith(next);
            document.body.classList.remove("stale");
          }).catch(function () { document.body.classList.add("stale"); });
        }, \(refreshSeconds * 1000));
        </script>
        """
    }
}
