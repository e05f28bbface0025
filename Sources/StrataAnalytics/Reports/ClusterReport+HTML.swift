import Foundation

extension ClusterReport {
    /// The report as one self-contained HTML page: inline CSS and SVG, no scripts, fonts or
    /// images, nothing fetched from anywhere, every piece of pattern text escaped.
    ///
    /// - Parameter duplicateGroupsShown: groups listed at most (all are in the JSON).
    public func html(duplicateGroupsShown: Int = 100) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Strata cluster report\(filter.isEmpty ? "" : " — " + HTMLText.escape(filter))</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <h1>Cluster report</h1>

            """
        page += overviewSection() + suggestionsSection() + changesSection() + mapSection() + chartsSection()
        page += clustersTable() + clusterDetails() + duplicatesSection(limit: duplicateGroupsShown)
        return page + "</body>\n</html>\n"
    }

    private func overviewSection() -> String {
        var facts = [
            ("patterns", "\(n)"), ("clusters", "\(k)"),
            ("filter", filter.isEmpty ? "(all patterns)" : filter),
            ("k-means", "\(spherical ? "spherical, " : "")\(iterations) iterations, seed \(seed)"),
            ("inertia", Self.decimal(inertia, digits: 3)),
            ("created", ISO8601DateFormatter().string(from: createdAt)),
        ]
        if let silhouette { facts.append(("silhouette", Self.decimal(silhouette, digits: 3) + " (k chosen by silhouette)")) }
        if let runID { facts.append(("run", "#\(runID)")) }
        facts.append(("near-duplicate groups", "\(duplicateGroups.count) (\(duplicateGroups.reduce(0) { $0 + $1.members.count }) patterns)"))
        return "<section id=\"overview\"><dl>"
            + facts.map { "<dt>\(HTMLText.escape($0.0))</dt><dd>\(HTMLText.escape($0.1))</dd>" }.joined()
            + "</dl></section>\n"
    }

    private func suggestionsSection() -> String {
        var html = "<section id=\"suggestions\"><h2>Suggestions</h2>\n"
        if suggestions.isEmpty { return html + "<p>Nothing stands out: no large cohesive cluster, duplicate group or low-quality cluster.</p></section>\n" }
        html += "<ul>" + suggestions.map { "<li class=\"\($0.kind.rawValue)\">\(Self.withCode(HTMLText.escape($0.text)))</li>\n" }.joined()
        return html + "</ul></section>\n"
    }

    private func changesSection() -> String {
        guard let changes else {
            return "<section id=\"changes\"><h2>Since the previous run</h2><p>No earlier run on this filter.</p></section>\n"
        }
        var lines = [
            "run #\(changes.previousRunID) of \(ISO8601DateFormatter().string(from: changes.previousCreatedAt))",
            "\(changes.movedCount) pattern(s) changed cluster; \(changes.addedPatterns) new, \(changes.removedPatterns) gone",
        ]
        if !changes.newClusters.isEmpty { lines.append("new clusters: " + changes.newClusters.map(String.init).joined(separator: ", ")) }
        if !changes.vanishedClusters.isEmpty { lines.append("vanished (previous numbering): " + changes.vanishedClusters.map(String.init).joined(separator: ", ")) }
        var html = "<section id=\"changes\"><h2>Since the previous run</h2><ul>" + lines.map { "<li>\(HTMLText.escape($0))</li>" }.joined() + "</ul>\n"
        let resized = changes.matches.filter { $0.size != $0.previousSize }
        if !resized.isEmpty {
            html += "<table><tr><th>cluster</th><th>was</th><th>size</th><th>before</th><th>centroid cosine</th></tr>"
                + resized.map { "<tr><td>\($0.cluster)</td><td>\($0.previousCluster)</td><td>\($0.size)</td><td>\($0.previousSize)</td><td>\(Self.decimal($0.similarity, digits: 3))</td></tr>" }.joined()
                + "</table>\n"
        }
        if !changes.moves.isEmpty {
            html += "<p>For example: " + changes.moves.map { "<code>\(HTMLText.escape($0.id))</code> \($0.from) → \($0.to)" }.joined(separator: ", ") + "</p>\n"
        }
        return html + "</section>\n"
    }

    private func mapSection() -> String {
        let legend = clusters.map {
            "<li><span class=\"swatch\" style=\"background:\(SVGChart.colour($0.index))\"></span>\($0.index) (\($0.size))</li>"
        }.joined()
        let sampled = map.points.count < map.total ? " (a sample of \(map.points.count) of \(map.total) patterns)" : ""
        return "<section id=\"map-section\"><h2>Map</h2><p>Every pattern on the first two principal components\(sampled); ◆ marks each centroid. Hover a point for its id.</p>\n"
            + mapSVG() + "\n<ul class=\"legend\" id=\"legend\">\(legend)</ul></section>\n"
    }

    private func chartsSection() -> String {
        let quality = SVGChart.barChart(id: "quality-chart", label: "Mean quality per cluster, whiskers ± one standard deviation",
                                       values: clusters.map(\.meanQuality), spreads: clusters.map(\.qualitySpread), top: 1,
                                       format: { Self.decimal($0) })
        let sizes = SVGChart.barChart(id: "size-chart", label: "Patterns per cluster", values: clusters.map { Double($0.size) }, spreads: nil,
                                     top: Double(clusters.map(\.size).max() ?? 1), format: { "\(Int($0.rounded()))" })
        return "<section id=\"charts\"><h2>Quality by cluster</h2><p>Mean quality, whiskers ± one standard deviation.</p>\n\(quality)\n"
            + "<h2>Size by cluster</h2>\n\(sizes)</section>\n"
    }

    private func clustersTable() -> String {
        var html = "<section id=\"clusters\"><h2>Clusters</h2><table><tr><th>#</th><th>size</th><th>cohesion</th><th>quality</th>"
            + "<th>success</th><th>node types</th><th>domains</th><th>distinctive words</th></tr>\n"
        for cluster in clusters {
            html += "<tr><td><span class=\"swatch\" style=\"background:\(SVGChart.colour(cluster.index))\"></span><a href=\"#cluster-\(cluster.index)\">\(cluster.index)</a></td>"
                + "<td>\(cluster.size)</td><td>\(Self.decimal(cluster.cohesion))</td>"
                + "<td>\(Self.decimal(cluster.meanQuality)) ± \(Self.decimal(cluster.qualitySpread))</td><td>\(Self.decimal(cluster.meanSuccessRate))</td>"
                + "<td>\(Self.shareList(cluster.nodeTypes))</td><td>\(Self.shareList(cluster.domains))</td>"
                + "<td>\(cluster.distinctiveTokens.prefix(5).map { "<code>\(HTMLText.escape($0.token))</code>" }.joined(separator: " "))</td></tr>\n"
        }
        return html + "</table></section>\n"
    }

    private func clusterDetails() -> String {
        var html = "<section id=\"details\"><h2>Cluster details</h2>\n"
        for cluster in clusters {
            html += "<article id=\"cluster-\(cluster.index)\"><h3><span class=\"swatch\" style=\"background:\(SVGChart.colour(cluster.index))\"></span>"
                + "Cluster \(cluster.index): \(cluster.size) patterns, cohesion \(Self.decimal(cluster.cohesion))</h3>\n"
                + "<p class=\"tokens\">" + cluster.distinctiveTokens.map { "<code>\(HTMLText.escape($0.token))</code> <small>\(Self.decimal($0.weight))</small>" }.joined(separator: " · ") + "</p>\n"
            for exemplar in cluster.exemplars {
                html += "<div class=\"exemplar\"><div><code>\(HTMLText.escape(exemplar.id))</code> \(HTMLText.escape(exemplar.name)) "
                    + "<small>cosine \(Self.decimal(exemplar.similarity, digits: 3))</small></div><pre>\(HTMLText.escape(exemplar.excerpt))</pre></div>\n"
            }
            html += "</article>\n"
        }
        return html + "</section>\n"
    }

    private func duplicatesSection(limit: Int) -> String {
        var html = "<section id=\"duplicates\"><h2>Near-duplicate groups</h2>\n"
        guard !duplicateGroups.isEmpty else { return html + "<p>None at this threshold.</p></section>\n" }
        if duplicateGroups.count > limit { html += "<p>The \(limit) largest of \(duplicateGroups.count) groups; the JSON lists all.</p>\n" }
        html += "<table><tr><th>cluster</th><th>members</th><th>lowest cosine</th><th>shared words</th><th>ids</th></tr>\n"
        for group in duplicateGroups.prefix(limit) {
            html += "<tr><td>\(group.cluster)</td><td>\(group.members.count)</td><td>\(Self.decimal(group.minimumSimilarity, digits: 3))</td>"
                + "<td>\(group.sharedTokens.map { "<code>\(HTMLText.escape($0))</code>" }.joined(separator: " "))</td>"
                + "<td class=\"ids\">\(group.members.prefix(40).map(HTMLText.escape).joined(separator: ", "))\(group.members.count > 40 ? ", …" : "")</td></tr>\n"
        }
        return html + "</table></section>\n"
    }

    private static func shareList(_ shares: [Share]) -> String {
        shares.prefix(3).map { "\(HTMLText.escape($0.name)) \($0.count)" }.joined(separator: ", ") + (shares.count > 3 ? ", …" : "")
    }

    /// Escaped text with its `word` spans shown as code (the backticks survive escaping).
    private static func withCode(_ escaped: String) -> String {
        let parts = escaped.split(separator: "`", omittingEmptySubsequences: false)
        return parts.enumerated().map { $0.offset % 2 == 1 ? "<code>\($0.element)</code>" : String($0.element) }.joined()
    }

    static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
        h1{font-size:24px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}h3{font-size:15px}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}dt{color:#666}dd{margin:0}
        table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:3px 6px;text-align:left;vertical-align:top}
        code{background:#f3f3f3;padding:0 3px;border-radius:3px}pre{background:#f7f7f7;padding:8px;overflow:auto;font-size:12px;margin:4px 0 10px}
        .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
        .legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px}
        svg .frame{fill:#fff;stroke:#ccc}svg .point{fill-opacity:.72}svg .centroid{stroke:#000;stroke-width:1.2}
        svg .axis,svg .tick,svg .centroid-label{font-size:11px;fill:#444}svg .grid{stroke:#eee}svg .whisker{stroke:#222;stroke-width:1.2}
        .ids{font-family:monospace;font-size:12px}small{color:#777}
        """
}
