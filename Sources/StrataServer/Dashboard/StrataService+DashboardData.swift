import Foundation
import StrataAnalytics
import StrataStore

extension StrataService {
    /// The generations listed in the dashboard's feed.
    package static let dashboardFeedLength = 15
    /// Days the quality trend looks back over, today included.
    static let dashboardQualityDays = 30

    /// Reads what the dashboard shows, each part on its own (see ``DashboardData``).
    func dashboardData(now: Date = Date()) -> DashboardData {
        DashboardData(
            now: now, store: configuration.store,
            patterns: dashboardPart("patterns") { () throws(ServerError) in try dashboardPatterns() },
            feed: dashboardPart("feed") { () throws(ServerError) in
                try analyticsCall { () throws(AnalyticsError) in
                    GenerationFeed(total: try tracker.count(), latest: try tracker.records(matching: RecordQuery(limit: Self.dashboardFeedLength)))
                }
            },
            models: dashboardPart("models") { () throws(ServerError) in
                try analyticsCall { () throws(AnalyticsError) in try tracker.statistics(groupBy: [.model]) }
            },
            spend: dashboardPart("spend") { () throws(ServerError) in try dashboardSpend(now: now) },
            quality: dashboardPart("quality") { () throws(ServerError) in try dashboardQuality(now: now) },
            clusters: dashboardPart("clusters") { () throws(ServerError) in try dashboardClusters() })
    }

    private func dashboardPart<T>(_ name: String, _ read: () throws(ServerError) -> T) -> Result<T, ServerError> {
        do {
            return .success(try read())
        } catch {
            logger.warning("dashboard panel could not be read", metadata: ["panel": "\(name)", "error": "\(error)"])
            return .failure(error)
        }
    }

    private func dashboardPatterns() throws(ServerError) -> PatternCounts {
        try storeCall { () throws(StoreError) in
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
    }

    /// Every budget's standing, and the one to chart: the budget the forecast puts nearest
    /// to (or furthest past) its limit, or without budgets the month's spend.
    private func dashboardSpend(now: Date) throws(ServerError) -> SpendOverview {
        try analyticsCall { () throws(AnalyticsError) in
            let budgets = try tracker.budgets.all().map { budget throws(AnalyticsError) in
                try standing(budget: budget, project: budget.project, period: budget.period, now: now)
            }
            let pressing = budgets.max { ($0.forecastFraction ?? 0) < ($1.forecastFraction ?? 0) }
            if let pressing { return SpendOverview(charted: pressing, budgets: budgets) }
            return SpendOverview(charted: try standing(budget: nil, project: nil, period: .month, now: now), budgets: budgets)
        }
    }

    /// The spend of `project` (nil: every project) in the `period` containing `now`, and its
    /// forecast, the way ``BudgetLedger/status(project:at:)`` computes them but without
    /// recording alerts: looking at the dashboard must not use up `strata budget status`'s news.
    private func standing(budget: Budget?, project: String?, period: BudgetPeriod, now: Date) throws(AnalyticsError) -> SpendStanding {
        let interval = period.interval(containing: now)
        let elapsed = now.timeIntervalSince(interval.start) / 86_400
        let completedDays = Int(elapsed.rounded(.down))
        var daily = [Double](repeating: 0, count: completedDays + 1)
        for day in try tracker.dailyTrends(filter: RecordQuery(project: project, from: interval.start, to: now)) {
            let index = Int((day.day.timeIntervalSince(interval.start) / 86_400).rounded())
            if daily.indices.contains(index) { daily[index] += day.cost }
        }
        let forecast = SpendForecast.project(
            dailySpend: Array(daily[..<completedDays]), spentToday: daily[completedDays],
            dayFraction: elapsed - Double(completedDays), periodDays: Int((interval.duration / 86_400).rounded()))
        return SpendStanding(budget: budget, period: interval, daily: daily, spent: daily.reduce(0, +), forecast: forecast)
    }

    /// Daily quality over the last ``dashboardQualityDays`` days, starting at the first day
    /// with a score (but showing a week at least); empty when nothing was scored.
    private func dashboardQuality(now: Date) throws(ServerError) -> [DailyTrend] {
        let today = BudgetPeriod.day.interval(containing: now).start
        let from = today.addingTimeInterval(-Double(Self.dashboardQualityDays - 1) * 86_400)
        let days = try analyticsCall { () throws(AnalyticsError) in
            try tracker.dailyTrends(filter: RecordQuery(from: from, to: now, scoredOnly: true))
        }
        guard let first = days.firstIndex(where: { $0.meanQuality != nil }) else { return [] }
        return Array(days[min(first, max(days.count - 7, 0))...])
    }
}
