import Foundation
import StrataAnalytics
import StrataStore

/// Everything the dashboard shows, read at one moment.
///
/// Each part is read on its own and kept as a `Result`: a part whose source fails (the
/// analytics catalog busy, say) shows its error in its own panel, and the rest of the page
/// still renders.
struct DashboardData: Sendable {
    /// When the data was read; the page's charts end here.
    var now: Date
    /// The store's directory, shown in the page's header.
    var store: String
    /// The environment the feed and the quality trend are filtered to; nil: all of them.
    var environment: String? = nil
    var patterns: Result<PatternCounts, ServerError>
    var feed: Result<GenerationFeed, ServerError>
    /// Per model, largest first.
    var models: Result<[ModelStatistics], ServerError>
    var spend: Result<SpendOverview, ServerError>
    /// One entry per UTC day of the quality window, oldest first; empty when nothing was
    /// scored in the window.
    var quality: Result<[DailyTrend], ServerError>
    /// `nil` when the store has never been clustered.
    var clusters: Result<ClusterRunView?, ServerError>
    /// The alert rules as last evaluated and the messages sent lately; nil without alerting.
    var alerts: (rules: [AlertEngine.AlertState], notices: [AlertEngine.AlertNotice])? = nil
}

/// Patterns per tier, in all and per node type, and the store's shape.
struct PatternCounts: Sendable, Equatable {
    /// One node type's patterns in each tier.
    struct Row: Sendable, Equatable {
        var nodeType: String
        var hot: Int
        var cold: Int
        var total: Int { hot + cold }
    }

    /// Tiers, segments, sizes, embedder and the latest maintenance.
    var stats: StoreStats
    /// Every node type, in ``StrataStore/NodeType`` order, empty ones included.
    var byNodeType: [Row]

    var hot: Int { stats.hot }
    var cold: Int { stats.cold }
    var total: Int { stats.hot + stats.cold }
}

/// The latest generations and how many there are in all.
struct GenerationFeed: Sendable {
    /// Records in the tracker.
    var total: Int
    /// The most recent first.
    var latest: [GenerationRecord]
}

/// Spending this period: the budget the chart follows, and where every budget stands.
struct SpendOverview: Sendable {
    /// What the chart draws: the budget nearest to (or furthest past) its limit by the
    /// forecast, or, with no budget set, every project's spend this UTC month.
    var charted: SpendStanding
    /// Every budget, by project then period.
    var budgets: [SpendStanding]
}

/// One budget's period (or, with no budget, the month's spend): the spend per day so far and
/// the forecast of the period's end, computed without raising the budget's alerts, which
/// `strata budget status` reports as news.
struct SpendStanding: Sendable {
    /// `nil`: every project's spend over the UTC month, against no limit.
    var budget: Budget?
    /// The calendar period that contains now.
    var period: DateInterval
    /// Dollars per day of the period, from its first day through today.
    var daily: [Double]
    /// Dollars spent in the period so far.
    var spent: Double
    var forecast: SpendForecast

    /// `spent / limit` (above 1 past the limit); `nil` without a budget.
    var fraction: Double? { budget.map { spent / $0.limit } }
    /// The highest alert threshold the spend has reached.
    var level: BudgetAlertLevel { fraction.map { BudgetAlertLevel(fraction: $0) } ?? BudgetAlertLevel.none }
    /// The forecast's share of the limit; `nil` without a budget.
    var forecastFraction: Double? { budget.map { forecast.expected / $0.limit } }
    /// Whether the forecast expects the period to end over the limit.
    var forecastOverLimit: Bool { budget.map { forecast.expected > $0.limit } ?? false }
}

/// The latest clustering run and, when it can be drawn, its patterns on a plane.
struct ClusterRunView: Sendable {
    var run: ClusterRunRecord
    /// `nil` with ``mapProblem`` saying why the map cannot be drawn.
    var map: ClusterProjection?
    var mapProblem: String?
}
