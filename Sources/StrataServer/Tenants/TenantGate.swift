import Foundation
import Hummingbird
import StrataStore

/// The door of every request: who sent it (its key), what it may do (the key's role), and
/// which tenant's workspace answers it.
///
/// Keys come in the `api-key` header (Qdrant's), as `Authorization: Bearer KEY`, or as the
/// password of `Authorization: Basic` (what a browser sends for the dashboard after the
/// 401's `WWW-Authenticate`).
///
/// - A store with keys (``TenantDirectory/requiresKeys()``) refuses every request without a
///   valid one (401), but liveness and readiness, which probes send without one.
/// - A read key is refused (403) whatever writes; only an admin key may name another tenant
///   (`strata-tenant` header) or manage tenants (`/v1/tenants`).
/// - A store without keys serves everyone as its default tenant, and the configured
///   `api_key`, when there is one, guards writes as it always has; it is also the default
///   tenant's admin key.
struct TenantGate: HTTPResponder {
    typealias Context = StrataRequestContext
    let services: TenantServices
    let configuredKey: String?
    let metrics: ServiceMetrics

    /// The header an admin names another tenant with.
    static let tenantHeader = "strata-tenant"

    func respond(to request: Request, context: Context) async throws -> Response {
        var context = context
        do {
            try admit(request, into: &context)
        } catch {
            metrics.request(route: "gate", method: request.method.rawValue, status: Int(error.status.code), seconds: 0)
            var response = ErrorEnvelope(request: request, context: context).response(error)
            if error.status == .unauthorized { response.headers[.wwwAuthenticate] = "Basic realm=\"strata\", charset=\"UTF-8\"" }
            return response
        }
        let responder = try services.responder(for: context.tenant).responder
        // Every write the request makes is audited as this key's, in this tenant, under this id.
        let audit = AuditContext(
            actor: context.principal.map { "key:" + $0.keyID } ?? "anonymous", tenant: context.tenant,
            requestID: request.headers.first { $0.name.canonicalName == "x-request-id" }?.value ?? context.id)
        return try await AuditContext.$current.withValue(audit) { try await responder.respond(to: request, context: context) }
    }

    /// Sets the request's principal and tenant, or refuses it.
    func admit(_ request: Request, into context: inout Context) throws(ServerError) {
        let path = request.uri.path
        let probe = path == "/healthz" || path == "/readyz"
        let tenants = try services.tenants
        let keyed = try served { () throws(StoreError) in try tenants.requiresKeys() }
        context.keysRequired = keyed
        if let presented = Self.presentedKey(request) {
            context.principal = try principal(presented, tenants)
        } else if keyed, !probe {
            throw ServerError(.unauthorized, "this store has tenants: send your key in the api-key header (or Authorization: Bearer KEY); `strata tenant create` issues keys")
        } else if configuredKey != nil, !Self.onlyReads(request) {
            throw ServerError.unauthorized
        }
        guard let principal = context.principal else { return }
        if principal.role == .read, !Self.onlyReads(request) {
            throw ServerError(.forbidden, "the key \(principal.keyID) has the read role: \(request.method.rawValue) \(path) writes; use a key with the write role")
        }
        if path == "/metrics" || path.hasPrefix("/v1/tenants"), keyed, principal.role != .admin {
            throw ServerError(.forbidden, "\(path) needs an admin key; the key \(principal.keyID) has the \(principal.role.rawValue) role")
        }
        context.tenant = principal.tenant
        if let named = request.headers.first(where: { $0.name.canonicalName == Self.tenantHeader })?.value, named != principal.tenant {
            guard principal.role == .admin else {
                throw ServerError(.forbidden, "the key \(principal.keyID) is tenant \(principal.tenant)'s: only an admin key acts in another tenant (\(Self.tenantHeader): \(named))")
            }
            guard try served({ () throws(StoreError) in try tenants.contains(named) }) else { throw .notFound("there is no tenant \"\(named)\"") }
            context.tenant = named
        }
    }

    private func principal(_ presented: String, _ tenants: TenantDirectory) throws(ServerError) -> TenantPrincipal {
        if let configuredKey, TenantKeyFormat.same(presented, configuredKey) {
            return TenantPrincipal(tenant: TenantDirectory.defaultTenant, role: .admin, keyID: "api_key")
        }
        switch try served({ () throws(StoreError) in try tenants.check(presented) }) {
        case let .valid(principal): return principal
        case .unknown: throw ServerError(.unauthorized, "the key sent is not a key of this store: check it, or ask an admin for one (`strata tenant create`)")
        case let .revoked(at): throw ServerError(.unauthorized, "the key sent was revoked at \(ISO8601DateFormatter().string(from: at)): ask an admin for a new one")
        case let .expired(at): throw ServerError(.unauthorized, "the key sent expired at \(ISO8601DateFormatter().string(from: at)): ask an admin for a new one")
        }
    }

    /// The key a request carries, if any.
    static func presentedKey(_ request: Request) -> String? {
        if let key = request.headers.first(where: { $0.name.canonicalName == "api-key" })?.value { return key }
        guard let authorization = request.headers[.authorization] else { return nil }
        if authorization.hasPrefix("Bearer ") { return String(authorization.dropFirst(7)) }
        guard authorization.hasPrefix("Basic "), let decoded = Data(base64Encoded: String(authorization.dropFirst(6))),
              let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":") else { return nil }
        return String(pair[pair.index(after: colon)...])
    }

    /// True for the requests a read key may send: every GET, HEAD and OPTIONS, and the POST
    /// routes that only ask (a search, a prediction, Qdrant's search, query, scroll, count and
    /// retrieve), which carry their question in a body. A generator holding no write key can
    /// still look patterns up.
    static func onlyReads(_ request: Request) -> Bool {
        if [.get, .head, .options].contains(request.method) { return true }
        guard request.method == .post else { return false }
        let path = request.uri.path
        if path == "/v1/search" || path == "/v1/predict" { return true }
        guard path.hasPrefix("/collections/") else { return false }
        return ["/points", "/points/search", "/points/query", "/points/scroll", "/points/count"].contains { path.hasSuffix($0) }
    }
}
