import Foundation
import StrataAnalytics

extension DashboardPage {
    /// Mean quality against mean cost per generation, one point per model, and the models'
    /// figures in a table.
    func modelsPanel() -> String {
        panel(id: "models-panel", title: "Quality against cost per model",
              subtitle: "Mean quality (0–1) and mean cost per generation over every recorded generation; up and to the left is better.",
              body: part(data.models) { models in
                  guard !models.isEmpty else {
                      return SVG.empty(id: "models", title: "No generations yet", message: "Record generations to compare the models' quality and cost.")
                          + "<p class=\"hint\">Record them with <code>strata record generations.jsonl</code> or <code>POST /v1/generations</code>.</p>"
                  }
                  let scored = models.filter { $0.meanQuality != nil }
                  let chart = scored.isEmpty
                      ? SVG.empty(id: "models", title: "No scored generations yet", message: "A model is placed once some of its generations carry a quality (0–1).")
                      : Self.modelsChart(scored, colours: Dictionary(uniqueKeysWithValues: models.enumerated().map { ($1.model ?? "", SVGChart.colour($0)) }))
                  return chart + Self.modelsTable(models)
              })
    }

    static func modelsChart(_ models: [ModelStatistics], colours: [String: String]) -> String {
        let qualities = models.map { $0.meanQuality! }
        let low = models.map { $0.meanQuality! - ($0.qualityStandardDeviation ?? 0) }.min()!
        let plot = ChartPlot(
            height: 320, right: 120,
            x: .fromZeroOrDecades(models.map(\.meanCost)), y: .linear(max(0, min(low, qualities.min()! - 0.05)), 1))
        let largest = Double(models.map(\.count).max()!)
        var svg = plot.open(id: "models", title: "Mean quality against mean cost per generation, per model",
                            description: models.map { "\($0.model ?? "?"): quality \(DashboardFormat.number($0.meanQuality!)), \(DashboardFormat.dollars($0.meanCost)) per generation, \($0.count) generations" }
                                .joined(separator: "; "))
        svg += SVG.legend([(.dot("#98a2b3"), "a model (area ∝ generations)"), (.line("#667085", dashed: false), "± 1 sd of quality")], x: plot.left, y: 18)
        svg += plot.axes(xLabel: "mean cost per generation (USD\(plot.x.logarithmic ? ", log scale" : ""))", yLabel: "mean quality (0–1)",
                         xText: DashboardFormat.dollars, yText: { DashboardFormat.number($0, digits: plot.y.ticks.count > 1 && (plot.y.ticks[1] - plot.y.ticks[0]) < 0.1 ? 2 : 1) })
        // Largest first, so the small points are drawn on top.
        for model in models.sorted(by: { $0.count > $1.count }) {
            let name = model.model ?? "?"
            let quality = model.meanQuality!
            let x = plot.px(model.meanCost), y = plot.py(quality)
            let radius = 4 + 9 * (Double(model.count) / largest).squareRoot()
            let colour = colours[name] ?? SVGChart.colour(0)
            if let spread = model.qualityStandardDeviation {
                svg += "<line class=\"spread\" x1=\"\(SVG.n(x))\" x2=\"\(SVG.n(x))\" y1=\"\(SVG.n(plot.py(quality - spread)))\" y2=\"\(SVG.n(plot.py(quality + spread)))\"/>"
            }
            svg += "<circle class=\"model\" cx=\"\(SVG.n(x))\" cy=\"\(SVG.n(y))\" r=\"\(SVG.n(radius))\" fill=\"\(colour)\" fill-opacity=\".8\" stroke=\"#fff\">"
                + "<title>\(HTMLText.escape(name)): quality \(DashboardFormat.number(quality)), \(DashboardFormat.dollars(model.meanCost)) per generation, "
                + "\(model.count) generations</title></circle>"
            let onLeft = x + radius + 8 + Double(min(name.count, 28)) * 6.3 > plot.width
            svg += "<text class=\"label\" x=\"\(SVG.n(onLeft ? x - radius - 4 : x + radius + 4))\" y=\"\(SVG.n(y + 4))\"\(onLeft ? " text-anchor=\"end\"" : "")>"
                + "\(HTMLText.escape(DashboardFormat.shortened(name, limit: 28)))</text>\n"
        }
        return svg + "</svg>"
    }

    static func modelsTable(_ models: [ModelStatistics]) -> String {
        var html = "<div class=\"table\"><table id=\"model-table\"><tr><th>model</th><th class=\"num\">generations</th><th class=\"num\">success</th>"
            + "<th class=\"num\">quality</th><th class=\"num\">mean cost</th><th class=\"num\">total cost</th><th class=\"num\">p95 latency</th></tr>\n"
        for (index, model) in models.enumerated() {
            let quality = model.meanQuality.map { DashboardFormat.number($0) + (model.qualityStandardDeviation.map { " ± " + DashboardFormat.number($0) } ?? "") } ?? "—"
            html += "<tr><td><span class=\"swatch\" style=\"background:\(SVGChart.colour(index))\"></span>\(HTMLText.escape(model.model ?? "?"))</td>"
                + "<td class=\"num\">\(DashboardFormat.count(model.count))</td><td class=\"num\">\(DashboardFormat.percent(model.successRate))</td>"
                + "<td class=\"num\">\(quality)</td><td class=\"num\">\(DashboardFormat.dollars(model.meanCost))</td>"
                + "<td class=\"num\">\(DashboardFormat.dollars(model.totalCost))</td><td class=\"num\">\(DashboardFormat.number(model.latency.p95, digits: 2)) s</td></tr>\n"
        }
        return html + "</table></div>"
    }
}
