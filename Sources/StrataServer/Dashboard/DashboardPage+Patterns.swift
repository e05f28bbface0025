import StrataAnalytics
import StrataStore

extension DashboardPage {
    /// Patterns per tier, in all and per node type: one stacked bar (hot, then cold) a row.
    func patternsPanel() -> String {
        panel(id: "patterns-panel", title: "Patterns by tier and node type",
              subtitle: "Hot patterns sit in the in-memory graph; cold ones in memory-mapped segments.",
              body: part(data.patterns) { counts in
                  guard counts.total > 0 else {
                      return SVG.empty(id: "tiers", title: "No patterns yet", message: "The store is empty: add patterns to see them per tier and node type.")
                          + "<p class=\"hint\">Add some with <code>strata import patterns.jsonl</code>, <code>strata ingest &lt;dir&gt;</code> or <code>POST /v1/patterns</code>.</p>"
                          + storeFacts(counts.stats)
                  }
                  return Self.tiersChart(counts) + storeFacts(counts.stats)
              })
    }

    /// The embedder, the tiers' sizes and the latest maintenance run.
    func storeFacts(_ stats: StoreStats) -> String {
        let segmentBytes = stats.segments.reduce(0) { $0 + $1.bytes }
        let dead = stats.segments.reduce(0) { $0 + $1.dead }
        var facts = [
            ("embedder", "\(stats.embedder), \(stats.dimension) dimensions, \(stats.metric)"),
            ("cold tier", "\(stats.segments.count) segment\(stats.segments.count == 1 ? "" : "s"), \(DashboardFormat.bytes(segmentBytes))"
                + (dead > 0 ? ", \(DashboardFormat.count(dead)) dead slots (compaction reclaims them)" : "")),
            ("hot tier", "\(DashboardFormat.bytes(stats.hotMemoryBytes)) in memory"),
            ("catalog", DashboardFormat.bytes(stats.catalogBytes)),
        ]
        if let last = stats.recentMaintenance.max(by: { $0.at < $1.at }) {
            facts.append(("last maintenance", "\(last.operation) at \(format.timestamp(last.at)) UTC" + (last.detail.isEmpty ? "" : ": \(last.detail)")))
        }
        return "<div class=\"table\"><table id=\"store-facts\">"
            + facts.map { "<tr><th>\(HTMLText.escape($0.0))</th><td>\(HTMLText.escape($0.1))</td></tr>" }.joined() + "</table></div>"
    }

    static func tiersChart(_ counts: PatternCounts) -> String {
        let rows = [PatternCounts.Row(nodeType: "all patterns", hot: counts.hot, cold: counts.cold)] + counts.byNodeType
        let rowHeight = 32.0
        let plot = ChartPlot(
            height: 34 + rowHeight * Double(rows.count) + 44, left: 112, right: 200,
            x: .linear(0, Double(counts.total)), y: ChartScale(lower: 0, upper: 1, logarithmic: false, ticks: []))
        var svg = plot.open(id: "tiers", title: "Patterns per tier and node type",
                            description: "\(counts.total) patterns: \(counts.hot) hot, \(counts.cold) cold. "
                                + counts.byNodeType.map { "\($0.nodeType): \($0.hot) hot, \($0.cold) cold" }.joined(separator: "; ") + ".")
        svg += SVG.legend([(.box(hotColour), "hot"), (.box(coldColour), "cold")], x: plot.left, y: 18)
        svg += plot.axes(xLabel: "patterns", yLabel: "", xText: { DashboardFormat.count(Int($0.rounded())) }, yText: { _ in "" })
        for (index, row) in rows.enumerated() {
            let top = plot.top + rowHeight * Double(index)
            let bar = (y: top + 7, height: rowHeight - 14)
            let name = HTMLText.escape(row.nodeType)
            svg += "<text class=\"label\" x=\"\(SVG.n(plot.left - 8))\" y=\"\(SVG.n(top + rowHeight / 2 + 4))\" text-anchor=\"end\"\(index == 0 ? " font-weight=\"700\"" : "")>\(name)</text>"
            for (tier, from, to, colour) in [("hot", 0, row.hot, hotColour), ("cold", row.hot, row.total, coldColour)] where to > from {
                let x = plot.px(Double(from))
                svg += "<rect class=\"\(tier)\" x=\"\(SVG.n(x))\" y=\"\(SVG.n(bar.y))\" width=\"\(SVG.n(max(plot.px(Double(to)) - x, 1)))\" "
                    + "height=\"\(SVG.n(bar.height))\" fill=\"\(colour)\"><title>\(name): \(to - from) \(tier)</title></rect>"
            }
            let detail = row.total == 0 ? "0" : "\(DashboardFormat.count(row.total)) (\(DashboardFormat.count(row.hot)) hot · \(DashboardFormat.count(row.cold)) cold)"
            svg += "<text class=\"value\" x=\"\(SVG.n(plot.px(Double(row.total)) + 6))\" y=\"\(SVG.n(top + rowHeight / 2 + 4))\">\(detail)</text>\n"
            if index == 0 {
                svg += "<line class=\"frame\" x1=\"\(SVG.n(plot.left))\" x2=\"\(SVG.n(plot.width - plot.right))\" y1=\"\(SVG.n(top + rowHeight))\" y2=\"\(SVG.n(top + rowHeight))\"/>"
            }
        }
        return svg + "</svg>"
    }
}
