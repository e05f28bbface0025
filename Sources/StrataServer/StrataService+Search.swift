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
            return JSONResponse.make(bytes: Self.searchAnswer(response, includeText: body["with_text"] as? Bool ?? true))
        }
    }

    /// `{"results":[{pattern fields…,"score","similarity"}…],"took_us","plan"[,"matched"]}`,
    /// written straight from typed fields: answers are the service's hottest output, and
    /// going through `[String: Any]` cost a fifth of the server's CPU under load (perf).
    static func searchAnswer(_ response: SearchResponse, includeText: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + response.hits.count * (includeText ? 2_048 : 512))
        out += Array(#"{"results":["#.utf8)
        for (index, hit) in response.hits.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            var fields = hit.pattern.jsonFields(includeText: includeText)
            fields.append(("score", .double(hit.score)))
            fields.append(("similarity", .double(hit.similarity)))
            JSONText.writeMembers(fields, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out += Array(#"],"took_us":"#.utf8)
        JSONText.writeDouble(response.tookMicroseconds, into: &out)
        out += Array(#","plan":"#.utf8)
        JSONText.writeString(response.plan.rawValue, into: &out)
        if let matched = response.matched {
            out += Array(#","matched":"#.utf8)
            out += Array(String(matched).utf8)
        }
        out.append(UInt8(ascii: "}"))
        return out
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
