import Foundation
import Logging
import StrataAnalytics
import StrataStore

/// Reads what the dashboard shows (``DashboardData``) from the store, the tracker and the
/// cluster run history.
struct DashboardReader: Sendable {
    let store: PatternStore
    let tracker: PerformanceTracker
    let clusterRuns: ClusterRuns
    /// The store's folder, shown in the page's header.
    let storeDirectory: String
    let logger: Logger
    /// The service's alerting, shown in its own panel when there is one.
    var alerts: AlertEngine? = nil

    /// The generations listed in the dashboard's feed.
    static let feedLength = 15
    /// Days the quality trend looks back over, today included.
    static let qualityDays = 30

    /// Reads what the dashboard shows, each part on its own (see ``DashboardData``); the feed
    /// and the quality trend of `environment` only, when one is given.
    func read(now: Date = Date(), environment: String? = nil) -> DashboardData {
        DashboardData(
            now: now, store: storeDirectory, environment: environment,
            patterns: part("patterns") { try patterns() },
            feed: part("feed") {
                GenerationFeed(total: try tracker.count(), latest: try tracker.records(matching: RecordQuery(environment: environment, limit: Self.feedLength)))
            },
            models: part("models") { try tracker.statistics(groupBy: [.model]) },
            spend: part("spend") { try spend(now: now) },
            quality: part("quality") { try quality(now: now, environment: environment) },
            clusters: part("clusters") { try clusters() },
            alerts: alerts.map { ($0.rules, $0.notices) })
    }

    /// One panel's data, or the answer its failure would get (the panel shows it).
    private func part<T>(_ name: String, _ read: () throws -> T) -> Result<T, ServerError> {
        do {
            return .success(try read())
        } catch {
            logger.warning("dashboard panel could not be read", metadata: ["panel": "\(name)", "error": "\(error)"])
            return .failure(ServerError(answering: error))
        }
    }

    private func patterns() throws(StoreError) -> PatternCounts {
        let stats = try store.stats()
        let rows = try NodeType.allCases.map { type throws(StoreError) in
            let total = stats.byNodeType[type.rawValue] ?? 0
            var hotOnly = PatternFilter()
            hotOnly.nodeTypes = [type]
            hotOnly.tiers = [.hot]
            let hot = total == 0 ? 0 : try store.count(hotOnly)
            // Writes between the two reads can make the counts disagree by a few: never below 0.
            return PatternCounts.Row(nodeType: type.rawValue, hot: min(hot, total), cold: max(total - hot, 0))
        }
        return PatternCounts(stats: stats, byNodeType: rows)
    }

    /// Every budget's standing, and the one to chart: the budget the forecast puts nearest
    /// to (or furthest past) its limit, or without budgets the month's spend.
    private func spend(now: Date) throws(AnalyticsError) -> SpendOverview {
        let budgets = try tracker.budgets.all().map { budget throws(AnalyticsError) in
            try standing(budget: budget, project: budget.project, period: budget.period, now: now)
        }
        let pressing = budgets.max { ($0.forecastFraction ?? 0) < ($1.forecastFraction ?? 0) }
        if let pressing { return SpendOverview(charted: pressing, budgets: budgets) }
        return SpendOverview(charted: try standing(budget: nil, project: nil, period: .month, now: now), budgets: budgets)
    }

    /// The spend of `project` (nil: every project) in the `period` containing `now`, and its
    /// forecast, the way ``BudgetLedger/status(project:at:)`` computes them but without
    /// recording alerts: looking at the dashboard must not use up `strata budget status`'s news.
    private func standing(budget: Budget?, project: String?, period: BudgetPeriod, now: Date) throws(AnalyticsError) -> SpendStanding {
        let interval = period.interval(containing: now)
        let elapsed = now.timeIntervalSince(interval.start) / 86_400
        let completedDays = Int(elapsed.rounded(.down))
        var daily = [Double](repeating: 0, count: completedDays + 1)
        for day in try tracker.dailyTrends(filter: RecordQuery(project: project, environment: budget?.environment, from: interval.start, to: now)) {
            let index = Int((day.day.timeIntervalSince(interval.start) / 86_400).rounded())
            if daily.indices.contains(index) { daily[index] += day.cost }
        }
        let forecast = SpendForecast.project(
            dailySpend: Array(daily[..<completedDays]), spentToday: daily[completedDays],
            dayFraction: elapsed - Double(completedDays), periodDays: Int((interval.duration / 86_400).rounded()))
        return SpendStanding(budget: budget, period: interval, daily: daily, spent: daily.reduce(0, +), forecast: forecast)
    }

    /// Daily quality over the last ``qualityDays`` days, starting at the first day with a
    /// score (but showing a week at least); empty when nothing was scored.
    private func quality(now: Date, environment: String?) throws(AnalyticsError) -> [DailyTrend] {
        let today = BudgetPeriod.day.interval(containing: now).start
        let from = today.addingTimeInterval(-Double(Self.qualityDays - 1) * 86_400)
        let days = try tracker.dailyTrends(filter: RecordQuery(environment: environment, from: from, to: now, scoredOnly: true))
        guard let first = days.firstIndex(where: { $0.meanQuality != nil }) else { return [] }
        return Array(days[min(first, max(days.count - 7, 0))...])
    }

    /// The newest clustering run, with its map when one can be drawn; `nil` when the store
    /// was never clustered.
    func clusters() throws -> ClusterRunView? {
        let latest = try clusterRuns.withHistory { history throws(AnalyticsError) in try history.runs(limit: 1).first }
        guard let run = latest else { return nil }
        if let map = ClusterProjection.cached(store: storeDirectory, run: run.id) {
            return ClusterRunView(run: run, map: map)
        }
        let (centroids, assignments) = try clusterRuns.withHistory { history throws(AnalyticsError) in
            (try history.centroids(run: run.id), try history.assignments(run: run.id))
        }
        var ids: [String] = [], clusters: [Int] = [], vectors: [Float] = []
        var missing = 0
        for id in ClusterProjection.sample(Array(assignments.keys), limit: ClusterProjection.sampleLimit) {
            let vector: [Float]
            do {
                vector = try store.vector(id: id)
            } catch {
                // Deleted since the run: the run still counts it, the map leaves it off.
                if case .unknownID = error { missing += 1; continue }
                throw error
            }
            guard vector.count == run.dimension else {
                return ClusterRunView(run: run, map: nil, mapProblem:
                    "the store's vectors now have \(vector.count) dimensions and the run's \(run.dimension) (re-embedded since?): cluster again to draw the map")
            }
            ids.append(id)
            clusters.append(Int(assignments[id]!))
            vectors += ClusterProjection.unit(vector)
        }
        guard ids.count >= 2, centroids.count == run.k * run.dimension else {
            return ClusterRunView(run: run, map: nil, mapProblem:
                "fewer than two of the run's patterns are still in the store: cluster again to draw the map")
        }
        let map = try ClusterProjection.fit(
            ids: ids, clusters: clusters, vectors: vectors, centroids: centroids, dimension: run.dimension, assigned: assignments.count, missing: missing)
        ClusterProjection.cache(map, store: storeDirectory, run: run.id)
        return ClusterRunView(run: run, map: map)
    }
}
