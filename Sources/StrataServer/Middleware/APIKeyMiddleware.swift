import Hummingbird

/// Writes (every method but GET, HEAD and OPTIONS) need the configured key, in the `api-key`
/// header (Qdrant's) or as `Authorization: Bearer KEY`. Reads stay open.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key, !Self.onlyReads(request) else { return try await next(request, context) }
        let given = request.headers.first { $0.name.canonicalName == "api-key" }?.value
            ?? request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let given, Self.equal(given, key) else { throw ServerError.unauthorized }
        return try await next(request, context)
    }

    /// True for the requests the key does not guard: every GET, HEAD and OPTIONS, and the POST
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

    /// Compares in time that does not depend on where the texts differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<min(x.count, y.count) { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
