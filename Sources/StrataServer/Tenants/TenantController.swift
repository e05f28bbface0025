import Foundation
import Hummingbird
import StrataAnalytics
import StrataStore

/// Tenants and keys over HTTP, for admin keys only: `/v1/tenants`.
///
/// - `GET /v1/tenants`: every tenant with its patterns, active keys, generations and their
///   cost (the cost allocated by tenant);
/// - `POST /v1/tenants` `{"name", "role", "expires_days"}`: makes the tenant when new and
///   issues a key (201, the key shown this once);
/// - `GET /v1/tenants/{tenant}/keys`, `POST /v1/tenants/{tenant}/keys` `{"role", "expires_days"}`;
/// - `DELETE /v1/tenants/{tenant}/keys/{id}`: revokes the key.
struct TenantController {
    let services: TenantServices

    func addRoutes(to router: Router<StrataRequestContext>) {
        router.group("v1/tenants")
            .get(use: list)
            .post(use: create)
            .get("{tenant}/keys", use: keys)
            .post("{tenant}/keys", use: issue)
            .delete("{tenant}/keys/{key}", use: revoke)
    }

    @Sendable func list(_: Request, context: StrataRequestContext) throws -> Response {
        let tenants = try Self.admin(context, services)
        let keys = try served { () throws(StoreError) in try tenants.keys() }
        let now = Date()
        let rows = try served { () throws(StoreError) in try tenants.names() }.map { (name) throws -> [String: Any] in
            let workspace = try services.responder(for: name).workspace
            let spend = try workspace.tracker.statistics(groupBy: [.model])
            return [
                "tenant": name, "patterns": try workspace.store.count(),
                "active_keys": keys.filter { $0.tenant == name && $0.isActive(at: now) }.count,
                "generations": spend.reduce(0) { $0 + $1.count }, "cost_usd": spend.reduce(0) { $0 + $1.totalCost },
            ]
        }
        return JSONResponse.make(["tenants": rows])
    }

    @Sendable func create(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let tenants = try Self.admin(context, services)
        let body = try await request.decode(as: KeyRequestBody.self, context: context)
        guard let name = body.name else { throw ServerError.badRequest("name: missing; expected the tenant's name") }
        let created = try served { () throws(StoreError) -> Bool in
            try TenantDirectory.validate(name: name)
            guard try !tenants.contains(name) else { return false }
            try tenants.create(name)
            return true
        }
        return try issued(tenants, name, body, created: created)
    }

    @Sendable func keys(_: Request, context: StrataRequestContext) throws -> Response {
        let tenants = try Self.admin(context, services)
        let tenant = try Self.parameter("tenant", context)
        let keys = try served { () throws(StoreError) in try tenants.keys(of: tenant) }
        return JSONResponse.make(["keys": keys.map(\.jsonObject)])
    }

    @Sendable func issue(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let tenants = try Self.admin(context, services)
        let body = try await request.decode(as: KeyRequestBody.self, context: context)
        if body.name != nil { throw ServerError.badRequest("name: not a field here; the tenant is in the path") }
        return try issued(tenants, try Self.parameter("tenant", context), body, created: false)
    }

    @Sendable func revoke(_: Request, context: StrataRequestContext) throws -> Response {
        let tenants = try Self.admin(context, services)
        let tenant = try Self.parameter("tenant", context), id = try Self.parameter("key", context)
        guard try served({ () throws(StoreError) in try tenants.keys(of: tenant) }).contains(where: { $0.id == id }) else {
            throw ServerError.notFound("tenant \(tenant) has no key \(id)")
        }
        let revoked = try served { () throws(StoreError) in try tenants.revoke(keyID: id) }
        return JSONResponse.make(revoked?.jsonObject ?? [:])
    }

    private func issued(_ tenants: TenantDirectory, _ tenant: String, _ body: KeyRequestBody, created: Bool) throws(ServerError) -> Response {
        let key = try served { () throws(StoreError) in
            try tenants.issueKey(for: tenant, role: body.role, expiresAt: body.expiresDays.map { Date().addingTimeInterval($0 * 86_400) })
        }
        var answer = key.record.jsonObject
        answer["key"] = key.key
        answer["created"] = created
        return JSONResponse.make(answer, status: .created)
    }

    /// The tenants, when the request carries an admin key.
    static func admin(_ context: StrataRequestContext, _ services: TenantServices) throws(ServerError) -> TenantDirectory {
        guard let principal = context.principal, principal.role == .admin else {
            throw ServerError(.forbidden, "tenants and keys need an admin key (the api_key of the configuration, or one `strata tenant create NAME --role admin` issued)")
        }
        return try services.tenants
    }

    static func parameter(_ name: String, _ context: StrataRequestContext) throws(ServerError) -> String {
        guard let value = context.parameters.get(name)?.removingPercentEncoding, !value.isEmpty else { throw .badRequest("the path needs a \(name)") }
        return value
    }
}

/// Runs `body`, a store's failure answered with its own status and description.
func served<T>(_ body: () throws(StoreError) -> T) throws(ServerError) -> T {
    do { return try body() } catch { throw ServerError(error.status, error.description) }
}

/// The body of a key request: `{"name"?, "role": "write", "expires_days"?}`.
struct KeyRequestBody: Decodable {
    var name: String?
    var role: TenantRole
    var expiresDays: Double?

    private enum CodingKeys: String, CodingKey {
        case name, role
        case expiresDays = "expires_days"
    }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        name = try body.decodeIfPresent(String.self, forKey: .name)
        role = try body.decodeCaseIfPresent(TenantRole.self, forKey: .role) ?? .write
        expiresDays = try body.decodeIfPresent(Double.self, forKey: .expiresDays, in: 0.000_001...36_500)
    }
}

extension TenantKey {
    /// The key's record as the API and the command line show it (never the key itself).
    package var jsonObject: [String: Any] {
        let format = ISO8601DateFormatter()
        return [
            "key_id": id, "tenant": tenant, "role": role.rawValue, "created_at": format.string(from: createdAt),
            "expires_at": expiresAt.map(format.string) ?? NSNull(), "revoked_at": revokedAt.map(format.string) ?? NSNull(),
            "state": state(at: Date()),
        ]
    }
}
