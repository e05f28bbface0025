import Foundation
import StrataAnalytics

extension DashboardPage {
    /// Days averaged by the quality trend's moving average.
    static let movingAverageDays = 7

    /// The daily mean quality of scored generations, with its moving average.
    func qualityPanel() -> String {
        panel(id: "quality-panel", title: "Quality trend",
              subtitle: "Mean quality (0–1) of the scored generations per UTC day over the last \(DashboardReader.qualityDays) days, "
                  + "and its \(Self.movingAverageDays)-day moving average weighted by the day's scored generations.",
              body: part(data.quality) { days in
                  guard !days.isEmpty else {
                      return SVG.empty(id: "quality", title: "No scored generations yet",
                                       message: "Generations recorded with a quality in the last \(DashboardReader.qualityDays) days show here.")
                          + "<p class=\"hint\">Send <code>\"quality\": 0.82</code> with each generation (<code>strata record</code> or <code>POST /v1/generations</code>).</p>"
                  }
                  return qualityChart(days)
              })
    }

    /// The moving average at each day: the scored-count-weighted mean of the days in the
    /// window ending there, or `nil` when none of them was scored.
    static func movingAverage(_ days: [DailyTrend], window: Int) -> [Double?] {
        days.indices.map { end in
            let span = days[max(0, end - window + 1)...end].filter { $0.meanQuality != nil }
            let weight = span.reduce(0) { $0 + $1.count }
            return weight == 0 ? nil : span.reduce(0.0) { $0 + $1.meanQuality! * Double($1.count) } / Double(weight)
        }
    }

    func qualityChart(_ days: [DailyTrend]) -> String {
        let qualities = days.compactMap(\.meanQuality)
        let last = Double(days.count - 1)
        // About six labelled days, counted back from today so today always has one.
        let every = max(1, Int((Double(days.count) / 6).rounded(.up)))
        let xTicks = stride(from: days.count - 1, through: 0, by: -every).map(Double.init).reversed()
        let plot = ChartPlot(
            height: 300, left: 66, right: 30,
            x: ChartScale(lower: -0.5, upper: last + 0.5, logarithmic: false, ticks: Array(xTicks)),
            y: .linear(max(0, qualities.min()! - 0.05), 1))
        let average = Self.movingAverage(days, window: Self.movingAverageDays)
        let busiest = Double(days.map(\.count).max() ?? 1)
        var svg = plot.open(id: "quality", title: "Mean quality per day and its \(Self.movingAverageDays)-day moving average",
                            description: "\(qualities.count) days with scored generations from \(format.day(days[0].day)) to \(format.day(days[days.count - 1].day)); "
                                + "latest daily mean \(DashboardFormat.number(qualities.last!)).")
        svg += SVG.legend([(.dot("#8f4fc1"), "daily mean (area ∝ scored generations)"), (.line("#8f4fc1", dashed: false), "\(Self.movingAverageDays)-day moving average")],
                          x: plot.left, y: 18)
        svg += plot.axes(xTicks: Array(xTicks), xLabel: "day (UTC)", yLabel: "mean quality (0–1)",
                         xText: { format.day(days[Int($0)].day) }, yText: { DashboardFormat.number($0, digits: 2) })
        svg += "<path class=\"daily\" d=\"\(Self.path(days.map(\.meanQuality), plot))\"/>"
        svg += "<path class=\"average\" d=\"\(Self.path(average, plot))\"/>"
        for (index, day) in days.enumerated() {
            guard let quality = day.meanQuality else { continue }
            svg += "<circle class=\"day\" cx=\"\(SVG.n(plot.px(Double(index))))\" cy=\"\(SVG.n(plot.py(quality)))\" r=\"\(SVG.n(2.5 + 3 * (Double(day.count) / busiest).squareRoot()))\">"
                + "<title>\(format.day(day.day)): mean quality \(DashboardFormat.number(quality)) over \(day.count) scored generation\(day.count == 1 ? "" : "s")"
                + (average[index].map { "; \(Self.movingAverageDays)-day average \(DashboardFormat.number($0))" } ?? "") + "</title></circle>"
        }
        return svg + "\n</svg>"
    }

    /// An SVG path through the days that have a value, lifting the pen over those that don't.
    static func path(_ values: [Double?], _ plot: ChartPlot) -> String {
        var commands: [String] = []
        var drawing = false
        for (index, value) in values.enumerated() {
            guard let value else { drawing = false; continue }
            commands.append("\(drawing ? "L" : "M")\(SVG.n(plot.px(Double(index)))) \(SVG.n(plot.py(value)))")
            drawing = true
        }
        return commands.joined(separator: " ")
    }
}
