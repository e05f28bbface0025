import Foundation
import Hummingbird
import StrataAnalytics
import StrataGeneration
import StrataStore

extension StrataService {
    func addAnalyticsRoutes(to router: Router<BasicRequestContext>) {
        // Generation records: one object or {"generations": [...]}, fields as in `strata record`.
        router.post("v1/generations") { request, _ throws(ServerError) in
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes)
            let records = try Self.decodeEach(try Self.list(body, key: "generations"), what: "generation") { object throws(AnalyticsError) in
                try GenerationRecord(json: object)
            }
            let stored = try self.analyticsCall { () throws(AnalyticsError) in try self.tracker.record(records) }
            for record in stored { self.metrics.generation(record) }
            return JSONResponse.make(["ids": stored.compactMap(\.id), "records": stored.map(\.jsonObject)], status: .created)
        }
        // ?model=&provider=&stage=&project=&since=&limit=
        router.get("v1/generations") { request, _ throws(ServerError) in
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
            let records = try self.analyticsCall { () throws(AnalyticsError) in try self.tracker.records(matching: filter) }
            return JSONResponse.make(["records": records.map(\.jsonObject)])
        }
        // {"node_type","domain","stage","model","prompt","top_similarity","context"}
        router.post("v1/predict") { request, _ throws(ServerError) in
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes)
            guard let model = body["model"] as? String, let prompt = body["prompt"] as? String else {
                throw .badRequest("send \"model\" and \"prompt\" (strings), and optionally node_type, domain, stage, top_similarity, context")
            }
            let generation = GenerationRequest(
                nodeType: body["node_type"] as? String ?? "none", domain: body["domain"] as? String ?? "general",
                stage: body["stage"] as? String ?? "generate", model: model, prompt: prompt,
                topSimilarity: (body["top_similarity"] as? NSNumber)?.doubleValue, contextPatterns: (body["context"] as? NSNumber)?.intValue ?? 0)
            let forecast = try self.analyticsCall { () throws(AnalyticsError) in
                try GenerationPredictor.fit(tracker: self.tracker).predict(generation)
            }
            func shape(_ prediction: RidgeModel.Prediction) -> [String: Double] { ["value": prediction.value, "low": prediction.low, "high": prediction.high] }
            return JSONResponse.make(["quality": shape(forecast.quality), "cost": shape(forecast.cost), "latency_seconds": shape(forecast.latency)])
        }
        // ?stage=generate&node_type=&domain=&budget=USD&quality_target=0.8
        router.get("v1/models/recommend") { request, _ throws(ServerError) in
            let query = request.uri.queryParameters
            let budget = try query["budget"].map { text throws(ServerError) in
                guard let value = Double(text), value >= 0 else { throw .badRequest("budget \"\(text)\" must be dollars per generation, 0 or more") }
                return value
            }
            let target = try query["quality_target"].map { text throws(ServerError) in
                guard let value = Double(text), (0...1).contains(value) else { throw .badRequest("quality_target \"\(text)\" must be from 0 to 1") }
                return value
            } ?? 0.8
            let recommendation = try self.analyticsCall { () throws(AnalyticsError) in
                var selector = try ModelSelector(
                    catalog: ModelCatalog(latestOf: try self.tracker.prices.all()), history: try self.tracker.records(stage: nil, since: nil))
                return try selector.recommend(
                    stage: query["stage"].map(String.init) ?? "generate", nodeType: query["node_type"].map(String.init),
                    domain: query["domain"].map(String.init), budget: budget.map { .perGeneration(dollars: $0) } ?? .unlimited, qualityTarget: target)
            }
            return JSONResponse.make([
                "model": recommendation.model, "provider": recommendation.provider, "predicted_quality": recommendation.predictedQuality,
                "predicted_cost": recommendation.predictedCost as Any, "confidence": recommendation.confidence, "reason": recommendation.reason,
                "exploring": recommendation.exploring,
                "alternatives": recommendation.alternatives.map { ["model": $0.model, "provider": $0.provider, "predicted_quality": $0.predictedQuality, "predicted_cost": $0.predictedCost as Any, "evidence": $0.evidence, "affordable": $0.affordable] },
            ])
        }
        router.get("v1/budgets") { request, _ throws(ServerError) in
            let statuses = try self.analyticsCall { () throws(AnalyticsError) in
                try self.tracker.budgets.status(project: request.uri.queryParameters["project"].map(String.init))
            }
            return JSONResponse.make(["budgets": statuses.map { status in
                [
                    "project": status.budget.project, "period": status.budget.period.rawValue, "limit": status.budget.limit, "spent": status.spent,
                    "remaining": status.remaining, "fraction": status.fraction, "alert_level": status.level.rawValue,
                    "forecast": status.forecast.expected, "forecast_over_limit": status.forecastOverLimit,
                ] as [String: Any]
            }])
        }
    }

    /// `body[key]` as a non-empty list of objects, or the body itself as a list of one.
    static func list(_ body: [String: Any], key: String) throws(ServerError) -> [[String: Any]] {
        guard let list = body[key] else { return [body] }
        guard let objects = list as? [[String: Any]], !objects.isEmpty else {
            throw .badRequest("\"\(key)\" must be a non-empty array of objects")
        }
        return objects
    }

    /// Decodes every object, naming the one that fails ("generation 3: ...") when there are several.
    static func decodeEach<T, Failure: Error & CustomStringConvertible>(
        _ objects: [[String: Any]], what: String, _ decode: ([String: Any]) throws(Failure) -> T
    ) throws(ServerError) -> [T] {
        var decoded: [T] = []
        for (index, object) in objects.enumerated() {
            do throws(Failure) {
                decoded.append(try decode(object))
            } catch {
                throw .badRequest(objects.count == 1 ? error.description : "\(what) \(index + 1): \(error.description)")
            }
        }
        return decoded
    }

    /// Runs an analytics call, turning its errors into HTTP errors.
    func analyticsCall<T>(_ body: () throws(AnalyticsError) -> T) throws(ServerError) -> T {
        do { return try body() } catch {
            if case let .store(storeError) = error { throw serverError(storeError) }
            switch error {
            case .insufficientData: throw .conflict(error.description)
            case .catalog, .file, .linearAlgebra, .index:
                logger.error("analytics failure", metadata: ["error": "\(error)"])
                throw .internal(error.description)
            default: throw .badRequest(error.description)
            }
        }
    }
}
