import Foundation
import StrataAnalytics
import StrataStore
import Synchronization

/// Where the rules' numbers come from: the budgets, the generations and the migration log in
/// the catalog; the replica's lag; the service's own recent requests and searches.
final class AlertSignals: Sendable {
    let store: PatternStore
    let tracker: PerformanceTracker
    let metrics: ServiceMetrics
    /// Opened at the first rollback rule's evaluation and kept: a connection of its own.
    private let migrations = Mutex<MigrationLog?>(nil)

    init(store: PatternStore, tracker: PerformanceTracker, metrics: ServiceMetrics) {
        self.store = store
        self.tracker = tracker
        self.metrics = metrics
    }

    /// The value of `rule`'s metric now; nil when there is nothing to judge (no budget, no
    /// scored generation, no request in the window): a rule without a value does not fire.
    func value(of rule: AlertRule, at now: Date = Date()) throws -> Double? {
        let window = Duration.seconds(rule.windowSeconds)
        switch rule.metric {
        case .budgetSpent:
            return try tracker.budgets.status(at: now).map(\.fraction).max()
        case .budgetForecast:
            return try tracker.budgets.status(at: now).map { $0.forecast.expected / $0.budget.limit }.max()
        case .qualityMean:
            let groups = try tracker.statistics(groupBy: [.model], filter: RecordQuery(from: now.addingTimeInterval(-rule.windowSeconds)))
            let scored = groups.reduce(0) { $0 + $1.scoredCount }
            guard scored > 0 else { return nil }
            return groups.reduce(0.0) { $0 + ($1.meanQuality ?? 0) * Double($1.scoredCount) } / Double(scored)
        case .migrationRollbacks:
            let log = try migrations.withLock { (log) throws -> MigrationLog in
                if let log { return log }
                let opened = try MigrationLog(catalog: AnalyticsCatalog(location: store.catalogLocation, create: false))
                log = opened
                return opened
            }
            return Double(try log.decisions().filter { $0.action == .rollBack && now.timeIntervalSince($0.time) <= rule.windowSeconds }.count)
        case .replicaLag:
            return store.replicationStatus?.lagSeconds ?? 0
        case .errorRate:
            return metrics.recent.withLock { $0.errorRate(within: window, now: .now) }
        case .searchP99:
            return metrics.recent.withLock { $0.searchP99(within: window, now: .now) }
        }
    }
}
