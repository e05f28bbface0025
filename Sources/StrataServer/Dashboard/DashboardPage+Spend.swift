import Foundation
import StrataAnalytics

extension DashboardPage {
    /// The period's cumulative spend, the forecast of its end with the interval, and the
    /// budget's limit; then every budget's standing.
    func spendPanel() -> String {
        panel(id: "spend-panel", title: "Spend this period",
              subtitle: "Cumulative spend (USD) of the budget nearest its limit, the forecast of the period's end with its interval, and the budget line. Days in UTC.",
              body: part(data.spend) { spend in
                  let standing = spend.charted
                  guard standing.budget != nil || standing.spent > 0 else {
                      return SVG.empty(id: "spend", title: "No spend this month yet", message: "Recorded generations with a cost (or a price for their model) show here.")
                          + "<p class=\"hint\">Record generations with <code>strata record</code> or <code>POST /v1/generations</code>; "
                          + "set a budget with <code>strata budget set --project P --period month --limit 100</code>.</p>"
                  }
                  var body = spendChart(standing) + "<p class=\"hint\">\(HTMLText.escape(Self.spendSummary(standing)))</p>"
                  if spend.budgets.isEmpty {
                      body += "<p class=\"hint\">No budget set: the chart shows every project's spend this month. "
                          + "Set one with <code>strata budget set --project P --period month --limit 100</code>.</p>"
                  } else {
                      body += Self.budgetsTable(spend.budgets)
                  }
                  return body
              })
    }

    func spendChart(_ standing: SpendStanding) -> String {
        let period = standing.period
        let now = min(data.now.timeIntervalSince(period.start), period.duration)
        let limit = standing.budget?.limit
        let top = max(standing.spent, standing.forecast.expected, limit ?? 0) * 1.12
        let days = Int((period.duration / 86_400).rounded())
        let tickDays = days <= 1 ? [] : days <= 7 ? Array(0...days) : Array(stride(from: 0, through: days - 1, by: 7))
        let xTicks = days <= 1 ? stride(from: 0.0, through: 86_400, by: 21_600).map { $0 } : tickDays.map { Double($0) * 86_400 }
        let plot = ChartPlot(
            height: 300, right: 96,
            x: ChartScale(lower: 0, upper: period.duration, logarithmic: false, ticks: xTicks), y: .linear(0, top > 0 ? top : 1))
        func point(_ seconds: Double, _ dollars: Double) -> String { "\(SVG.n(plot.px(seconds))),\(SVG.n(plot.py(dollars)))" }

        let who = standing.budget.map { "\($0.project), \($0.period.rawValue) budget \(DashboardFormat.dollars($0.limit))" } ?? "every project, this month"
        var svg = plot.open(id: "spend", title: "Cumulative spend this period: \(who)", description: Self.spendSummary(standing))
        var legend: [(mark: LegendMark, label: String)] = [(.line("#1f6fb4", dashed: false), "spent"), (.line("#1f6fb4", dashed: true), "forecast"),
                                                            (.box("#1f6fb433"), "\(Int(standing.forecast.confidence * 100)) % interval")]
        if limit != nil { legend.append((.line("#c0392b", dashed: true), "budget")) }
        svg += SVG.legend(legend, x: plot.left, y: 18)
        svg += plot.axes(xTicks: xTicks, xLabel: "\(format.day(period.start)) – \(format.day(period.end.addingTimeInterval(-1))) (UTC)", yLabel: "cumulative spend (USD)",
                         xText: { days <= 1 ? format.hour(period.start.addingTimeInterval($0)) : days <= 7 ? format.weekday(period.start.addingTimeInterval($0)) : format.day(period.start.addingTimeInterval($0)) },
                         yText: DashboardFormat.dollars)
        let forecast = standing.forecast
        svg += "<polygon class=\"band\" points=\"\(point(now, standing.spent)) \(point(period.duration, forecast.high)) \(point(period.duration, forecast.low))\">"
            + "<title>\(Int(forecast.confidence * 100)) % interval: \(DashboardFormat.dollars(forecast.low)) to \(DashboardFormat.dollars(forecast.high))</title></polygon>"
        svg += "<line class=\"forecast\" x1=\"\(SVG.n(plot.px(now)))\" y1=\"\(SVG.n(plot.py(standing.spent)))\" x2=\"\(SVG.n(plot.px(period.duration)))\" y2=\"\(SVG.n(plot.py(forecast.expected)))\"/>"
        svg += "<text class=\"value\" x=\"\(SVG.n(plot.px(period.duration) + 6))\" y=\"\(SVG.n(plot.py(forecast.expected) + 4))\">\(DashboardFormat.dollars(forecast.expected))</text>"
        if let limit {
            let y = SVG.n(plot.py(limit))
            svg += "<line class=\"budget\" x1=\"\(SVG.n(plot.left))\" x2=\"\(SVG.n(plot.px(period.duration)))\" y1=\"\(y)\" y2=\"\(y)\"><title>budget \(DashboardFormat.dollars(limit))</title></line>"
                // At the left end, clear of the forecast's label at the right.
                + "<text class=\"value\" x=\"\(SVG.n(plot.left + 6))\" y=\"\(SVG.n(plot.py(limit) - 5))\" style=\"fill:#c0392b\">limit \(DashboardFormat.dollars(limit))</text>"
        }
        var running = 0.0
        var points = [point(0, 0)]
        for (day, dollars) in standing.daily.enumerated() {
            running += dollars
            points.append(point(min(Double(day + 1) * 86_400, now), running))
        }
        svg += "<line class=\"now\" x1=\"\(SVG.n(plot.px(now)))\" x2=\"\(SVG.n(plot.px(now)))\" y1=\"\(SVG.n(plot.top))\" y2=\"\(SVG.n(plot.top + plot.plotHeight))\"/>"
        svg += "<polyline class=\"spent\" points=\"\(points.joined(separator: " "))\"/>"
        svg += "<circle class=\"spent-now\" cx=\"\(SVG.n(plot.px(now)))\" cy=\"\(SVG.n(plot.py(standing.spent)))\" r=\"4\" fill=\"#1f6fb4\">"
            + "<title>spent so far: \(DashboardFormat.dollars(standing.spent))</title></circle>"
        svg += "<text class=\"value\" x=\"\(SVG.n(plot.px(now) - 6))\" y=\"\(SVG.n(plot.py(standing.spent) - 9))\" text-anchor=\"end\">\(DashboardFormat.dollars(standing.spent))</text>\n"
        return svg + "</svg>"
    }

    /// One sentence: whose spend, how much of the limit, and the forecast with its method.
    static func spendSummary(_ standing: SpendStanding) -> String {
        let forecast = standing.forecast
        let method = forecast.method == .linearTrend
            ? "linear trend over \(forecast.daysObserved) complete days"
            : "rough: run rate over \(forecast.daysObserved) complete day\(forecast.daysObserved == 1 ? "" : "s")"
        let head = standing.budget.map { "\($0.project): spent \(DashboardFormat.dollars(standing.spent)) of \(DashboardFormat.dollars($0.limit)) per \($0.period.rawValue) (\(DashboardFormat.percent(standing.fraction ?? 0)))" }
            ?? "Every project: spent \(DashboardFormat.dollars(standing.spent)) this month"
        return head + "; forecast for the period's end \(DashboardFormat.dollars(forecast.expected)) "
            + "(\(Int(forecast.confidence * 100)) % interval \(DashboardFormat.dollars(forecast.low))–\(DashboardFormat.dollars(forecast.high)); \(method))"
            + (standing.forecastOverLimit ? ", over the limit." : ".")
    }

    static func budgetsTable(_ budgets: [SpendStanding]) -> String {
        var html = "<div class=\"table\"><table id=\"budget-table\"><tr><th>project</th><th>period</th><th class=\"num\">limit</th><th class=\"num\">spent</th>"
            + "<th class=\"num\">used</th><th class=\"num\">forecast</th><th>alert</th></tr>\n"
        for standing in budgets {
            guard let budget = standing.budget else { continue }
            let (level, label): (String, String) = switch standing.level {
            case .none: ("none", "under 50 %")
            case .half: ("half", "50 % reached")
            case .fourFifths: ("fourFifths", "80 % reached")
            case .exhausted: ("exhausted", "limit reached")
            }
            let scope = budget.environment.map { " (\(HTMLText.escape($0)))" } ?? ""
            html += "<tr><td>\(HTMLText.escape(budget.project))\(scope)</td><td>\(budget.period.rawValue)</td><td class=\"num\">\(DashboardFormat.dollars(budget.limit))</td>"
                + "<td class=\"num\">\(DashboardFormat.dollars(standing.spent))</td><td class=\"num\">\(DashboardFormat.percent(standing.fraction ?? 0))</td>"
                + "<td class=\"num\">\(DashboardFormat.dollars(standing.forecast.expected))</td><td><span class=\"badge \(level)\">\(label)</span>"
                + (standing.forecastOverLimit && standing.level != .exhausted ? " <span class=\"badge over\">forecast over</span>" : "") + "</td></tr>\n"
        }
        return html + "</table></div>"
    }
}
