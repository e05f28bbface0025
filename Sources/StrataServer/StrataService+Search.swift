import Foundation
import Hummingbird
import StrataStore

extension StrataService {
    func addSearchRoutes(to router: Router<BasicRequestContext>) {
        // {"text": "..."} or {"vector": [...]}, "k" (default 10), "filter" (the CLI's filter
        // expression), "rerank" {"semantic","keyword","quality","success_rate"}, "ef", "exact".
        router.post("v1/search") { request, _ throws(ServerError) in
            let body = try await JSONResponse.object(request, limit: self.configuration.maxBodyBytes)
            let search = try self.searchRequest(body)
            let response = try self.storeCall { () throws(StoreError) in try self.store.search(search) }
            self.metrics.search(microseconds: response.tookMicroseconds)
            var object: [String: Any] = [
                "results": response.hits.map { hit in
                    var result = hit.pattern.jsonObject(includeText: body["with_text"] as? Bool ?? true)
                    result["score"] = hit.score
                    result["similarity"] = hit.similarity
                    return result
                },
                "took_us": response.tookMicroseconds, "plan": response.plan.rawValue,
            ]
            if let matched = response.matched { object["matched"] = matched }
            return JSONResponse.make(object)
        }
    }

    func searchRequest(_ body: [String: Any]) throws(ServerError) -> SearchRequest {
        let query: SearchQuery
        switch (body["text"], body["vector"]) {
        case let (text as String, nil):
            query = .text(text)
        case let (nil, vector as [Any]):
            var values: [Float] = []
            values.reserveCapacity(vector.count)
            for (index, element) in vector.enumerated() {
                guard let number = element as? NSNumber else {
                    throw .badRequest("\"vector\"[\(index)] is not a number; send an array of numbers")
                }
                values.append(number.floatValue)
            }
            query = .vector(values)
        default:
            throw .badRequest("send exactly one of \"text\" (a string) or \"vector\" (an array of numbers)")
        }
        let k = try JSONResponse.whole(body["k"], "k", default: 10, range: 1...10_000)
        let filter = try storeCall { () throws(StoreError) in try (body["filter"] as? String).map(PatternFilter.init(expression:)) ?? PatternFilter() }
        if body["filter"] != nil, !(body["filter"] is String) {
            throw .badRequest("\"filter\" must be a filter expression such as \"node_type=effect,quality>=0.7\"")
        }
        var rerank: RerankWeights?
        if let weights = body["rerank"] {
            guard let weights = weights as? [String: Any] else { throw .badRequest("\"rerank\" must be an object of weights") }
            func weight(_ key: String, _ fallback: Double) throws(ServerError) -> Double {
                guard let value = weights[key] else { return fallback }
                guard let number = value as? NSNumber, number.doubleValue >= 0 else {
                    throw .badRequest("rerank.\(key) must be a number, 0 or more")
                }
                return number.doubleValue
            }
            rerank = RerankWeights(
                semantic: try weight("semantic", 1), keyword: try weight("keyword", 0), quality: try weight("quality", 0),
                successRate: try weight("success_rate", 0))
        }
        let ef = body["ef"] == nil ? nil : try JSONResponse.whole(body["ef"], "ef", default: 0, range: 1...100_000)
        return SearchRequest(query: query, k: k, filter: filter, ef: ef, rerank: rerank, exact: body["exact"] as? Bool ?? false)
    }
}
