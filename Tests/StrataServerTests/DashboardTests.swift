import Foundation
import Hummingbird
import HummingbirdTesting
import StrataAnalytics
import StrataServer
import StrataStore
import Testing

/// `GET /dashboard`: every panel's empty state on a fresh store, the figures once patterns,
/// generations, a budget and a cluster run exist, escaping, and the page as Chromium draws it.
@Suite struct DashboardTests {
    /// The charts the page draws, by their `<svg>` id.
    static let charts = ["tiers", "models", "spend", "quality", "clusters"]

    /// The page's HTML, after checking the response's status and headers.
    static func dashboard(_ client: any TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/dashboard", method: .get) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            return String(buffer: response.body)
        }
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The markup of `<svg id="id" …>…</svg>`, or nil when the page has no such chart.
    static func chart(_ id: String, in html: String) -> String? {
        html.components(separatedBy: "<svg id=\"\(id)\"").dropFirst().first?.components(separatedBy: "</svg>").first
    }

    @Test func aFreshStoreShowsEveryPanelEmptyAndNeedsNoKey() async throws {
        let served = try ServedStore(apiKey: "secret")
        try await served.test { client in
            let html = try await Self.dashboard(client)
            for id in Self.charts {
                #expect(html.contains("<svg id=\"\(id)\" class=\"chart empty\""), "\(id) is not drawn empty")
            }
            #expect(html.contains("<table id=\"feed\" class=\"empty\">"))
            #expect(html.contains("No patterns yet") && html.contains("No generations yet") && html.contains("No spend this month yet"))
            #expect(html.contains("No scored generations yet") && html.contains("No cluster run yet"))
            #expect(html.contains("POST /v1/clusters") && html.contains("strata cluster"))
            // Self-contained: nothing fetched from elsewhere.
            for external in ["http://", "https://", "<link", "<img", "<iframe", "@import", "url(", " src="] {
                #expect(!html.contains(external), "the page refers to something outside it: \(external)")
            }
            #expect(Self.count("<script", in: html) == 1)
        }
    }

    /// A store with 24 patterns (20 cold, 4 hot), generations of two models over five days, a
    /// monthly budget today's spend alone exhausts, and a k = 2 cluster run; `<script>` in a
    /// pattern id, a model and a prompt.
    static func populated(_ served: ServedStore, _ client: any TestClientProtocol) async throws {
        // Each pattern has words of its own, so none is merged into another as a near-duplicate.
        let words = ["order", "invoice", "customer", "shipment", "payment", "refund", "account", "session", "device", "ticket", "report", "profile",
                     "basket", "coupon", "review", "address", "message", "alert", "tenant", "ledger", "quota", "badge", "route", "cohort"]
        let writers = (0..<12).map { index -> [String: Any] in
            let subject = words[index]
            return ["id": index == 0 ? "<script>alert('id')</script>" : "writer-\(subject)", "node_type": "effect", "quality": 0.8,
                    "text": "def insert_\(subject)_rows(pg_pool, \(subject)s):\n    with pg_pool.connection() as conn:\n"
                        + "        conn.executemany(\"INSERT INTO \(subject)s VALUES (%s)\", \(subject)s)\n        conn.commit()\n"]
        }
        let parsers = (0..<12).map { index -> [String: Any] in
            let subject = words[12 + index]
            return ["id": "parser-\(subject)", "node_type": index < 8 ? "compute" : "reducer", "quality": 0.6,
                    "text": "def \(subject)_variance(values):\n    mean = sum(values) / len(values)\n"
                        + "    return sum((value - mean) ** 2 for value in values) / (len(values) - 1)  # \(subject) spread\n"]
        }
        func add(_ patterns: [[String: Any]]) async throws {
            try await client.execute(uri: "/v1/patterns", method: .post, body: body(["patterns": patterns])) { response in
                #expect(response.status == .created, "\(message(response))")
                let actions = (json(response)["results"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
                #expect(actions == Array(repeating: "added", count: patterns.count), "\(actions)")
            }
        }
        try await add(Array(writers.prefix(10) + parsers.prefix(10)))
        try served.service.store.flush()
        try await add(Array(writers.suffix(2) + parsers.suffix(2)))

        let now = Date().timeIntervalSince1970
        var generations: [[String: Any]] = []
        for day in 0..<5 {
            for index in 0..<4 {
                let cheap = index % 2 == 0
                generations.append([
                    "time": now - Double(day) * 86_400 - 60 * Double(index + 1), "project": "shop", "environment": day == 0 ? "prod" : "dev", "provider": cheap ? "openai" : "anthropic",
                    "model": cheap ? "gpt-test" : "claude-<script>alert('model')</script>", "node_type": "effect",
                    "prompt": "a postgres writer <script>alert('prompt')</script>", "quality": cheap ? 0.7 : 0.9, "cost": cheap ? 0.002 : 0.05,
                    "input_tokens": 900, "output_tokens": 300, "latency_ms": 1200, "outcome": index == 3 ? "failure" : "success",
                ])
            }
        }
        try await client.execute(uri: "/v1/generations", method: .post, body: body(["generations": generations])) { response in
            #expect(response.status == .created, "\(message(response))")
        }
        try served.service.tracker.budgets.set(Budget(project: "shop", period: .month, limit: 0.1))
        try await client.execute(uri: "/v1/clusters", method: .post, body: body(["k": 2, "seed": 3])) { response in
            #expect(response.status == .created, "\(message(response))")
        }
    }

    @Test func thePageShowsTheStoresFiguresEscaped() async throws {
        let served = try ServedStore()
        try await served.test { client in
            try await Self.populated(served, client)
            let html = try await Self.dashboard(client)
            for id in Self.charts {
                #expect(html.contains("<svg id=\"\(id)\" class=\"chart\""), "\(id) is drawn empty")
            }
            // Tiers: 24 patterns, 4 hot and 20 cold; 12 effect, 8 compute (all cold), 4 reducer.
            let tiers = try #require(Self.chart("tiers", in: html))
            #expect(tiers.contains(">24 (4 hot · 20 cold)</text>"))
            #expect(tiers.contains(">12 (2 hot · 10 cold)</text>"))
            #expect(tiers.contains(">8 (0 hot · 8 cold)</text>") && tiers.contains(">4 (2 hot · 2 cold)</text>"))
            // The feed: the 15 newest of the 20 generations.
            #expect(html.contains("<table id=\"feed\">"))
            #expect(Self.count("<tr class=\"generation\">", in: html) == StrataService.dashboardFeedLength)
            #expect(html.contains("gpt-test") && html.contains("<span class=\"badge failure\">failure</span>"))
            // One point a model; the spend against the $5 budget; the trend's average line.
            #expect(Self.count("<circle class=\"model\"", in: try #require(Self.chart("models", in: html))) == 2)
            let spend = try #require(Self.chart("spend", in: html))
            #expect(spend.contains("<line class=\"budget\"") && spend.contains("limit $0.100") && spend.contains("<polyline class=\"spent\""))
            #expect(html.contains("<table id=\"budget-table\">") && html.contains("<td>shop</td>") && html.contains("limit reached"))
            // The ledger's own figures; and the page raised none of the alerts, which stay news
            // for `strata budget status`.
            let status = try #require(try served.service.tracker.budgets.status(project: "shop").first)
            #expect(status.newAlerts.map(\.level) == [.half, .fourFifths, .exhausted])
            #expect(html.contains("shop: spent \(DashboardFormat.dollars(status.spent)) of $0.100 per month"))
            #expect(html.contains("forecast for the period&#39;s end \(DashboardFormat.dollars(status.forecast.expected))"))
            #expect(try #require(Self.chart("quality", in: html)).contains("<path class=\"average\" d=\"M"))
            // The cluster run: every pattern drawn, two centroids, the sizes chart.
            let map = try #require(Self.chart("clusters", in: html))
            #expect(Self.count("<circle class=\"point\"", in: map) == 24)
            #expect(Self.count("<polygon class=\"centroid\"", in: map) == 2)
            #expect(Self.count("<rect class=\"bar\"", in: try #require(Self.chart("cluster-sizes", in: html))) == 2)
            // Stored text is shown, never run: the page's own refresh script is its only one.
            #expect(Self.count("<script", in: html) == 1)
            #expect(html.contains("&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;"))
            #expect(html.contains("claude-&lt;script&gt;alert(&#39;model&#39;)&lt;/script&gt;"))
            #expect(html.contains("a postgres writer &lt;script&gt;alert(&#39;prompt&#39;)&lt;/script&gt;"))
            // Filtered by environment: today's 4 generations ran in prod, none in staging.
            #expect(html.contains("<nav id=\"environments\">environment: <b>all</b> · <a href=\"dashboard?environment=dev\">dev</a>"))
            let prod = try await client.execute(uri: "/dashboard?environment=prod", method: .get) { String(buffer: $0.body) }
            #expect(Self.count("<tr class=\"generation\">", in: prod) == 4)
            #expect(Self.count("<td>prod</td>", in: prod) == 4 && !prod.contains("<td>dev</td>"))
            #expect(prod.contains("· <b>prod</b>"))
            let staging = try await client.execute(uri: "/dashboard?environment=staging", method: .get) { String(buffer: $0.body) }
            #expect(Self.count("<tr class=\"generation\">", in: staging) == 0)
            let odd = try await client.execute(uri: "/dashboard?environment=%3Cb%3E", method: .get) { String(buffer: $0.body) }
            #expect(odd.contains("<b>&lt;b&gt;</b>") && !odd.contains("<b><b>"), "the environment is escaped")
        }
    }

    @Test func theDocumentAndTheMetricsKnowTheRoute() async throws {
        let served = try ServedStore()
        try await served.test { client in
            _ = try await Self.dashboard(client)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(String(buffer: response.body).contains("route=\"/dashboard\",method=\"GET\",status=\"200\""))
            }
        }
    }

    /// Where the Makefile's `make deps` installs Chromium (Debian package `chromium`).
    static let chromium = "/usr/bin/chromium"

    /// Runs headless Chromium on `arguments`, its stdout into `output`; fails the test when it
    /// does not finish within `seconds`.
    static func runChromium(_ arguments: [String], profile: String, output: String, seconds: Double = 20) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars", "--user-data-dir=\(profile)"] + arguments
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("chromium did not finish within \(Int(seconds)) s: \(arguments.joined(separator: " "))")
        }
    }

    /// The page as a browser draws it: Chromium loads it from disk, dumps the DOM it built
    /// (markup that only looks right as text, like an unclosed tag swallowing a chart, fails
    /// here) and takes a screenshot.
    @Test func chromiumDrawsEveryChart() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.chromium),
                     "chromium is not installed at \(Self.chromium): install the Debian package `chromium` (`make deps` does)")
        let served = try ServedStore()
        let folder = NSTemporaryDirectory() + "strata-dashboard-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await served.test { client in
            try await Self.populated(served, client)
            let page = URL(fileURLWithPath: folder + "/dashboard.html")
            try Data(try await Self.dashboard(client).utf8).write(to: page)

            try Self.runChromium(["--dump-dom", page.absoluteString], profile: folder + "/profile-dom", output: folder + "/dom.html")
            let dom = try String(contentsOfFile: folder + "/dom.html", encoding: .utf8)
            let drawn = ["tiers": "<rect class=\"hot\"", "models": "<circle class=\"model\"", "spend": "<polyline class=\"spent\"",
                         "quality": "<path class=\"average\"", "clusters": "<circle class=\"point\"", "cluster-sizes": "<rect class=\"bar\""]
            for (id, element) in drawn {
                let chart = Self.chart(id, in: dom)
                #expect(chart != nil, "no svg#\(id) in the DOM Chromium built (\(dom.count) characters)")
                #expect(chart?.contains(element) == true, "svg#\(id) has no \(element)")
            }
            #expect(dom.contains("<table id=\"feed\">"))
            #expect(!dom.contains("<script>alert"))

            let screenshot = folder + "/dashboard.png"
            try Self.runChromium(["--screenshot=\(screenshot)", "--window-size=1400,1800", page.absoluteString],
                                 profile: folder + "/profile-shot", output: folder + "/shot.log")
            let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "the screenshot is not a PNG")
            // IHDR: width and height, big-endian, at bytes 16 and 20.
            let size = png.count >= 24 ? (png[16..<20].reduce(0) { $0 << 8 | Int($1) }, png[20..<24].reduce(0) { $0 << 8 | Int($1) }) : (0, 0)
            #expect(size == (1400, 1800))
            // A blank page compresses to a few kilobytes; charts, text and colours do not.
            #expect(png.count > 60_000, "the screenshot is only \(png.count) bytes: is the page blank?")
        }
    }
}
