import Hummingbird
import StrataTracing

/// Counts every request and its latency per route, and names the request's span (when it is
/// traced) by its route: `POST /v1/search`.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        func finish(_ status: Int) {
            let route = context.endpointPath ?? "unmatched"
            if let path = context.endpointPath, EngineTrace.isActive {
                let span = EngineTrace.request
                span.rename("\(request.method.rawValue) \(path)")
                span.set("http.route", path)
            }
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
