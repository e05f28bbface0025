import Hummingbird
import StrataAnalytics
import StrataStore

/// What the service holds for one tenant: its store, its generation tracker, its Qdrant
/// collections and cluster runs, and the router serving them. Every route answers from one
/// workspace only, so a handler cannot reach another tenant's data whatever it does.
final class TenantWorkspace: Sendable {
    let name: String
    let store: PatternStore
    let tracker: PerformanceTracker
    let collections: QdrantCollections
    let clusterRuns: ClusterRuns
    /// Where this tenant's generated nodes and features are written.
    let outputDirectory: String

    init(name: String, store: PatternStore, tracker: PerformanceTracker, outputDirectory: String) {
        self.name = name
        self.store = store
        self.tracker = tracker
        self.outputDirectory = outputDirectory
        collections = QdrantCollections(store: store)
        clusterRuns = ClusterRuns(store: store)
    }
}
