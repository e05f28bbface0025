import Foundation
import Hummingbird
import StrataAnalytics
import StrataStore

/// The native API's analytics: generation records (`/v1/generations`), predictions
/// (`/v1/predict`), model recommendations (`/v1/models/recommend`), budgets (`/v1/budgets`)
/// and cluster runs (`/v1/clusters`).
struct AnalyticsController {
    let store: PatternStore
    let tracker: PerformanceTracker
    let metrics: ServiceMetrics
    let clusterRuns: ClusterRuns
    /// Threads a cluster run may use (``ServerConfiguration/jobThreads``).
    let jobThreads: Int

    func addRoutes(to router: Router<StrataRequestContext>) {
        router.post("v1/generations", use: record)
        router.get("v1/generations", use: records)
        router.post("v1/predict", use: predict)
        router.get("v1/models/recommend", use: recommend)
        router.get("v1/budgets", use: budgets)
        router.post("v1/clusters", use: cluster)
        router.get("v1/clusters", use: clusters)
    }

    /// One record or `{"generations": [...]}`, fields as in `strata record`.
    @Sendable func record(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let body = try await request.decode(as: GenerationsBody.self, context: context)
        let stored = try tracker.record(body.records)
        for record in stored { metrics.generation(record) }
        return JSONResponse.make(["ids": stored.compactMap(\.id), "records": stored.map(\.jsonObject)], status: .created)
    }

    /// `?model=&provider=&stage=&project=&since=&limit=`
    @Sendable func records(_ request: Request, context _: StrataRequestContext) throws -> Response {
        let query = request.uri.queryParameters
        let since = try query["since"].map { text throws(ServerError) in
            guard let date = PatternFilter.parseDate(String(text)) else { throw .badRequest("since \"\(text)\" must be a date such as 2026-03-01 or an ISO 8601 time") }
            return date
        }
        let limit = try query["limit"].map { text throws(ServerError) in
            guard let value = Int(text), value >= 1 else { throw .badRequest("limit \"\(text)\" must be a whole number, 1 or more") }
            return value
        } ?? 100
        let filter = RecordQuery(
            model: query["model"].map(String.init), provider: query["provider"].map(String.init), stage: query["stage"].map(String.init),
            project: query["project"].map(String.init), from: since, limit: limit)
        return JSONResponse.make(["records": try tracker.records(matching: filter).map(\.jsonObject)])
    }

    /// `{"model", "prompt", "node_type", "domain", "stage", "top_similarity", "context"}`.
    @Sendable func predict(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let body = try await request.decode(as: PredictBody.self, context: context)
        let forecast = try GenerationPredictor.fit(tracker: tracker).predict(body.request)
        func shape(_ prediction: RidgeModel.Prediction) -> [String: Double] { ["value": prediction.value, "low": prediction.low, "high": prediction.high] }
        return JSONResponse.make(["quality": shape(forecast.quality), "cost": shape(forecast.cost), "latency_seconds": shape(forecast.latency)])
    }

    /// `?stage=generate&node_type=&domain=&budget=USD&quality_target=0.8`
    @Sendable func recommend(_ request: Request, context _: StrataRequestContext) throws -> Response {
        let query = request.uri.queryParameters
        let budget = try query["budget"].map { text throws(ServerError) in
            guard let value = Double(text), value >= 0 else { throw .badRequest("budget \"\(text)\" must be dollars per generation, 0 or more") }
            return value
        }
        let target = try query["quality_target"].map { text throws(ServerError) in
            guard let value = Double(text), (0...1).contains(value) else { throw .badRequest("quality_target \"\(text)\" must be from 0 to 1") }
            return value
        } ?? 0.8
        var selector = try ModelSelector(catalog: ModelCatalog(latestOf: try tracker.prices.all()), history: try tracker.records(stage: nil, since: nil))
        let recommendation = try selector.recommend(
            stage: query["stage"].map(String.init) ?? "generate", nodeType: query["node_type"].map(String.init),
            domain: query["domain"].map(String.init), budget: budget.map { .perGeneration(dollars: $0) } ?? .unlimited, qualityTarget: target)
        return JSONResponse.make([
            "model": recommendation.model, "provider": recommendation.provider, "predicted_quality": recommendation.predictedQuality,
            "predicted_cost": recommendation.predictedCost as Any, "confidence": recommendation.confidence, "reason": recommendation.reason,
            "exploring": recommendation.exploring,
            "alternatives": recommendation.alternatives.map {
                ["model": $0.model, "provider": $0.provider, "predicted_quality": $0.predictedQuality, "predicted_cost": $0.predictedCost as Any,
                 "evidence": $0.evidence, "affordable": $0.affordable]
            },
        ])
    }

    /// `?project=`
    @Sendable func budgets(_ request: Request, context _: StrataRequestContext) throws -> Response {
        let statuses = try tracker.budgets.status(project: request.uri.queryParameters["project"].map(String.init))
        return JSONResponse.make(["budgets": statuses.map { status in
            [
                "project": status.budget.project, "environment": status.budget.environment as Any, "period": status.budget.period.rawValue,
                "limit": status.budget.limit, "spent": status.spent, "held": status.held,
                "remaining": status.remaining, "fraction": status.fraction, "alert_level": status.level.rawValue,
                "forecast": status.forecast.expected, "forecast_over_limit": status.forecastOverLimit,
            ] as [String: Any]
        }])
    }

    /// `{"k" (omit: chosen by silhouette), "filter", "restarts", "seed"}` → the report as
    /// `strata cluster --json` writes it; the run is kept in the history. On NIO's pool for
    /// blocking work: a run takes seconds, on at most ``jobThreads`` threads, so searches
    /// meanwhile find a core free.
    @Sendable func cluster(_ request: Request, context: StrataRequestContext) async throws -> Response {
        var decoded = try await request.decode(as: ClusterBody.self, context: context)
        decoded.clustering.threads = min(decoded.clustering.threads, jobThreads)
        let body = decoded
        let report = try await offloaded { [store, clusterRuns] in
            try clusterRuns.withHistory { history throws(AnalyticsError) in
                try ClusterReport.generate(store: store, filter: body.filter, clustering: body.clustering, history: history)
            }
        }
        return JSONResponse.make(report.jsonObject(), status: .created)
    }

    @Sendable func clusters(_: Request, context _: StrataRequestContext) throws -> Response {
        let runs = try clusterRuns.withHistory { history throws(AnalyticsError) in try history.runs() }
        let dates = ISO8601DateFormatter()
        return JSONResponse.make(["runs": runs.map { ["id": $0.id, "created_at": dates.string(from: $0.createdAt), "filter": $0.filter, "k": $0.k, "n": $0.n] as [String: Any] }])
    }
}
