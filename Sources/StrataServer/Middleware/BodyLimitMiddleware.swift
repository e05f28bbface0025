import Hummingbird

/// Gives each request the configured body limit (``StrataRequestContext/maxUploadSize``).
struct BodyLimitMiddleware: RouterMiddleware {
    let limit: Int

    func handle(_ request: Request, context: StrataRequestContext, next: (Request, StrataRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        context.maxUploadSize = limit
        return try await next(request, context)
    }
}
