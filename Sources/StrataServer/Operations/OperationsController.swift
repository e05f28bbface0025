import Foundation
import Hummingbird
import StrataStore

/// What operators and tools ask of the service: liveness (`/healthz`), readiness (`/readyz`),
/// Prometheus metrics (`/metrics`), the OpenAPI document (`/openapi.json`) and the dashboard
/// (`/dashboard`). All reads, open without the API key.
struct OperationsController {
    let store: PatternStore
    let metrics: ServiceMetrics
    let dashboard: DashboardReader

    func addRoutes(to router: Router<StrataRequestContext>) {
        router.get("healthz", use: health)
        router.get("readyz", use: readiness)
        router.get("metrics", use: exposition)
        router.get("openapi.json") { _, _ in JSONResponse.make(APIDocument.jsonObject) }
        router.get("dashboard", use: page)
    }

    /// Alive: the process answers.
    @Sendable func health(_: Request, context _: StrataRequestContext) -> Response {
        JSONResponse.make(["status": "ok"])
    }

    /// Ready: the store answers a count, and a replica of a shared store has applied every
    /// write the others made (503 until it has, so a load balancer holds traffic back). A
    /// probe without a key on a store with keys learns only whether the service is ready.
    @Sendable func readiness(_: Request, context: StrataRequestContext) throws -> Response {
        let stats = try store.stats()
        var answer: [String: Any] = ["ready": true]
        if context.principal != nil || !context.keysRequired {
            answer.merge(["patterns": stats.patterns, "hot": stats.hot, "cold": stats.cold]) { $1 }
        }
        guard let replication = store.replicationStatus else { return JSONResponse.make(answer) }
        let caughtUp = replication.isCaughtUp()
        answer["ready"] = caughtUp
        var replica: [String: Any] = [
            "caught_up": caughtUp, "applied_sequence": replication.appliedSequence,
            "newest_sequence": replication.newestSequence, "maintainer": replication.isMaintainer,
        ]
        replica["lag_seconds"] = replication.lagSeconds
        replica["last_poll_seconds_ago"] = replication.lastPoll.map { Date().timeIntervalSince($0) }
        replica["error"] = replication.lastError
        answer["replica"] = replica
        return JSONResponse.make(answer, status: caughtUp ? .ok : .serviceUnavailable)
    }

    @Sendable func exposition(_: Request, context _: StrataRequestContext) throws -> Response {
        let stats = try store.stats()
        metrics.patterns(hot: stats.hot, cold: stats.cold)
        if let replication = store.replicationStatus { metrics.replication(replication) }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }

    /// The service dashboard, an HTML page that refreshes itself (see ``DashboardPage``).
    /// `?environment=prod` shows that environment's generations in the feed and the trend.
    @Sendable func page(request: Request, context _: StrataRequestContext) -> Response {
        let nonce = UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let environment = request.uri.queryParameters["environment"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let page = DashboardPage(data: dashboard.read(environment: environment), nonce: nonce).html()
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-store",
                // Nothing from elsewhere, and no script but the page's own: stored text that
                // slipped through escaping could still not run.
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-\(nonce)'; "
                    + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(string: page)))
    }
}
