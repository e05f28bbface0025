import Foundation
import Hummingbird
import Synchronization

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

/// Answers 503 when a request runs past the configured time, so a client is never left
/// waiting on a stuck provider or a huge batch.
///
/// A responder around the router, not a middleware: a middleware's `next` cannot outlive
/// it, and the answer must go out while the work is still running. The work goes on in its
/// own task (store calls are synchronous and finish what they started): a write that times
/// out may still commit, and the error says so.
struct RequestTimeoutResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context: Sendable {
    typealias Context = Inner.Context
    let inner: Inner
    let seconds: Double

    /// Whichever of the work and the timer finishes first answers; the other is ignored.
    private final class Race: Sendable {
        private let finished = Mutex(false)
        func claim() -> Bool { finished.withLock { done in defer { done = true }; return !done } }
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let race = Race()
        let seconds = self.seconds
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Response, any Error>) in
            // A Dispatch timer, not a sleeping task: the handlers' store calls block the
            // threads of the concurrency pool, and a timer there could not fire until they end.
            let timer = DispatchWorkItem {
                guard race.claim() else { return }
                let error = ServerError.timedOut(seconds: seconds)
                continuation.resume(returning: request.uri.path.hasPrefix("/collections") ? error.qdrantResponse(seconds: seconds) : error.nativeResponse())
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: timer)
            Task {
                let result: Result<Response, any Error>
                do { result = .success(try await inner.respond(to: request, context: context)) } catch { result = .failure(error) }
                timer.cancel()
                if race.claim() { continuation.resume(with: result) }
            }
        }
    }
}
