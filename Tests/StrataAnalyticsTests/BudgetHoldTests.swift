import Foundation
import StrataAnalytics
import StrataStore
import StrataTestSupport
import Synchronization
import Testing

/// Budget holds: money set aside before a model call, settled to its cost, released by the
/// record; and budgets that hold one environment's spend.
@Suite struct BudgetHoldTests {
    @Test(arguments: CatalogBackend.available) func holdsCountUntilTheRecordReleasesThem(_ backend: CatalogBackend) throws {
        let tracker = try makeTracker(backend)
        try tracker.budgets.set(Budget(project: "shop", period: .month, limit: 1))
        let now = Date()
        let first = try #require(try tracker.budgets.hold(0.6, project: "shop", environment: "dev", at: now))
        // The first call's worst case is held: a second one that would pass the limit is refused.
        let refused = try #require(throws: AnalyticsError.self) { try tracker.budgets.hold(0.5, project: "shop", environment: "dev", at: now) }
        guard case let .overBudget(project, period, limit, spent, cost) = refused else { Issue.record("\(refused)"); return }
        #expect(project == "shop" && period == "month" && limit == 1 && abs(spent - 0.6) < 1e-12 && cost == 0.5)
        #expect(refused.description.contains("held"))
        // The call cost less than its worst case: the hold shrinks to that.
        let settled = try tracker.budgets.settle(first, cost: 0.2, at: now)
        #expect(settled.settled && settled.amount == 0.2 && settled.expires == BudgetPeriod.month.interval(containing: now).end)
        var status = try tracker.budgets.status(project: "shop", at: now)[0]
        #expect(status.spent == 0 && abs(status.held - 0.2) < 1e-12 && abs(status.remaining - 0.8) < 1e-12)
        #expect(abs((try tracker.budgets.remaining(project: "shop", environment: "dev", at: now) ?? -1) - 0.8) < 1e-12)
        let second = try #require(try tracker.budgets.hold(0.5, project: "shop", environment: "dev", at: now))
        // Recording the generation releases its hold in the same transaction: counted once.
        try tracker.record([GenerationRecord(time: now, project: "shop", provider: "openai", model: "m", cost: 0.2)], releasing: [settled])
        status = try tracker.budgets.status(project: "shop", at: now)[0]
        #expect(abs(status.spent - 0.2) < 1e-12 && abs(status.held - 0.5) < 1e-12)
        #expect(try tracker.budgets.holds(project: "shop", at: now).map(\.id) == [second.id])
        try tracker.budgets.release([second])
        #expect(try tracker.budgets.holds(project: "shop", at: now).isEmpty)
    }

    @Test(arguments: CatalogBackend.available) func anUnsettledHoldLapses(_ backend: CatalogBackend) throws {
        let tracker = try makeTracker(backend)
        try tracker.budgets.set(Budget(project: "shop", period: .month, limit: 1))
        let now = Date()
        _ = try tracker.budgets.hold(0.9, project: "shop", environment: "dev", at: now)
        #expect(throws: AnalyticsError.self) { try tracker.budgets.hold(0.9, project: "shop", environment: "dev", at: now) }
        // A crash mid-call leaves the hold; after its lifetime it no longer counts.
        let later = now.addingTimeInterval(BudgetLedger.openHoldLifetime + 1)
        #expect(try tracker.budgets.hold(0.9, project: "shop", environment: "dev", at: later) != nil)
    }

    @Test(arguments: CatalogBackend.available) func aPaidCallNeverRecordedCountsInItsPeriods(_ backend: CatalogBackend) throws {
        let tracker = try makeTracker(backend)
        try tracker.budgets.set(Budget(project: "shop", period: .day, limit: 1))
        try tracker.budgets.set(Budget(project: "shop", period: .month, limit: 10))
        let wednesday = monday.addingTimeInterval(2 * day + 3600)
        // A dry run (or a generation that failed after its call) records nothing.
        let hold = try #require(try tracker.budgets.hold(0.8, project: "shop", environment: "dev", at: wednesday))
        _ = try tracker.budgets.settle(hold, cost: 0.7, at: wednesday)
        let statuses = try tracker.budgets.status(project: "shop", at: wednesday.addingTimeInterval(3600))
        #expect(statuses.map(\.held) == [0.7, 0.7])
        // Thursday's daily budget starts clean; the month still counts the paid call.
        let thursday = wednesday.addingTimeInterval(day)
        let later = try tracker.budgets.status(project: "shop", at: thursday)
        #expect(later.map(\.budget.period) == [.day, .month] && later.map(\.held) == [0, 0.7])
        #expect(abs((try tracker.budgets.remaining(project: "shop", at: thursday) ?? 0) - 1) < 1e-12)
        // Next month it no longer counts, and holding deletes what has lapsed.
        let nextMonth = BudgetPeriod.month.interval(containing: wednesday).end.addingTimeInterval(3600)
        _ = try tracker.budgets.hold(0.1, project: "shop", environment: "dev", at: nextMonth)
        #expect(try tracker.budgets.holds(project: "shop", at: wednesday).count == 1, "the lapsed hold is gone; only the new one is left")
    }

    @Test(arguments: CatalogBackend.available) func withoutABudgetThereIsNothingToHold(_ backend: CatalogBackend) throws {
        let tracker = try makeTracker(backend)
        #expect(try tracker.budgets.hold(5, project: "shop", environment: "dev") == nil)
        try tracker.budgets.set(Budget(project: "shop", period: .day, limit: 1, environment: "prod"))
        #expect(try tracker.budgets.hold(5, project: "shop", environment: "dev") == nil, "the budget holds prod only")
        #expect(throws: AnalyticsError.self) { try tracker.budgets.hold(5, project: "shop", environment: "prod") }
        #expect(throws: AnalyticsError.self) { try tracker.budgets.hold(-1, project: "shop", environment: "prod") }
    }

    @Test(arguments: CatalogBackend.available) func anEnvironmentsBudgetHoldsOnlyItsSpend(_ backend: CatalogBackend) throws {
        let tracker = try makeTracker(backend)
        try tracker.budgets.set(Budget(project: "shop", period: .month, limit: 10, environment: "prod"))
        try tracker.budgets.set(Budget(project: "shop", period: .month, limit: 50))
        let now = Date()
        try tracker.record([
            GenerationRecord(time: now, project: "shop", environment: "prod", provider: "openai", model: "m", cost: 4),
            GenerationRecord(time: now, project: "shop", environment: "dev", provider: "openai", model: "m", cost: 30),
        ])
        let statuses = try tracker.budgets.status(project: "shop", at: now)
        #expect(statuses.map(\.budget.environment) == [nil, "prod"])
        #expect(statuses.map(\.spent) == [34, 4])
        #expect(try tracker.budgets.remaining(project: "shop", environment: "prod", at: now) == 6)
        #expect(try tracker.budgets.remaining(project: "shop", environment: "dev", at: now) == 16)
        // Prod's $6 left binds a prod generation; dev is held by the project's $16 only.
        #expect(throws: AnalyticsError.self) {
            try tracker.recordWithinBudgets(GenerationRecord(time: now, project: "shop", environment: "prod", provider: "openai", model: "m", cost: 7))
        }
        try tracker.recordWithinBudgets(GenerationRecord(time: now, project: "shop", environment: "dev", provider: "openai", model: "m", cost: 7))
        #expect(try tracker.budgets.remove(project: "shop", period: .month, environment: "prod"))
        #expect(try tracker.budgets.all(project: "shop").map(\.environment) == [nil])
        #expect(throws: AnalyticsError.self) { try tracker.budgets.set(Budget(project: "shop", period: .day, limit: 1, environment: " ")) }
    }

    /// Replicas holding at once through one catalog never promise more than the budget.
    @Test(arguments: CatalogBackend.available) func replicasHoldingAtOnceNeverOverpromise(_ backend: CatalogBackend) throws {
        let (location, cleanup) = try SharedDecisionTests.sharedCatalog(backend)
        defer { cleanup() }
        let replicas = try (0..<3).map { _ in try PerformanceTracker(catalog: AnalyticsCatalog(location: location, create: true)) }
        try replicas[0].budgets.set(Budget(project: "shop", period: .month, limit: 10))
        let now = Date()
        let granted = Mutex(0)
        // 3 replicas × 20 calls of $0.75 worst case, each settled at $0.5 and half of them
        // recorded: what is promised (spent + held) never passes $10.
        DispatchQueue.concurrentPerform(iterations: replicas.count) { replica in
            let ledger = replicas[replica].budgets
            for call in 0..<20 {
                guard let hold = try? ledger.hold(0.75, project: "shop", environment: "dev", at: now),
                      let settled = try? ledger.settle(hold, cost: 0.5, at: now) else { continue }
                granted.withLock { $0 += 1 }
                if call.isMultiple(of: 2) {
                    _ = try? replicas[replica].record([GenerationRecord(time: now, project: "shop", provider: "openai", model: "m", cost: 0.5)], releasing: [settled])
                }
            }
        }
        let status = try replicas[1].budgets.status(project: "shop", at: now)[0]
        #expect(status.spent + status.held <= 10 + 1e-9, "spent \(status.spent) + held \(status.held)")
        #expect(abs(status.spent + status.held - 0.5 * Double(granted.withLock { $0 })) < 1e-9)
        // Every grant left room for its worst case: at least 19 ($9.5 at $0.5, the last needing $0.75 room).
        #expect(granted.withLock { $0 } == 19)
    }
}
