import Foundation
import StrataCatalog

/// Money set aside against a project's budgets for one model call, before the call is made.
///
/// A caller holds the call's worst-case cost first (``BudgetLedger/hold(_:project:environment:at:)``):
/// the check against every budget and the hold are one exclusive transaction, so replicas that
/// hold at once can never promise more than a budget has left between them. After the call,
/// ``BudgetLedger/settle(_:cost:at:)`` turns the hold into what the call cost; recording the
/// generation releases it in the same transaction (``PerformanceTracker/record(_:releasing:)``).
/// A hold that is never settled (a crash mid-call) lapses after ``BudgetLedger/openHoldLifetime``.
/// A settled one that is never recorded (a dry run, a generation that failed after its calls)
/// counts like recorded spend in the periods it falls in, since that money was spent: until the
/// end of its month, the longest budget period.
public struct BudgetHold: Sendable, Equatable {
    public var id: Int64
    public var project: String
    public var environment: String
    /// Dollars held: the worst case before the call, what it cost after.
    public var amount: Double
    /// Whether the call was made (``amount`` is then its cost).
    public var settled: Bool
    /// When the hold stops counting.
    public var expires: Date
}

extension BudgetLedger {
    /// How long a hold counts before its call reports back: 15 minutes, far past any
    /// provider's time limit.
    public static let openHoldLifetime: TimeInterval = 15 * 60

    /// Holds `amount` dollars for a call of `project` in `environment`, if every budget that
    /// applies has that much left after what is spent and held.
    ///
    /// - Returns: The hold, or nil when no budget applies (there is nothing to hold against).
    /// - Throws: ``AnalyticsError/overBudget(project:period:limit:spent:cost:)`` naming the
    ///   first budget the call could pass (nothing is held);
    ///   ``AnalyticsError/invalidArgument(name:value:expected:)`` for a negative amount.
    public func hold(_ amount: Double, project: String, environment: String, at time: Date = Date()) throws(AnalyticsError) -> BudgetHold? {
        guard amount.isFinite, amount >= 0 else {
            throw .invalidArgument(name: "amount", value: "\(amount)", expected: "dollars, 0 or more")
        }
        return try tracker.withCatalog { catalog throws(AnalyticsError) in
            let budgets = try Self.budgets(project: project, in: catalog).filter { $0.applies(to: environment) }
            guard !budgets.isEmpty else { return nil }
            return try catalog.exclusiveTransaction { () throws(AnalyticsError) -> BudgetHold in
                try catalog.run { () throws(CatalogError) in
                    try catalog.database.statement("DELETE FROM budget_holds WHERE expires_at <= ?").bind(1, time.timeIntervalSince1970).run()
                }
                for budget in budgets {
                    let committed = try catalog.run { () throws(CatalogError) in try Self.committed(to: budget, at: time, in: catalog.database) }
                    if committed + amount > budget.limit {
                        throw .overBudget(project: project, period: budget.period.rawValue, limit: budget.limit, spent: committed, cost: amount)
                    }
                }
                let expires = time.addingTimeInterval(Self.openHoldLifetime)
                let id = try catalog.run { () throws(CatalogError) in
                    try catalog.database.statement("""
                        INSERT INTO budget_holds(project, environment, amount, settled, created_at, expires_at) VALUES(?, ?, ?, 0, ?, ?) RETURNING id
                        """)
                        .bind(1, project).bind(2, environment).bind(3, amount).bind(4, time.timeIntervalSince1970).bind(5, expires.timeIntervalSince1970)
                        .runReturning()
                }
                guard let id else { throw .catalog(CatalogError(.statementFailed, "the budget hold was not stored (no id came back)")) }
                return BudgetHold(id: id, project: project, environment: environment, amount: amount, settled: false, expires: expires)
            }
        }
    }

    /// The call of `hold` was made and cost `cost`: the hold now counts that, until the
    /// generation is recorded (or, never recorded, to the end of its month).
    public func settle(_ hold: BudgetHold, cost: Double, at time: Date = Date()) throws(AnalyticsError) -> BudgetHold {
        guard cost.isFinite, cost >= 0 else {
            throw .invalidArgument(name: "cost", value: "\(cost)", expected: "dollars, 0 or more")
        }
        var settled = hold
        settled.amount = cost
        settled.settled = true
        // Every period the hold falls in ends by then (a month is the longest).
        settled.expires = BudgetPeriod.month.interval(containing: time).end
        try tracker.withCatalog { catalog throws(AnalyticsError) in
            try catalog.run { () throws(CatalogError) in
                try catalog.database.statement("UPDATE budget_holds SET amount = ?, settled = 1, expires_at = ? WHERE id = ?")
                    .bind(1, cost).bind(2, settled.expires.timeIntervalSince1970).bind(3, hold.id).run()
            }
        }
        return settled
    }

    /// Ends `holds` without a record: calls that were not made, or a run that records nothing.
    public func release(_ holds: [BudgetHold]) throws(AnalyticsError) {
        guard !holds.isEmpty else { return }
        try tracker.withCatalog { catalog throws(AnalyticsError) in
            try catalog.transaction { () throws(CatalogError) in try Self.delete(holds, in: catalog.database) }
        }
    }

    /// The holds of `project` counting at `time` (in `environment`, or every one when nil).
    public func holds(project: String, environment: String? = nil, at time: Date = Date()) throws(AnalyticsError) -> [BudgetHold] {
        try tracker.withCatalog { catalog throws(AnalyticsError) in
            try catalog.run { () throws(CatalogError) in
                try catalog.database.statement("""
                    SELECT id, project, environment, amount, settled, expires_at FROM budget_holds
                    WHERE project = ?1 AND expires_at > ?2 AND (?3 = '' OR environment = ?3) ORDER BY id
                    """)
                    .bind(1, project).bind(2, time.timeIntervalSince1970).bind(3, environment ?? "")
                    .rows {
                        BudgetHold(id: $0.int64(0), project: $0.string(1), environment: $0.string(2), amount: $0.double(3), settled: $0.int(4) != 0,
                                   expires: Date(timeIntervalSince1970: $0.double(5)))
                    }
            }
        }
    }

    static func delete(_ holds: [BudgetHold], in database: some CatalogDatabase) throws(CatalogError) {
        for hold in holds {
            try database.statement("DELETE FROM budget_holds WHERE id = ?").bind(1, hold.id).run()
        }
    }

    /// Dollars held for `project` at `time` by holds made since `start`, in `environment`
    /// (nil: every environment).
    static func held(project: String, environment: String?, since start: Date, at time: Date, in database: some CatalogDatabase) throws(CatalogError) -> Double {
        try database.statement("""
            SELECT coalesce(sum(amount), 0) FROM budget_holds
            WHERE project = ?1 AND expires_at > ?2 AND (?3 = '' OR environment = ?3) AND created_at >= ?4
            """)
            .bind(1, project).bind(2, time.timeIntervalSince1970).bind(3, environment ?? "").bind(4, start.timeIntervalSince1970)
            .rows { $0.double(0) }.first ?? 0
    }

    static func holdsTable(dialect: SQLDialect) -> String {
        """
        CREATE TABLE budget_holds(
            id \(dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
            project TEXT NOT NULL,
            environment TEXT NOT NULL,
            amount \(dialect.realType) NOT NULL,
            settled \(dialect.integerType) NOT NULL,
            created_at \(dialect.realType) NOT NULL,
            expires_at \(dialect.realType) NOT NULL
        );
        CREATE INDEX budget_holds_project ON budget_holds(project, expires_at);
        """
    }
}
