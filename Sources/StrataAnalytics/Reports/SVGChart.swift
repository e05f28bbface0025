import Foundation

/// The SVG pieces the cluster report and the server's dashboard draw with: the cluster
/// palette, a bar chart with whiskers, a map's point and centroid marks, and round axis
/// ceilings. Plain strings of SVG, inline-ready: no scripts, no external assets.
public enum SVGChart {
    /// Cluster colours, cycled when k is larger: distinct hues first, then darker and lighter
    /// variants, so neighbouring cluster numbers never share a colour.
    static let palette = [
        "#1f6fb4", "#e4572e", "#2e9e44", "#8f4fc1", "#d49a0b", "#17a2a2", "#c2387a", "#6b7a0f",
        "#5a5fd6", "#a0522d", "#1b9e77", "#ef7d22", "#3c3c3c", "#b03a2e", "#7fa7d9", "#9c8f00",
        "#e08bb5", "#4f8a5b", "#b8860b", "#6a3d9a",
    ]

    /// The colour of cluster (or series) `cluster`.
    public static func colour(_ cluster: Int) -> String { palette[cluster % palette.count] }

    /// A map's marks, already placed: one `circle.point` per pattern (its id in a tooltip) and
    /// one labelled `polygon.centroid` diamond per cluster, coloured by cluster.
    public static func markers(
        points: [(id: String, cluster: Int, x: Double, y: Double)], centres: [(cluster: Int, x: Double, y: Double, title: String)],
        pointRadius: Double, centreRadius: Double
    ) -> String {
        func text(_ value: Double) -> String { ClusterReport.decimal(value, digits: 1) }
        var svg = "<g class=\"points\">\n"
        for point in points {
            svg += "<circle class=\"point\" cx=\"\(text(point.x))\" cy=\"\(text(point.y))\" r=\"\(text(pointRadius))\" fill=\"\(colour(point.cluster))\">"
                + "<title>\(HTMLText.escape(point.id)) (cluster \(point.cluster))</title></circle>\n"
        }
        svg += "</g>\n<g class=\"centroids\">\n"
        let r = centreRadius
        for centre in centres {
            let (x, y) = (centre.x, centre.y)
            let corners = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)].map { "\(text($0.0)),\(text($0.1))" }
            svg += "<polygon class=\"centroid\" points=\"\(corners.joined(separator: " "))\" fill=\"\(colour(centre.cluster))\">"
                + "<title>\(HTMLText.escape(centre.title))</title></polygon>"
                + "<text class=\"centroid-label\" x=\"\(text(x + r + 2))\" y=\"\(text(y + 4))\">\(centre.cluster)</text>\n"
        }
        return svg + "</g>\n"
    }

    /// A bar per cluster, with an optional whisker (± spread) on each bar, y from 0 to `top`.
    ///
    /// - Parameters:
    ///   - values: one per cluster, in cluster order.
    ///   - spreads: the whisker half-lengths, or `nil` for none.
    public static func barChart(id: String, label: String, values: [Double], spreads: [Double]?, top: Double,
                            format: (Double) -> String, width: Double = 760, height: Double = 240) -> String {
        let left = 48.0, bottom = 30.0, topMargin = 12.0
        let plotWidth = width - left - 12, plotHeight = height - bottom - topMargin
        let slot = plotWidth / Double(max(values.count, 1))
        let ceiling = niceCeiling(top)
        func y(_ value: Double) -> Double { topMargin + plotHeight * (1 - min(max(value / ceiling, 0), 1)) }
        func text(_ value: Double) -> String { ClusterReport.decimal(value, digits: 1) }
        var svg = """
            <svg id="\(id)" class="chart" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(HTMLText.escape(label))">

            """
        for tick in 0...4 {
            let value = ceiling * Double(tick) / 4
            svg += "<line class=\"grid\" x1=\"\(text(left))\" x2=\"\(text(width - 12))\" y1=\"\(text(y(value)))\" y2=\"\(text(y(value)))\"/>"
                + "<text class=\"tick\" x=\"\(text(left - 6))\" y=\"\(text(y(value) + 4))\" text-anchor=\"end\">\(format(value))</text>\n"
        }
        let labelEvery = max(1, values.count / 32)
        for (cluster, value) in values.enumerated() {
            let x = left + slot * Double(cluster) + slot * 0.15
            let barWidth = slot * 0.7
            svg += "<rect class=\"bar\" x=\"\(text(x))\" y=\"\(text(y(value)))\" width=\"\(text(barWidth))\" height=\"\(text(y(0) - y(value)))\" "
                + "fill=\"\(colour(cluster))\"><title>cluster \(cluster): \(format(value))"
                + (spreads.map { " ± \(format($0[cluster]))" } ?? "") + "</title></rect>\n"
            if let spreads {
                let middle = text(x + barWidth / 2)
                let low = y(value - spreads[cluster]), high = y(value + spreads[cluster])
                svg += "<line class=\"whisker\" x1=\"\(middle)\" x2=\"\(middle)\" y1=\"\(text(low))\" y2=\"\(text(high))\"/>"
                    + "<line class=\"whisker\" x1=\"\(text(x + barWidth * 0.3))\" x2=\"\(text(x + barWidth * 0.7))\" y1=\"\(text(high))\" y2=\"\(text(high))\"/>"
                    + "<line class=\"whisker\" x1=\"\(text(x + barWidth * 0.3))\" x2=\"\(text(x + barWidth * 0.7))\" y1=\"\(text(low))\" y2=\"\(text(low))\"/>\n"
            }
            if cluster % labelEvery == 0 {
                svg += "<text class=\"tick\" x=\"\(text(x + barWidth / 2))\" y=\"\(text(height - bottom + 16))\" text-anchor=\"middle\">\(cluster)</text>\n"
            }
        }
        return svg + "</svg>"
    }

    /// The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value`, so the axis ticks (quarters) are
    /// round numbers.
    public static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let power = pow(10, (log10(value)).rounded(.down))
        let step = [1, 2, 2.5, 5, 10].first { $0 * power >= value * (1 - 1e-12) } ?? 10
        return step * power
    }

    /// The extent of `values`, widened when they are all equal so scaling never divides by 0.
    public static func range(_ values: [Double]) -> (Double, Double) {
        guard let low = values.min(), let high = values.max() else { return (0, 1) }
        return high - low > 1e-9 ? (low, high) : (low - 1, high + 1)
    }
}
