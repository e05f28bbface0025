import Foundation

extension ClusterReport {
    /// Cluster colours, cycled when k is larger: distinct hues first, then darker and lighter
    /// variants, so neighbouring cluster numbers never share a colour.
    static let palette = [
        "#1f6fb4", "#e4572e", "#2e9e44", "#8f4fc1", "#d49a0b", "#17a2a2", "#c2387a", "#6b7a0f",
        "#5a5fd6", "#a0522d", "#1b9e77", "#ef7d22", "#3c3c3c", "#b03a2e", "#7fa7d9", "#9c8f00",
        "#e08bb5", "#4f8a5b", "#b8860b", "#6a3d9a",
    ]

    package static func colour(_ cluster: Int) -> String { palette[cluster % palette.count] }

    /// The 2-D map: one `circle.point` per drawn pattern (its id in a `<title>` tooltip), one
    /// `polygon.centroid` per cluster, axes labelled with the variance each explains.
    func mapSVG(width: Double = 760, height: Double = 520) -> String {
        let margin = 36.0
        let xs = map.points.map { Double($0.x) } + map.centroids.map { Double($0.x) }
        let ys = map.points.map { Double($0.y) } + map.centroids.map { Double($0.y) }
        let (xLow, xHigh) = Self.range(xs), (yLow, yHigh) = Self.range(ys)
        func px(_ x: Float) -> Double { margin + (Double(x) - xLow) / (xHigh - xLow) * (width - 2 * margin) }
        func py(_ y: Float) -> Double { height - margin - (Double(y) - yLow) / (yHigh - yLow) * (height - 2 * margin) }
        func text(_ value: Double) -> String { Self.decimal(value, digits: 1) }
        var svg = """
            <svg id="map" class="map" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="Patterns on the first two principal components">
            <rect class="frame" x="0.5" y="0.5" width="\(Int(width) - 1)" height="\(Int(height) - 1)"/>

            """
        let ratios = map.explainedRatios
        svg += "<text class=\"axis\" x=\"\(Int(width / 2))\" y=\"\(Int(height - 10))\" text-anchor=\"middle\">component 1"
            + (ratios.count > 0 ? " (\(Self.decimal(ratios[0] * 100, digits: 1)) % of variance)" : "") + "</text>\n"
        svg += "<text class=\"axis\" x=\"14\" y=\"\(Int(height / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(Int(height / 2)))\">component 2"
            + (ratios.count > 1 ? " (\(Self.decimal(ratios[1] * 100, digits: 1)) % of variance)" : "") + "</text>\n"
        svg += Self.markersSVG(
            points: map.points.map { ($0.id, $0.cluster, px($0.x), py($0.y)) },
            centres: map.centroids.enumerated().map { ($0.offset, px($0.element.x), py($0.element.y), "centroid of cluster \($0.offset) (\(clusters[$0.offset].size) patterns)") },
            pointRadius: 2.6, centreRadius: 7)
        return svg + "</svg>"
    }

    /// A map's marks, already placed: one `circle.point` per pattern (its id in a tooltip) and
    /// one labelled `polygon.centroid` diamond per cluster, coloured by cluster.
    package static func markersSVG(
        points: [(id: String, cluster: Int, x: Double, y: Double)], centres: [(cluster: Int, x: Double, y: Double, title: String)],
        pointRadius: Double, centreRadius: Double
    ) -> String {
        func text(_ value: Double) -> String { decimal(value, digits: 1) }
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
    package static func barChartSVG(id: String, label: String, values: [Double], spreads: [Double]?, top: Double,
                            format: (Double) -> String, width: Double = 760, height: Double = 240) -> String {
        let left = 48.0, bottom = 30.0, topMargin = 12.0
        let plotWidth = width - left - 12, plotHeight = height - bottom - topMargin
        let slot = plotWidth / Double(max(values.count, 1))
        let ceiling = niceCeiling(top)
        func y(_ value: Double) -> Double { topMargin + plotHeight * (1 - min(max(value / ceiling, 0), 1)) }
        func text(_ value: Double) -> String { decimal(value, digits: 1) }
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
    package static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let power = pow(10, (log10(value)).rounded(.down))
        let step = [1, 2, 2.5, 5, 10].first { $0 * power >= value * (1 - 1e-12) } ?? 10
        return step * power
    }

    /// The extent of `values`, widened when they are all equal so scaling never divides by 0.
    package static func range(_ values: [Double]) -> (Double, Double) {
        guard let low = values.min(), let high = values.max() else { return (0, 1) }
        return high - low > 1e-9 ? (low, high) : (low - 1, high + 1)
    }
}
