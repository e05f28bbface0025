import Foundation
import StrataAnalytics

extension DashboardPage {
    /// The latest clustering run: its patterns on a plane when the map can be drawn, and its
    /// cluster sizes.
    func clustersPanel() -> String {
        panel(id: "clusters-panel", title: "Latest cluster map",
              subtitle: "The newest k-means run the store recorded, drawn from what the run kept (each pattern's cluster) "
                  + "on the first two principal components of the patterns' vectors; ◆ marks the centre of each cluster. Hover a point for its id.",
              wide: true,
              body: part(data.clusters) { view in
                  guard let view else {
                      return SVG.empty(id: "clusters", title: "No cluster run yet", message: "Cluster the store to see its patterns grouped on a map.")
                          + "<p class=\"hint\">Run <code>strata cluster --k 8 --html report.html</code> or send <code>POST /v1/clusters</code> with "
                          + "<code>{\"k\": 8}</code> (omit k to have it chosen by silhouette); each run is kept and the newest shows here.</p>"
                  }
                  return clusterRun(view)
              })
    }

    private func clusterRun(_ view: ClusterRunView) -> String {
        let run = view.run
        let map: String
        if let projection = view.map {
            map = Self.clusterMap(projection, run: run)
        } else {
            map = SVG.empty(id: "clusters", title: "The map cannot be drawn", message: "The cluster sizes of the run are on the right.")
                + "<p class=\"hint\">\(HTMLText.escape(view.mapProblem ?? ""))</p>"
        }
        let sizes = SVGChart.barChart(
            id: "cluster-sizes", label: "Patterns per cluster in run \(run.id)", values: run.sizes.map(Double.init), spreads: nil,
            top: Double(run.sizes.max() ?? 1), format: { DashboardFormat.count(Int($0.rounded())) }, width: 640, height: 260)
        // Each cluster drills down to its patterns in the explorer.
        let legend = run.sizes.enumerated().map {
            "<li><a href=\"/explore/clusters/\(run.id)/\($0.offset)\"><span class=\"swatch\" style=\"background:\(SVGChart.colour($0.offset))\"></span>\($0.offset) (\(DashboardFormat.count($0.element)))</a></li>"
        }
        var facts = [
            ("run", "#\(run.id), \(format.timestamp(run.createdAt)) UTC"), ("patterns", DashboardFormat.count(run.n)), ("clusters", "\(run.k)"),
            ("filter", run.filter.isEmpty ? "(all patterns)" : run.filter), ("k-means", "\(run.spherical ? "spherical, " : "")inertia \(DashboardFormat.number(run.inertia, digits: 3))"),
        ]
        if let silhouette = run.silhouette { facts.append(("silhouette", DashboardFormat.number(silhouette, digits: 3) + " (k chosen by silhouette)")) }
        if let projection = view.map, projection.points.count < projection.assigned {
            facts.append(("map", "\(DashboardFormat.count(projection.points.count)) of \(DashboardFormat.count(projection.assigned)) patterns drawn"
                + (projection.missing > 0 ? "; \(projection.missing) sampled patterns deleted since the run are left off" : "")))
        }
        return "<div class=\"columns\"><div>\(map)</div><div><h3 class=\"sub\">Patterns per cluster</h3>\(sizes)"
            + "<ul class=\"legend-list\" id=\"cluster-legend\">\(legend.joined())</ul><table id=\"cluster-facts\">"
            + facts.map { "<tr><th>\(HTMLText.escape($0.0))</th><td>\(HTMLText.escape($0.1))</td></tr>" }.joined()
            + "</table><p class=\"hint\">The full report (exemplars, distinctive words, near-duplicates) comes from <code>strata cluster --html report.html</code>.</p></div></div>"
    }

    static func clusterMap(_ projection: ClusterProjection, run: ClusterRunRecord) -> String {
        let xs = projection.points.map { Double($0.x) } + projection.centroids.map { Double($0.x) }
        let ys = projection.points.map { Double($0.y) } + projection.centroids.map { Double($0.y) }
        func padded(_ range: (Double, Double)) -> ChartScale {
            let pad = (range.1 - range.0) * 0.04
            return ChartScale(lower: range.0 - pad, upper: range.1 + pad, logarithmic: false, ticks: [])
        }
        let plot = ChartPlot(height: 460, left: 30, right: 12, top: 12, bottom: 32, x: padded(SVGChart.range(xs)), y: padded(SVGChart.range(ys)))
        let ratios = projection.explainedRatios
        func axis(_ index: Int) -> String {
            "component \(index + 1)" + (ratios.count > index ? " (\(DashboardFormat.number(ratios[index] * 100, digits: 1)) % of variance)" : "")
        }
        var svg = plot.open(id: "clusters", title: "Patterns of cluster run \(run.id) on two principal components",
                            description: "\(projection.points.count) patterns in \(run.k) clusters; sizes " + run.sizes.map(String.init).joined(separator: ", ") + ".")
        svg += plot.axes(xLabel: axis(0), yLabel: axis(1), xText: { _ in "" }, yText: { _ in "" })
        svg += SVGChart.markers(
            points: projection.points.map { ($0.id, $0.cluster, plot.px(Double($0.x)), plot.py(Double($0.y))) },
            centres: projection.centroids.enumerated().map { cluster, centre in
                (cluster, plot.px(Double(centre.x)), plot.py(Double(centre.y)),
                 "centre of cluster \(cluster) (\(run.sizes.indices.contains(cluster) ? run.sizes[cluster] : 0) patterns)")
            },
            pointRadius: 3, centreRadius: 8)
        return svg + "</svg>"
    }
}
