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
