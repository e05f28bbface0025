import Foundation

extension ClusterReport {
    /// The 2-D map: one `circle.point` per drawn pattern (its id in a `<title>` tooltip), one
    /// `polygon.centroid` per cluster, axes labelled with the variance each explains.
    func mapSVG(width: Double = 760, height: Double = 520) -> String {
        let margin = 36.0
        let xs = map.points.map { Double($0.x) } + map.centroids.map { Double($0.x) }
        let ys = map.points.map { Double($0.y) } + map.centroids.map { Double($0.y) }
        let (xLow, xHigh) = SVGChart.range(xs), (yLow, yHigh) = SVGChart.range(ys)
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
        svg += SVGChart.markers(
            points: map.points.map { ($0.id, $0.cluster, px($0.x), py($0.y)) },
            centres: map.centroids.enumerated().map { ($0.offset, px($0.element.x), py($0.element.y), "centroid of cluster \($0.offset) (\(clusters[$0.offset].size) patterns)") },
            pointRadius: 2.6, centreRadius: 7)
        return svg + "</svg>"
    }
}
