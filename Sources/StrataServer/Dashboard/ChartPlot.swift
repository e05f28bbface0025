import Foundation
import StrataAnalytics

/// The plot area of one dashboard chart: an SVG canvas with margins for the tick labels, the
/// axis titles and a legend, and the two scales that place data inside it.
///
/// Every chart is an inline `<svg class="chart">` with a `viewBox`, so the page's CSS can
/// stretch it to its panel; coordinates are in that box's units.
struct ChartPlot {
    /// The canvas, in viewBox units.
    var width = 640.0
    var height = 300.0
    /// Room for the y tick labels and the y axis title.
    var left = 66.0
    var right = 22.0
    /// Room for the legend.
    var top = 34.0
    /// Room for the x tick labels and the x axis title.
    var bottom = 46.0
    var x: ChartScale
    var y: ChartScale

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }

    /// The canvas x of a data value.
    func px(_ value: Double) -> Double { left + x.position(value) * plotWidth }
    /// The canvas y of a data value (up is larger).
    func py(_ value: Double) -> Double { top + (1 - y.position(value)) * plotHeight }

    /// The opening `<svg>` tag with the chart's accessible title and description.
    func open(id: String, title: String, description: String) -> String {
        SVG.open(id: id, width: width, height: height, title: title, description: description)
    }

    /// Horizontal and vertical grid lines at the ticks, their labels, the frame and both axis
    /// titles.
    ///
    /// - Parameters:
    ///   - xTicks: the x values to label, or `nil` for the scale's own ticks.
    ///   - xLabel: the title under the x axis, with its unit.
    ///   - yLabel: the title beside the y axis, with its unit.
    ///   Either title may be empty, for none.
    func axes(xTicks: [Double]? = nil, xLabel: String, yLabel: String, xText: (Double) -> String, yText: (Double) -> String) -> String {
        var svg = "<g class=\"axes\">"
        for tick in y.ticks {
            let at = SVG.n(py(tick))
            svg += "<line class=\"grid\" x1=\"\(SVG.n(left))\" x2=\"\(SVG.n(width - right))\" y1=\"\(at)\" y2=\"\(at)\"/>"
                + "<text class=\"tick\" x=\"\(SVG.n(left - 6))\" y=\"\(SVG.n(py(tick) + 4))\" text-anchor=\"end\">\(HTMLText.escape(yText(tick)))</text>"
        }
        for tick in xTicks ?? x.ticks {
            let at = SVG.n(px(tick))
            svg += "<line class=\"grid\" x1=\"\(at)\" x2=\"\(at)\" y1=\"\(SVG.n(top))\" y2=\"\(SVG.n(height - bottom))\"/>"
                + "<text class=\"tick\" x=\"\(at)\" y=\"\(SVG.n(height - bottom + 16))\" text-anchor=\"middle\">\(HTMLText.escape(xText(tick)))</text>"
        }
        svg += "<rect class=\"frame\" x=\"\(SVG.n(left))\" y=\"\(SVG.n(top))\" width=\"\(SVG.n(plotWidth))\" height=\"\(SVG.n(plotHeight))\"/>"
        if !xLabel.isEmpty {
            svg += "<text class=\"axis-label\" x=\"\(SVG.n(left + plotWidth / 2))\" y=\"\(SVG.n(height - 8))\" text-anchor=\"middle\">\(HTMLText.escape(xLabel))</text>"
        }
        if !yLabel.isEmpty {
            let middle = SVG.n(top + plotHeight / 2)
            svg += "<text class=\"axis-label\" x=\"14\" y=\"\(middle)\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(middle))\">\(HTMLText.escape(yLabel))</text>"
        }
        return svg + "</g>\n"
    }
}

/// How a legend entry is drawn.
enum LegendMark {
    /// A filled square: bars and areas.
    case box(String)
    /// A stroke, solid or dashed: lines.
    case line(String, dashed: Bool)
    /// A filled circle: points.
    case dot(String)
}

/// The SVG pieces every dashboard chart shares.
enum SVG {
    /// A coordinate with one decimal, the precision a screen needs.
    static func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    /// `<svg id class viewBox role="img">` with a `<title>` and `<desc>` it is labelled by.
    static func open(id: String, width: Double, height: Double, title: String, description: String, extraClass: String = "") -> String {
        "<svg id=\"\(id)\" class=\"chart\(extraClass.isEmpty ? "" : " " + extraClass)\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">"
            + "<title id=\"\(id)-title\">\(HTMLText.escape(title))</title><desc id=\"\(id)-desc\">\(HTMLText.escape(description))</desc>\n"
    }

    /// A chart with nothing to draw yet: its dashed frame and a message in the middle, under
    /// the same id the drawn chart has, so the page's layout does not jump when data arrives.
    static func empty(id: String, title: String, message: String, width: Double = 640, height: Double = 220) -> String {
        open(id: id, width: width, height: height, title: title, description: message, extraClass: "empty")
            + "<rect class=\"frame\" x=\"1\" y=\"1\" width=\"\(Int(width) - 2)\" height=\"\(Int(height) - 2)\" rx=\"8\"/>"
            + "<text class=\"empty-title\" x=\"\(SVG.n(width / 2))\" y=\"\(SVG.n(height / 2 - 4))\" text-anchor=\"middle\">\(HTMLText.escape(title))</text>"
            + "<text class=\"empty-message\" x=\"\(SVG.n(width / 2))\" y=\"\(SVG.n(height / 2 + 18))\" text-anchor=\"middle\">\(HTMLText.escape(message))</text>"
            + "</svg>"
    }

    /// A row of legend entries starting at (`x`, `y`), each a mark and its label.
    static func legend(_ entries: [(mark: LegendMark, label: String)], x: Double, y: Double) -> String {
        var svg = "<g class=\"legend\">"
        var at = x
        for (mark, label) in entries {
            switch mark {
            case let .box(colour):
                svg += "<rect x=\"\(n(at))\" y=\"\(n(y - 9))\" width=\"12\" height=\"10\" rx=\"2\" fill=\"\(colour)\"/>"
            case let .line(colour, dashed):
                svg += "<line x1=\"\(n(at))\" x2=\"\(n(at + 14))\" y1=\"\(n(y - 4))\" y2=\"\(n(y - 4))\" stroke=\"\(colour)\" stroke-width=\"2.2\""
                    + (dashed ? " stroke-dasharray=\"5 3\"" : "") + "/>"
            case let .dot(colour):
                svg += "<circle cx=\"\(n(at + 6))\" cy=\"\(n(y - 4))\" r=\"4.5\" fill=\"\(colour)\"/>"
            }
            svg += "<text class=\"legend-label\" x=\"\(n(at + 19))\" y=\"\(n(y))\">\(HTMLText.escape(label))</text>"
            // About 6.3 units a character at the legend's 11 px.
            at += 19 + Double(label.count) * 6.3 + 16
        }
        return svg + "</g>\n"
    }
}
