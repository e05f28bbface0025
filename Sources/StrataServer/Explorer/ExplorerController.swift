import Foundation
import Hummingbird
import StrataAnalytics
import StrataStore

/// The pattern explorer on the dashboard: a search over the store with the results' code
/// shown (`/explore?q=&mode=&filter=`), a pattern's page (metadata, its uses and successes
/// by day, the generations that used it, its near duplicates, its cluster), and a cluster's
/// patterns (`/explore/clusters/{run}/{cluster}`). Works without JavaScript.
struct ExplorerController {
    let store: PatternStore
    let tracker: PerformanceTracker
    let clusterRuns: ClusterRuns

    func addRoutes(to router: Router<StrataRequestContext>) {
        router.get("explore", use: search)
        router.get("explore/patterns/{id}", use: pattern)
        router.get("explore/clusters/{run}/{cluster}", use: cluster)
    }

    @Sendable func search(_ request: Request, context _: StrataRequestContext) throws -> Response {
        let form = Self.form(request)
        let query = form["q"] ?? "", filterText = form["filter"] ?? "", modeName = form["mode"] ?? "hybrid"
        guard let mode = SearchMode(rawValue: modeName) else { throw ServerError.badRequest("mode \(modeName): expected hybrid, dense or lexical") }
        var body = ""
        if !query.trimmingCharacters(in: .whitespaces).isEmpty {
            let filter = try served { () throws(StoreError) in filterText.isEmpty ? PatternFilter() : try PatternFilter(expression: filterText) }
            let found = try served { () throws(StoreError) in try store.search(SearchRequest(query: .text(query), k: 20, filter: filter, mode: mode)) }
            body = "<p class=\"sub\" id=\"summary\">\(found.hits.count) results (\(found.mode.rawValue), \(String(format: "%.1f", found.tookMicroseconds / 1000)) ms)</p>"
                + "<section id=\"results\">" + found.hits.map { hit in
                    let pattern = hit.pattern
                    return "<article class=\"hit\"><h3>\(ExplorerPage.link(pattern: pattern.id, pattern.name.isEmpty ? pattern.id : pattern.name))</h3>"
                        + "<p class=\"meta\">\(HTMLText.escape(pattern.id)) · \(pattern.nodeType.rawValue) · \(HTMLText.escape(pattern.language)) · quality \(String(format: "%.2f", pattern.quality)) · score \(String(format: "%.3f", hit.score))</p>"
                        + ExplorerPage.code(pattern.text, language: pattern.language) + "</article>"
                }.joined() + "</section>"
        }
        return Self.html(ExplorerPage.page(title: query.isEmpty ? "search" : query, query: query, mode: modeName, filter: filterText, body: body))
    }

    @Sendable func pattern(_: Request, context: StrataRequestContext) throws -> Response {
        let id = try PatternController.id(context)
        let pattern = try served { () throws(StoreError) in try store.pattern(id: id) }
        let facts: [(String, String)] = [
            ("id", pattern.id), ("name", pattern.name), ("kind", pattern.kind.rawValue), ("node type", pattern.nodeType.rawValue),
            ("domain", pattern.domain), ("language", pattern.language), ("lifecycle", pattern.lifecycle.rawValue),
            ("quality", String(format: "%.2f", pattern.quality)), ("success rate", String(format: "%.2f", pattern.successRate)),
            ("uses", "\(pattern.usageCount)"), ("tags", pattern.tags.joined(separator: ", ")), ("tier", pattern.tier.rawValue),
            ("version", "\(pattern.version)"), ("created", "\(pattern.createdAt)"), ("last used", pattern.lastUsedAt.map { "\($0)" } ?? "never"),
            ("source", pattern.source.map { "\($0.path):\($0.lineStart)-\($0.lineEnd)" } ?? "—"),
        ]
        let uses = try tracker.records(matching: RecordQuery(limit: 10_000)).filter { $0.patternIDs.contains(id) }
        var byDay: [String: (uses: Int, successes: Int)] = [:]
        let day = DateFormatter()
        day.dateFormat = "yyyy-MM-dd"
        day.timeZone = TimeZone(identifier: "UTC")
        for record in uses { byDay[day.string(from: record.time), default: (0, 0)].uses += 1; if record.outcome == .success { byDay[day.string(from: record.time)]!.successes += 1 } }
        let neighbours = try served { () throws(StoreError) in
            try store.search(SearchRequest(query: .vector(try store.vector(id: id)), k: 6, mode: .dense)).hits.filter { $0.pattern.id != id }
        }
        var body = "<section class=\"panel wide\"><h2>\(HTMLText.escape(pattern.name.isEmpty ? pattern.id : pattern.name))</h2>"
            + ExplorerPage.table(id: "pattern-facts", ["field", "value"], facts.map { [$0.0, HTMLText.escape($0.1)] })
            + ExplorerPage.code(pattern.text, language: pattern.language) + "</section>"
        body += "<section class=\"panel\"><h2>Usage and success by day</h2>" + (byDay.isEmpty ? "<p class=\"hint\">No recorded generation used it yet.</p>"
            : ExplorerPage.table(id: "pattern-usage", ["day", "uses", "successes"], byDay.keys.sorted().map { [$0, "\(byDay[$0]!.uses)", "\(byDay[$0]!.successes)"] })) + "</section>"
        body += "<section class=\"panel\"><h2>Generations that used it</h2>" + (uses.isEmpty ? "<p class=\"hint\">None recorded.</p>"
            : ExplorerPage.table(id: "pattern-generations", ["time", "model", "prompt", "outcome"], uses.prefix(20).map {
                ["\($0.time)", HTMLText.escape($0.model), HTMLText.escape(String($0.prompt.prefix(90))), $0.outcome.rawValue]
            })) + "</section>"
        body += "<section class=\"panel\"><h2>Near duplicates</h2>" + ExplorerPage.table(id: "pattern-neighbours", ["pattern", "similarity"], neighbours.map {
            [ExplorerPage.link(pattern: $0.pattern.id, $0.pattern.name.isEmpty ? $0.pattern.id : $0.pattern.name), String(format: "%.3f", $0.similarity)]
        }) + "</section>"
        body += "<section class=\"panel\"><h2>Cluster</h2>" + clusterOf(id) + "</section>"
        return Self.html(ExplorerPage.page(title: pattern.id, body: "<div class=\"panels\">" + body + "</div>"))
    }

    /// The latest cluster run's cluster of `id`, as a link to its page.
    private func clusterOf(_ id: String) -> String {
        let found = try? clusterRuns.withHistory { (history) throws(AnalyticsError) -> (Int64, Int32)? in
            guard let run = try history.runs(limit: 1).first else { return nil }
            return try history.assignments(run: run.id)[id].map { (run.id, $0) }
        }
        guard let (run, cluster) = found ?? nil else { return "<p class=\"hint\">Not in the latest cluster run (run <code>strata cluster</code>).</p>" }
        return "<p><a href=\"/explore/clusters/\(run)/\(cluster)\">cluster \(cluster) of run \(run)</a></p>"
    }

    @Sendable func cluster(_: Request, context: StrataRequestContext) throws -> Response {
        guard let run = context.parameters.get("run").flatMap(Int64.init), let cluster = context.parameters.get("cluster").flatMap(Int32.init) else {
            throw ServerError.badRequest("the path needs a run number and a cluster number: /explore/clusters/{run}/{cluster}")
        }
        let members = try clusterRuns.withHistory { (history) throws(AnalyticsError) -> [String] in
            try history.assignments(run: run).filter { $0.value == cluster }.map(\.key).sorted()
        }
        guard !members.isEmpty else { throw ServerError.notFound("run \(run) has no cluster \(cluster)") }
        let patterns = try served { () throws(StoreError) in try members.prefix(200).compactMap { try? store.pattern(id: $0) } }
        let body = "<section class=\"panel wide\"><h2>Cluster \(cluster) of run \(run): \(members.count) patterns</h2>"
            + ExplorerPage.table(id: "cluster-patterns", ["pattern", "node type", "quality", "first line"], patterns.map {
                [ExplorerPage.link(pattern: $0.id, $0.name.isEmpty ? $0.id : $0.name), $0.nodeType.rawValue, String(format: "%.2f", $0.quality),
                 "<code>" + HTMLText.escape(String(($0.text.split(separator: "\n").first ?? "").prefix(100))) + "</code>"]
            }) + "</section>"
        return Self.html(ExplorerPage.page(title: "cluster \(cluster)", body: body))
    }

    /// The query's fields as a form sends them: `+` for a space, then percent-encoding.
    static func form(_ request: Request) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            if let name = parts.first, fields[name] == nil { fields[name] = parts.count > 1 ? parts[1] : "" }
        }
        return fields
    }

    static func html(_ page: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
                .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }
}
