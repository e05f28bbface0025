import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import StrataAnalytics
import StrataStore
import Synchronization

/// The HTTP face of one store: the native JSON API under `/v1`, health and readiness, and
/// Prometheus metrics. One process serves one store (the store's LOCK file says so).
public final class StrataService: Sendable {
    public let configuration: ServerConfiguration
    public let store: PatternStore
    public let tracker: PerformanceTracker
    public let metrics: ServiceMetrics
    let logger: Logger
    /// The Qdrant-compatible collections, each a store of its own under `<store>/collections`.
    let collections: QdrantCollections
    /// Opened on the first cluster request (see ``withClusterHistory(_:)``).
    let clusterRuns = Mutex<ClusterRunHistory?>(nil)

    /// Serves an open store.
    public init(configuration: ServerConfiguration, store: PatternStore, tracker: PerformanceTracker, logger: Logger = Logger(label: "strata.server")) {
        self.configuration = configuration
        self.store = store
        self.tracker = tracker
        self.metrics = ServiceMetrics()
        self.logger = logger
        self.collections = QdrantCollections(directory: store.directory + "/collections")
    }

    /// Opens the configured store (and its tracker) and serves it.
    public static func open(_ configuration: ServerConfiguration) throws -> StrataService {
        let store = try PatternStore.open(at: configuration.store, catalog: configuration.catalog.map { try CatalogLocation(parsing: $0) }, follow: true)
        do {
            let tracker = try PerformanceTracker(catalog: AnalyticsCatalog(location: store.catalogLocation, create: false))
            return StrataService(configuration: configuration, store: store, tracker: tracker)
        } catch {
            try? store.close()
            throw error
        }
    }

    /// Every route, behind the request metrics and the API key check.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: APIKeyMiddleware(key: configuration.apiKey))
        addHealthRoutes(to: router)
        addPatternRoutes(to: router)
        addSearchRoutes(to: router)
        addAnalyticsRoutes(to: router)
        addGenerateRoutes(to: router)
        addClusterRoutes(to: router)
        addDocumentRoutes(to: router)
        addQdrantRoutes(to: router)
        addDashboardRoutes(to: router)
        return router
    }

    /// The router behind the request timeout: what the application answers with.
    public func makeResponder() -> some HTTPResponder<BasicRequestContext> {
        RequestTimeoutResponder(inner: makeRouter().buildResponder(), seconds: configuration.requestTimeout)
    }

    /// The application listening where the configuration says.
    public func makeApplication() -> some ApplicationProtocol {
        Application(
            responder: makeResponder(),
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(Int64(configuration.idleTimeout * 1e9)))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "strata"),
            logger: logger)
    }

    /// Makes the event loops' threads Swift concurrency's global executor, so that a request's
    /// handler runs on the thread that read it instead of hopping to the cooperative pool and
    /// back. Call once, from the main thread, before any task starts; false when the runtime
    /// refuses (the server then works as before).
    @discardableResult
    public static func runTasksOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Flushes what the hot tier holds into segments and closes the store: what a graceful
    /// shutdown does after the last request.
    public func shutdown() throws {
        collections.closeAll()
        _ = try store.flush()
        try store.close()
    }

    /// The store's error as the HTTP error it is: bad input is 4xx, never 500.
    func serverError(_ error: StoreError) -> ServerError {
        switch error {
        case .dimensionMismatch, .nonFiniteVector, .emptyText, .invalidFilter, .malformedLine, .invalidArgument:
            return .badRequest(error.description)
        case let .unknownID(id):
            return .notFound("no pattern with id \"\(id)\"")
        case .notMaintainer:
            return .conflict(error.description)
        case .catalog, .inconsistent, .file, .embedder, .noStore, .index, .closed, .alreadyOpen:
            logger.error("store failure", metadata: ["error": "\(error)"])
            return .internal(error.description)
        }
    }

    /// Runs a long synchronous call (a cluster run, a generation that may wait on a model
    /// provider) on NIO's pool for blocking work. Handlers run on the event loops (see
    /// ``runTasksOnEventLoops()``), and a loop busy for seconds would leave every other
    /// connection it owns unanswered meanwhile. Searches and writes stay on the loop: they take
    /// well under a millisecond, less than the hop to the pool and back.
    func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws(ServerError) -> T) async throws(ServerError) -> T {
        do {
            return try await NIOThreadPool.singleton.runIfActive { () throws -> T in try body() }
        } catch let error as ServerError {
            throw error
        } catch {
            throw .internal("the blocking-work pool refused the call: \(error)")
        }
    }

    /// Runs a store call, turning its errors into HTTP errors.
    func storeCall<T>(_ body: () throws(StoreError) -> T) throws(ServerError) -> T {
        do { return try body() } catch { throw serverError(error) }
    }
}
