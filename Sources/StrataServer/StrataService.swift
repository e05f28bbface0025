import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import StrataAnalytics
import StrataStore

/// The HTTP face of one store: the native JSON API under `/v1`, a Qdrant-compatible API under
/// `/collections`, health and readiness, Prometheus metrics and the dashboard. One process
/// serves one store (the store's LOCK file says so).
///
/// Each API is a controller of its own (``PatternController``, ``AnalyticsController``,
/// ``GenerationController``, ``QdrantController``, ``OperationsController``); this type owns
/// what they share and puts them behind one router.
public final class StrataService: Sendable {
    public let configuration: ServerConfiguration
    public let store: PatternStore
    public let tracker: PerformanceTracker
    public let metrics: ServiceMetrics
    let logger: Logger
    /// The default tenant's workspace (the served store) and every other tenant's, each
    /// behind the router the gate sends its requests to.
    let tenants: TenantServices
    /// The alert rules, evaluated while the service runs; nil without an alerts file.
    public let alerts: AlertEngine?
    /// The tracer and its exporter; nil with tracing off (the default).
    package let tracing: ServerTracing?
    /// The Qdrant-compatible collections of the default tenant.
    var collections: QdrantCollections { tenants.primary.collections }

    /// The version the Qdrant API answers as (``QdrantController/compatibleVersion``).
    package static var qdrantCompatibleVersion: String { QdrantController.compatibleVersion }
    /// The generations listed in the dashboard's feed.
    package static var dashboardFeedLength: Int { DashboardReader.feedLength }

    /// Serves an open store.
    public init(
        configuration: ServerConfiguration, store: PatternStore, tracker: PerformanceTracker, alerting: AlertConfiguration? = nil,
        logger: Logger = Logger(label: "strata.server")
    ) {
        self.configuration = configuration
        self.store = store
        self.tracker = tracker
        let metrics = ServiceMetrics()
        self.metrics = metrics
        self.logger = logger
        let primary = TenantWorkspace(
            name: TenantDirectory.defaultTenant, store: store, tracker: tracker, outputDirectory: configuration.output ?? (configuration.store + "/generated"))
        tenants = TenantServices(primary: primary, configuration: configuration)
        tracing = ServerTracing(configuration: configuration, logger: logger)
        alerts = alerting.map {
            AlertEngine(configuration: $0, signals: AlertSignals(store: store, tracker: tracker, metrics: metrics),
                        service: "\(configuration.host):\(configuration.port) \(configuration.store)", logger: logger)
        }
        alerts?.start()
    }

    /// Opens the configured store (and its tracker) and serves it.
    public static func open(_ configuration: ServerConfiguration) throws -> StrataService {
        let store = try PatternStore.open(at: configuration.store, catalog: configuration.catalog.map { try CatalogLocation(parsing: $0) }, follow: true)
        do {
            let tracker = try PerformanceTracker(catalog: AnalyticsCatalog(location: store.catalogLocation, create: false))
            let alerting = try configuration.alertConfiguration()
            if configuration.preload { store.preloadSegments() }
            return StrataService(configuration: configuration, store: store, tracker: tracker, alerting: alerting)
        } catch {
            try? store.close()
            throw error
        }
    }

    /// Every route of the default tenant's workspace (``makeRouter(for:)``).
    public func makeRouter() -> Router<StrataRequestContext> { makeRouter(for: tenants.primary) }

    /// Every route over one tenant's workspace, behind the request metrics, the error door
    /// (``ErrorMiddleware``) and the body limit. Who may send what is decided before, by
    /// ``TenantGate``.
    func makeRouter(for workspace: TenantWorkspace) -> Router<StrataRequestContext> {
        let router = Router(context: StrataRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: BodyLimitMiddleware(limit: configuration.maxBodyBytes))
        let store = workspace.store, tracker = workspace.tracker
        let dashboard = DashboardReader(
            store: store, tracker: tracker, clusterRuns: workspace.clusterRuns, storeDirectory: store.directory, logger: logger,
            alerts: workspace === tenants.primary ? alerts : nil)
        OperationsController(store: store, metrics: metrics, dashboard: dashboard).addRoutes(to: router)
        PatternController(store: store, metrics: metrics).addRoutes(to: router)
        AnalyticsController(store: store, tracker: tracker, metrics: metrics, clusterRuns: workspace.clusterRuns, jobThreads: configuration.jobThreads).addRoutes(to: router)
        GenerationController(
            store: store, tracker: tracker, metrics: metrics, outputDirectory: workspace.outputDirectory, environment: configuration.environment
        ).addRoutes(to: router)
        QdrantController(collections: workspace.collections, metrics: metrics).addRoutes(to: router)
        TenantController(services: tenants).addRoutes(to: router)
        AuditController(store: store).addRoutes(to: router)
        ExplorerController(store: store, tracker: tracker, clusterRuns: workspace.clusterRuns).addRoutes(to: router)
        GenerationStream(tracker: tracker).addRoutes(to: router)
        AlertController(alerts: workspace === tenants.primary ? alerts : nil).addRoutes(to: router)
        return router
    }

    /// The tenant gate over each tenant's router, behind the request timeout, with `HEAD`
    /// answered as `GET` without its body, each request a span when tracing is on: what the
    /// application answers with.
    public func makeResponder() -> some HTTPResponder<StrataRequestContext> {
        tenants.makeResponder.withLock { make in
            make = { [self] workspace in makeRouter(for: workspace).buildResponder() }
        }
        let gate = TenantGate(services: tenants, configuredKey: configuration.apiKey, metrics: metrics)
        return TraceResponder(inner: HeadResponder(inner: RequestTimeoutResponder(inner: gate, seconds: configuration.requestTimeout)), tracer: tracing?.tracer)
    }

    /// What ``ConnectionGuard`` holds each connection to.
    var connectionLimits: ConnectionGuard.Limits {
        .init(headerSeconds: configuration.headerTimeout, bodySeconds: configuration.bodyTimeout,
              lingerBytes: configuration.lingerBytes, lingerSeconds: configuration.lingerSeconds)
    }

    /// The application listening where the configuration says.
    public func makeApplication() -> some ApplicationProtocol {
        Application(
            responder: makeResponder(),
            server: .http1(configuration: .init(
                additionalChannelHandlers: [ConnectionGuard(limits: self.connectionLimits)],
                idleTimeout: .nanoseconds(Int64(configuration.idleTimeout * 1e9)))),
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
        alerts?.stop()
        tracing?.shutdown()
        tenants.closeAll()
        collections.closeAll()
        _ = try store.flush()
        try store.close()
    }
}
