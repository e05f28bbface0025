import Foundation
import Hummingbird

/// Counts every request and its latency per route.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        func finish(_ status: Int) {
            let route = context.endpointPath ?? "unmatched"
            metrics.request(route: route, method: request.method.rawValue, status: status, seconds: (ContinuousClock.now - started) / .seconds(1))
        }
        do {
            let response = try await next(request, context)
            finish(Int(response.status.code))
            return response
        } catch let error as any HTTPResponseError {
            finish(Int(error.status.code))
            throw error
        } catch {
            finish(500)
            throw error
        }
    }
}

/// Writes (every method but GET, HEAD and OPTIONS) need the configured key, in the `api-key`
/// header (Qdrant's) or as `Authorization: Bearer KEY`. Reads stay open.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key, ![.get, .head, .options].contains(request.method) else { return try await next(request, context) }
        let given = request.headers.first { $0.name.canonicalName == "api-key" }?.value
            ?? request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let given, Self.equal(given, key) else { throw ServerError.unauthorized }
        return try await next(request, context)
    }

    /// Compares in time that does not depend on where the texts differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<min(x.count, y.count) { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
