import Foundation
import Hummingbird
import StrataStore

/// The tenant's audit log over HTTP: `GET /v1/audit` (records, oldest first; query `since`,
/// `until` as ISO 8601 or epoch seconds, `action` (a prefix when it ends in `.`), `actor`,
/// `after` (the previous page's last `seq`), `limit`), and `GET /v1/audit/verify` (the
/// chain's verdict).
struct AuditController {
    let store: PatternStore

    func addRoutes(to router: Router<StrataRequestContext>) {
        router.get("v1/audit", use: list)
        router.get("v1/audit/verify", use: verify)
    }

    @Sendable func list(_ request: Request, context _: StrataRequestContext) throws -> Response {
        let parameters = request.uri.queryParameters
        func text(_ name: String) -> String? { parameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        func time(_ name: String) throws(ServerError) -> Date? {
            guard let value = text(name) else { return nil }
            if let seconds = Double(value) { return Date(timeIntervalSince1970: seconds) }
            guard let date = ISO8601DateFormatter().date(from: value) else {
                throw .badRequest("\(name) \"\(value)\" is not a time: expected ISO 8601 (2026-12-07T09:00:00Z) or epoch seconds")
            }
            return date
        }
        func number(_ name: String, default value: Int) throws(ServerError) -> Int {
            guard let given = text(name) else { return value }
            guard let number = Int(given), number >= 0 else { throw .badRequest("\(name) \"\(given)\" is not a whole number ≥ 0") }
            return number
        }
        let query = AuditQuery(
            since: try time("since"), until: try time("until"), action: text("action"), actor: text("actor"),
            after: Int64(try number("after", default: 0)), limit: try number("limit", default: 1000))
        let entries = try served { () throws(StoreError) in try StoreAudit(store: store).entries(query) }
        var answer: [String: Any] = ["records": entries.map(\.jsonObject)]
        if entries.count == query.limit, let last = entries.last { answer["next_after"] = last.sequence }
        return JSONResponse.make(answer)
    }

    @Sendable func verify(_: Request, context _: StrataRequestContext) throws -> Response {
        let verdict = try served { () throws(StoreError) in try StoreAudit(store: store).verify() }
        var answer: [String: Any] = ["holds": verdict.holds, "checked": verdict.checked]
        answer["first_broken"] = verdict.firstBroken
        answer["problem"] = verdict.problem
        return JSONResponse.make(answer)
    }
}
