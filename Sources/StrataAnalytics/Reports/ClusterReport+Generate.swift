import Foundation
import StrataStore

extension ClusterReport {
    /// Reads the store's patterns (those `filter` accepts), clusters them, builds the report
    /// and, with a history, says what moved since the previous run on the same filter and
    /// records this run.
    ///
    /// A cosine store is clustered with spherical k-means (whatever `clustering.spherical`
    /// says); other metrics with k-means as configured.
    ///
    /// - Parameters:
    ///   - filter: a filter expression (``PatternFilter/init(expression:)``); empty: all.
    ///   - clustering: k (`nil`: chosen by silhouette), iterations, seed.
    ///   - history: where runs are kept; `nil` neither compares nor records.
    /// - Throws: ``AnalyticsError/store(_:)`` for a bad filter or a failing store;
    ///   ``AnalyticsError/insufficientData(what:needed:got:)`` when too few patterns match.
    public static func generate(store: PatternStore, filter: String = "", clustering: KMeansConfiguration = KMeansConfiguration(),
                                configuration: ClusterReportConfiguration = ClusterReportConfiguration(),
                                history: ClusterRunHistory? = nil) throws(AnalyticsError) -> ClusterReport {
        let expression = filter.trimmingCharacters(in: .whitespaces)
        var clock = Stopwatch()
        let snapshot: PatternSnapshot
        do {
            snapshot = try store.snapshot(PatternFilter(expression: expression))
        } catch {
            throw .store(error)
        }
        let snapshotSeconds = clock.lap()
        guard snapshot.patterns.count >= 2 else {
            throw .insufficientData(what: "patterns to cluster" + (expression.isEmpty ? "" : " matching '\(expression)'"), needed: 2, got: snapshot.patterns.count)
        }
        var settings = clustering
        if store.configuration.metric == .cosine { settings.spherical = true }
        let result = try KMeans.fit(snapshot.vectors, configuration: settings)
        let kmeansSeconds = clock.lap()

        var report = try build(snapshot: snapshot, clustering: result, filter: expression, configuration: configuration)
        report.spherical = settings.spherical
        report.seed = settings.seed
        report.timings.snapshot = snapshotSeconds
        report.timings.kmeans = kmeansSeconds
        if let history {
            _ = clock.lap()
            report.changes = try history.changes(since: report)
            report.runID = try history.record(report)
            report.timings.history = clock.lap()
        }
        return report
    }
}
