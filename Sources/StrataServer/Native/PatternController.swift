import Foundation
import Hummingbird
import StrataStore

/// The native API's patterns and search: `/v1/patterns` and `/v1/search`.
struct PatternController {
    let store: PatternStore
    let metrics: ServiceMetrics

    func addRoutes(to router: Router<StrataRequestContext>) {
        router.group("v1/patterns")
            .post(use: add)
            .get(":id", use: get)
            .delete(":id", use: delete)
            .patch(":id", use: feedback)
        router.post("v1/search", use: search)
    }

    /// One pattern object, or `{"patterns": [...]}`; 201 once the transaction has committed:
    /// the patterns survive a crash from then on.
    @Sendable func add(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let body = try await request.decode(as: PatternsBody.self, context: context)
        let outcomes = try store.add(body.patterns, existing: .fail)
        return JSONResponse.make([
            "ids": outcomes.map(\.storedAs),
            "results": outcomes.map { ["id": $0.id, "action": $0.action.rawValue, "stored_as": $0.storedAs] },
        ], status: .created)
    }

    @Sendable func get(_: Request, context: StrataRequestContext) throws -> Response {
        JSONResponse.make(try store.pattern(id: try Self.id(context)).jsonObject())
    }

    @Sendable func delete(_: Request, context: StrataRequestContext) throws -> Response {
        let id = try Self.id(context)
        try store.delete(id: id)
        return JSONResponse.make(["deleted": id])
    }

    /// A use: `{"outcome": "success"|"failure"|"used", "quality": 0.8}`.
    @Sendable func feedback(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let id = try Self.id(context)
        let body = try await request.decode(as: FeedbackBody.self, context: context)
        return JSONResponse.make(try store.recordUse(of: id, outcome: body.outcome, quality: body.quality).jsonObject(includeText: false))
    }

    /// `{"text"}` or `{"vector"}` with `k`, `filter`, `rerank`, `ef`, `exact`, `with_text`
    /// (``SearchBody``).
    @Sendable func search(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let body = try await request.decode(as: SearchBody.self, context: context)
        let response = try store.search(try body.request())
        metrics.search(microseconds: response.tookMicroseconds)
        return JSONResponse.make(bytes: Self.searchAnswer(response, includeText: body.withText))
    }

    /// The pattern id in the path, percent-decoded: ids often hold `/` and `:` (ingest names a
    /// unit `path/to/file.py:12:name`), which a client sends as `%2F` and `%3A`.
    static func id(_ context: StrataRequestContext) throws(ServerError) -> String {
        guard let raw = context.parameters.get("id"), !raw.isEmpty else { throw .badRequest("the path needs a pattern id") }
        guard let id = raw.removingPercentEncoding else { throw .badRequest("the pattern id \"\(raw)\" is not valid percent-encoding") }
        return id
    }

    /// `{"results":[{pattern fields…,"score","similarity"}…],"took_us","plan","mode"[,"matched"]}`,
    /// written straight from typed fields: answers are the service's hottest output, and
    /// going through `[String: Any]` cost a fifth of the server's CPU under load (perf).
    static func searchAnswer(_ response: SearchResponse, includeText: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + response.hits.count * (includeText ? 2_048 : 512))
        out.append(literal: #"{"results":["#)
        for (index, hit) in response.hits.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            var fields = hit.pattern.jsonFields(includeText: includeText)
            fields.append(("score", .double(hit.score)))
            fields.append(("similarity", .double(hit.similarity)))
            JSONText.writeMembers(fields, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(literal: #"],"took_us":"#)
        JSONText.writeDouble(response.tookMicroseconds, into: &out)
        out.append(literal: #","plan":"#)
        JSONText.writeString(response.plan.rawValue, into: &out)
        out.append(literal: #","mode":"#)
        JSONText.writeString(response.mode.rawValue, into: &out)
        if let matched = response.matched {
            out.append(literal: #","matched":"#)
            out.append(decimal: matched)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
