import Hummingbird
import Logging

/// The door every failure leaves a route by: an error that knows its HTTP form
/// (`HTTPResponseError`: ``ServerError`` and the libraries' errors, see
/// `ServerError+Mapping.swift`) goes on to render itself, and is logged when it is the
/// server's fault (5xx); any other error is logged and answered as a 500 that says so.
///
/// `package` for the tests, which put it before a route that throws what no route should.
package struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            if error.status.code >= 500 {
                context.logger.error("request failed", metadata: Self.metadata(request, error, status: error.status))
            }
            throw error
        } catch {
            context.logger.error("unexpected error", metadata: Self.metadata(request, error, status: .internalServerError))
            throw ServerError.internal("the server failed unexpectedly (\(type(of: error))): \(error)")
        }
    }

    private static func metadata(_ request: Request, _ error: any Error, status: HTTPResponse.Status) -> Logger.Metadata {
        ["method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(status.code)", "error": "\(error)"]
    }
}
