import Foundation
import StrataCatalog
import StrataStore

/// Per-project budgets: limits per calendar period, the spend against them, alerts raised
/// once per threshold per period, and a forecast of each period's end spend.
///
/// Reached through ``PerformanceTracker/budgets``; spend is the recorded generations' cost.
public struct BudgetLedger: Sendable {
    let tracker: PerformanceTracker

    /// Sets (or replaces) the limit of `budget.project` for `budget.period`. A project may
    /// have one budget per period kind (a daily cap and a monthly one, say).
    public func set(_ budget: Budget) throws(AnalyticsError) {
        guard !budget.project.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidArgument(name: "project", value: budget.project, expected: "a non-empty name")
        }
        guard budget.limit.isFinite, budget.limit > 0 else {
            throw .invalidArgument(name: "limit", value: "\(budget.limit)", expected: "dollars > 0")
        }
        try tracker.withCatalog { catalog throws(AnalyticsError) in
            try catalog.run { () throws(CatalogError) in
                try catalog.database.statement("""
                    INSERT INTO budgets(project, period, limit_dollars) VALUES(?, ?, ?)
                    ON CONFLICT(project, period) DO UPDATE SET limit_dollars = excluded.limit_dollars
                    """).bind(1, budget.project).bind(2, budget.period.rawValue).bind(3, budget.limit).run()
            }
        }
    }

    /// Removes a budget; true when there was one.
    @discardableResult
    public func remove(project: String, period: BudgetPeriod) throws(AnalyticsError) -> Bool {
        try tracker.withCatalog { catalog throws(AnalyticsError) in
            try catalog.run { () throws(CatalogError) in
                try catalog.database.statement("DELETE FROM budgets WHERE project = ? AND period = ? RETURNING 1")
                    .bind(1, project).bind(2, period.rawValue).runReturning() != nil
            }
        }
    }

    /// Every budget, or those of `project`, by project then period length.
    public func all(project: String? = nil) throws(AnalyticsError) -> [Budget] {
        try tracker.withCatalog { catalog throws(AnalyticsError) in try Self.budgets(project: project, in: catalog) }
    }

    /// The status of each budget of `project` (or of every project) in the period containing
    /// `time`, raising and storing the alerts its spend has newly reached.
    ///
    /// - Throws: ``AnalyticsError/unknown(kind:name:known:)`` when `project` has no budget.
    public func status(project: String? = nil, at time: Date = Date()) throws(AnalyticsError) -> [BudgetStatus] {
        try tracker.withCatalog { catalog throws(AnalyticsError) in
            let budgets = try Self.budgets(project: project, in: catalog)
            if let project, budgets.isEmpty {
                let known = Set(try Self.budgets(project: nil, in: catalog).map(\.project)).sorted()
                throw .unknown(kind: "budget project", name: project, known: known)
            }
            return try catalog.transaction { () throws(CatalogError) in
                try budgets.map { budget throws(CatalogError) in try Self.status(of: budget, at: time, in: catalog.database) }
            }
        }
    }

    /// The dollars `project` may still spend before its tightest budget runs out (never
    /// below zero), or nil when it has no budget: what a caller that must never plan past a
    /// budget checks before each call. Raises no alert.
    public func remaining(project: String, at time: Date = Date()) throws(AnalyticsError) -> Double? {
        try tracker.withCatalog { catalog throws(AnalyticsError) in
            let budgets = try Self.budgets(project: project, in: catalog)
            var tightest: Double?
            for budget in budgets {
                let period = budget.period.interval(containing: time)
                let spent = try catalog.run { () throws(CatalogError) in
                    try Self.dailySpend(project: project, from: period.start, through: time, in: catalog.database).reduce(0) { $0 + $1.value }
                }
                tightest = min(tightest ?? .infinity, max(budget.limit - spent, 0))
            }
            return tightest
        }
    }

    private static func status(of budget: Budget, at time: Date, in database: some CatalogDatabase) throws(CatalogError) -> BudgetStatus {
        let period = budget.period.interval(containing: time)
        let byDay = try dailySpend(project: budget.project, from: period.start, through: time, in: database)
        let spent = byDay.values.reduce(0, +)
        let fraction = spent / budget.limit
        let level = BudgetAlertLevel(fraction: fraction)
        var newAlerts: [BudgetAlert] = []
        for threshold in BudgetAlertLevel.allCases where threshold != .none && threshold <= level {
            // RETURNING says whether the alert is new (raised now) or was raised before.
            let raised = try database.statement("""
                INSERT INTO budget_alerts(project, period, period_start, threshold, raised_at, spent) VALUES(?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING RETURNING threshold
                """)
                .bind(1, budget.project).bind(2, budget.period.rawValue).bind(3, period.start.timeIntervalSince1970)
                .bind(4, threshold.rawValue).bind(5, time.timeIntervalSince1970).bind(6, spent)
                .runReturning()
            if raised != nil { newAlerts.append(BudgetAlert(level: threshold, raisedAt: time, spent: spent)) }
        }
        let alerts = try database.statement("""
            SELECT threshold, raised_at, spent FROM budget_alerts WHERE project = ? AND period = ? AND period_start = ? ORDER BY threshold
            """)
            .bind(1, budget.project).bind(2, budget.period.rawValue).bind(3, period.start.timeIntervalSince1970)
            .rows { BudgetAlert(level: BudgetAlertLevel(rawValue: $0.int(0)) ?? .none, raisedAt: Date(timeIntervalSince1970: $0.double(1)), spent: $0.double(2)) }
        let elapsed = time.timeIntervalSince(period.start) / 86_400
        let completedDays = Int(elapsed.rounded(.down))
        let forecast = SpendForecast.project(
            dailySpend: (0..<completedDays).map { byDay[$0] ?? 0 }, spentToday: byDay[completedDays] ?? 0,
            dayFraction: elapsed - Double(completedDays), periodDays: Int((period.duration / 86_400).rounded()))
        return BudgetStatus(
            budget: budget, period: period, spent: spent, fraction: fraction, remaining: max(budget.limit - spent, 0),
            level: level, alerts: alerts, newAlerts: newAlerts, forecast: forecast)
    }

    /// Dollars per day index (0 = the day `start` falls on) from `start` through `end`.
    static func dailySpend(project: String, from start: Date, through end: Date, in database: some CatalogDatabase) throws(CatalogError) -> [Int: Double] {
        let rows = try database.statement("""
            SELECT \(database.dialect.truncatedInteger("(time - ?1) / 86400")), sum(cost) FROM generations
            WHERE project = ?2 AND time >= ?1 AND time <= ?3 GROUP BY 1
            """)
            .bind(1, start.timeIntervalSince1970).bind(2, project).bind(3, end.timeIntervalSince1970)
            .rows { ($0.int(0), $0.double(1)) }
        return Dictionary(rows, uniquingKeysWith: +)
    }

    static func budgets(project: String?, in catalog: AnalyticsCatalog) throws(AnalyticsError) -> [Budget] {
        let rows = try catalog.run { () throws(CatalogError) in
            try catalog.database.statement("SELECT project, period, limit_dollars FROM budgets WHERE CAST(?1 AS TEXT) IS NULL OR project = ?1 ORDER BY project")
                .bind(1, project).rows { ($0.string(0), $0.string(1), $0.double(2)) }
        }
        let order = BudgetPeriod.allCases
        return rows.compactMap { row in BudgetPeriod(rawValue: row.1).map { Budget(project: row.0, period: $0, limit: row.2) } }
            .sorted { ($0.project, order.firstIndex(of: $0.period)!) < ($1.project, order.firstIndex(of: $1.period)!) }
    }

    static let schema = CatalogSchema(component: "budgets", versionRecord: .table("analytics_schema"), migrations: [
        CatalogMigration(
            sqlite: """
            CREATE TABLE budgets(
                project TEXT NOT NULL,
                period TEXT NOT NULL,
                limit_dollars REAL NOT NULL,
                PRIMARY KEY(project, period)
            );
            CREATE TABLE budget_alerts(
                project TEXT NOT NULL,
                period TEXT NOT NULL,
                period_start REAL NOT NULL,
                threshold INTEGER NOT NULL,
                raised_at REAL NOT NULL,
                spent REAL NOT NULL,
                PRIMARY KEY(project, period, period_start, threshold)
            );
            """,
            postgres: """
            CREATE TABLE budgets(
                project TEXT NOT NULL,
                period TEXT NOT NULL,
                limit_dollars DOUBLE PRECISION NOT NULL,
                PRIMARY KEY(project, period)
            );
            CREATE TABLE budget_alerts(
                project TEXT NOT NULL,
                period TEXT NOT NULL,
                period_start DOUBLE PRECISION NOT NULL,
                threshold BIGINT NOT NULL,
                raised_at DOUBLE PRECISION NOT NULL,
                spent DOUBLE PRECISION NOT NULL,
                PRIMARY KEY(project, period, period_start, threshold)
            );
            """),
    ])
}
