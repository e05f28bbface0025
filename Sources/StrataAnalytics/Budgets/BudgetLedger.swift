import Foundation
import StrataCatalog
import StrataStore

/// Per-project budgets: limits per calendar period (for every environment or one), the spend
/// against them, alerts raised once per threshold per period, and a forecast of each
/// period's end spend.
///
/// Reached through ``PerformanceTracker/budgets``; spend is the recorded generations' cost,
/// and what is held for calls not yet recorded (see ``hold(_:project:environment:at:)``).
public struct BudgetLedger: Sendable {
    let tracker: PerformanceTracker

    /// Sets (or replaces) the limit of `budget.project` for `budget.period` in
    /// `budget.environment`. A project may have one budget per period kind and environment
    /// (a daily cap for prod and a monthly one for all, say).
    public func set(_ budget: Budget) throws(AnalyticsError) {
        guard !budget.project.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidArgument(name: "project", value: budget.project, expected: "a non-empty name")
        }
        guard budget.limit.isFinite, budget.limit > 0 else {
            throw .invalidArgument(name: "limit", value: "\(budget.limit)", expected: "dollars > 0")
        }
        if let environment = budget.environment, environment.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .invalidArgument(name: "environment", value: environment, expected: "an environment's name (dev, staging, prod), or none for every environment")
        }
        try tracker.withCatalog { catalog throws(AnalyticsError) in
            try catalog.transaction { () throws(CatalogError) in
                let before = try catalog.database.statement("SELECT limit_dollars FROM budgets WHERE project = ? AND environment = ? AND period = ?")
                    .bind(1, budget.project).bind(2, budget.environment ?? "").bind(3, budget.period.rawValue).rows { $0.double(0) }.first
                try catalog.database.statement("""
                    INSERT INTO budgets(project, environment, period, limit_dollars) VALUES(?, ?, ?, ?)
                    ON CONFLICT(project, environment, period) DO UPDATE SET limit_dollars = excluded.limit_dollars
                    """).bind(1, budget.project).bind(2, budget.environment ?? "").bind(3, budget.period.rawValue).bind(4, budget.limit).run()
                let subject = "\(budget.project) \(budget.period.rawValue) \(budget.environment ?? "every environment")"
                try AuditTrail.append([AuditEvent(
                    action: "budget.set", subject: subject + ": $\(budget.limit)",
                    before: before.map { AuditTrail.digest(subject + ": $\($0)") }, after: AuditTrail.digest(subject + ": $\(budget.limit)"))], in: catalog.database)
            }
        }
    }

    /// Removes a budget (of every environment when `environment` is nil); true when there was one.
    @discardableResult
    public func remove(project: String, period: BudgetPeriod, environment: String? = nil) throws(AnalyticsError) -> Bool {
        try tracker.withCatalog { catalog throws(AnalyticsError) in
            try catalog.transaction { () throws(CatalogError) -> Bool in
                let removed = try catalog.database.statement("DELETE FROM budgets WHERE project = ? AND period = ? AND environment = ? RETURNING 1")
                    .bind(1, project).bind(2, period.rawValue).bind(3, environment ?? "").runReturning() != nil
                if removed {
                    try AuditTrail.append([AuditEvent(action: "budget.remove", subject: "\(project) \(period.rawValue) \(environment ?? "every environment")")], in: catalog.database)
                }
                return removed
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

    /// The dollars `project` may still spend in `environment` before its tightest budget
    /// runs out, after what is held (never below zero), or nil when no budget applies: what a
    /// caller that must never plan past a budget checks before each call. Raises no alert.
    public func remaining(project: String, environment: String = "dev", at time: Date = Date()) throws(AnalyticsError) -> Double? {
        try tracker.withCatalog { catalog throws(AnalyticsError) in
            var tightest: Double?
            for budget in try Self.budgets(project: project, in: catalog) where budget.applies(to: environment) {
                let committed = try catalog.run { () throws(CatalogError) in try Self.committed(to: budget, at: time, in: catalog.database) }
                tightest = min(tightest ?? .infinity, max(budget.limit - committed, 0))
            }
            return tightest
        }
    }

    /// What counts against `budget` at `time`: the period's recorded spend and what is held.
    static func committed(to budget: Budget, at time: Date, in database: some CatalogDatabase) throws(CatalogError) -> Double {
        let period = budget.period.interval(containing: time)
        let spent = try dailySpend(project: budget.project, environment: budget.environment, from: period.start, through: period.end, in: database)
        return spent.values.reduce(0, +) + (try held(project: budget.project, environment: budget.environment, since: period.start, at: time, in: database))
    }

    private static func status(of budget: Budget, at time: Date, in database: some CatalogDatabase) throws(CatalogError) -> BudgetStatus {
        let period = budget.period.interval(containing: time)
        let byDay = try dailySpend(project: budget.project, environment: budget.environment, from: period.start, through: time, in: database)
        let spent = byDay.values.reduce(0, +)
        let held = try held(project: budget.project, environment: budget.environment, since: period.start, at: time, in: database)
        let fraction = spent / budget.limit
        let level = BudgetAlertLevel(fraction: fraction)
        var newAlerts: [BudgetAlert] = []
        for threshold in BudgetAlertLevel.allCases where threshold != .none && threshold <= level {
            // RETURNING says whether the alert is new (raised now) or was raised before.
            let raised = try database.statement("""
                INSERT INTO budget_alerts(project, environment, period, period_start, threshold, raised_at, spent) VALUES(?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING RETURNING threshold
                """)
                .bind(1, budget.project).bind(2, budget.environment ?? "").bind(3, budget.period.rawValue).bind(4, period.start.timeIntervalSince1970)
                .bind(5, threshold.rawValue).bind(6, time.timeIntervalSince1970).bind(7, spent)
                .runReturning()
            if raised != nil { newAlerts.append(BudgetAlert(level: threshold, raisedAt: time, spent: spent)) }
        }
        let alerts = try database.statement("""
            SELECT threshold, raised_at, spent FROM budget_alerts WHERE project = ? AND environment = ? AND period = ? AND period_start = ? ORDER BY threshold
            """)
            .bind(1, budget.project).bind(2, budget.environment ?? "").bind(3, budget.period.rawValue).bind(4, period.start.timeIntervalSince1970)
            .rows { BudgetAlert(level: BudgetAlertLevel(rawValue: $0.int(0)) ?? .none, raisedAt: Date(timeIntervalSince1970: $0.double(1)), spent: $0.double(2)) }
        let elapsed = time.timeIntervalSince(period.start) / 86_400
        let completedDays = Int(elapsed.rounded(.down))
        let forecast = SpendForecast.project(
            dailySpend: (0..<completedDays).map { byDay[$0] ?? 0 }, spentToday: byDay[completedDays] ?? 0,
            dayFraction: elapsed - Double(completedDays), periodDays: Int((period.duration / 86_400).rounded()))
        return BudgetStatus(
            budget: budget, period: period, spent: spent, held: held, fraction: fraction, remaining: max(budget.limit - spent - held, 0),
            level: level, alerts: alerts, newAlerts: newAlerts, forecast: forecast)
    }

    /// Dollars per day index (0 = the day `start` falls on) from `start` through `end`, in
    /// `environment` (nil: every environment).
    static func dailySpend(
        project: String, environment: String? = nil, from start: Date, through end: Date, in database: some CatalogDatabase
    ) throws(CatalogError) -> [Int: Double] {
        let rows = try database.statement("""
            SELECT \(database.dialect.truncatedInteger("(time - ?1) / 86400")), sum(cost) FROM generations
            WHERE project = ?2 AND time >= ?1 AND time <= ?3 AND (?4 = '' OR environment = ?4) GROUP BY 1
            """)
            .bind(1, start.timeIntervalSince1970).bind(2, project).bind(3, end.timeIntervalSince1970).bind(4, environment ?? "")
            .rows { ($0.int(0), $0.double(1)) }
        return Dictionary(rows, uniquingKeysWith: +)
    }

    static func budgets(project: String?, in catalog: AnalyticsCatalog) throws(AnalyticsError) -> [Budget] {
        let rows = try catalog.run { () throws(CatalogError) in
            try catalog.database.statement(
                "SELECT project, period, limit_dollars, environment FROM budgets WHERE CAST(?1 AS TEXT) IS NULL OR project = ?1 ORDER BY project, environment")
                .bind(1, project).rows { ($0.string(0), $0.string(1), $0.double(2), $0.string(3)) }
        }
        let order = BudgetPeriod.allCases
        return rows.compactMap { row in
            BudgetPeriod(rawValue: row.1).map { Budget(project: row.0, period: $0, limit: row.2, environment: row.3.isEmpty ? nil : row.3) }
        }
        .sorted { ($0.project, $0.environment ?? "", order.firstIndex(of: $0.period)!) < ($1.project, $1.environment ?? "", order.firstIndex(of: $1.period)!) }
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
        // Budgets per environment ('' holds every environment), and holds for calls under way.
        CatalogMigration(
            sqlite: """
            CREATE TABLE budgets_scoped(
                project TEXT NOT NULL,
                environment TEXT NOT NULL DEFAULT '',
                period TEXT NOT NULL,
                limit_dollars REAL NOT NULL,
                PRIMARY KEY(project, environment, period)
            );
            INSERT INTO budgets_scoped(project, period, limit_dollars) SELECT project, period, limit_dollars FROM budgets;
            DROP TABLE budgets;
            ALTER TABLE budgets_scoped RENAME TO budgets;
            CREATE TABLE budget_alerts_scoped(
                project TEXT NOT NULL,
                environment TEXT NOT NULL DEFAULT '',
                period TEXT NOT NULL,
                period_start REAL NOT NULL,
                threshold INTEGER NOT NULL,
                raised_at REAL NOT NULL,
                spent REAL NOT NULL,
                PRIMARY KEY(project, environment, period, period_start, threshold)
            );
            INSERT INTO budget_alerts_scoped(project, period, period_start, threshold, raised_at, spent)
                SELECT project, period, period_start, threshold, raised_at, spent FROM budget_alerts;
            DROP TABLE budget_alerts;
            ALTER TABLE budget_alerts_scoped RENAME TO budget_alerts;
            \(holdsTable(dialect: .sqlite))
            """,
            postgres: """
            ALTER TABLE budgets ADD COLUMN environment TEXT NOT NULL DEFAULT '';
            ALTER TABLE budgets DROP CONSTRAINT budgets_pkey;
            ALTER TABLE budgets ADD PRIMARY KEY(project, environment, period);
            ALTER TABLE budget_alerts ADD COLUMN environment TEXT NOT NULL DEFAULT '';
            ALTER TABLE budget_alerts DROP CONSTRAINT budget_alerts_pkey;
            ALTER TABLE budget_alerts ADD PRIMARY KEY(project, environment, period, period_start, threshold);
            \(holdsTable(dialect: .postgres))
            """),
    ])
}
