import StrataAnalytics
import StrataStore
import Synchronization

/// The store's cluster run history, shared by the cluster routes and the dashboard: opened on
/// first use (it has a catalog connection of its own) and used by one call at a time.
final class ClusterRuns: Sendable {
    private let store: PatternStore
    private let history = Mutex<ClusterRunHistory?>(nil)

    init(store: PatternStore) {
        self.store = store
    }

    func withHistory<T: Sendable>(_ body: (ClusterRunHistory) throws(AnalyticsError) -> T) throws(AnalyticsError) -> T {
        try history.withLock { history throws(AnalyticsError) -> T in
            if history == nil { history = try ClusterRunHistory(catalog: AnalyticsCatalog(location: store.catalogLocation, create: false)) }
            return try body(history!)
        }
    }
}
