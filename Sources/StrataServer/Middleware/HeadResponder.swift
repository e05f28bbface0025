import HTTPTypes
import Hummingbird

/// Answers `HEAD` wherever `GET` answers: the request goes on as a `GET`, and the response
/// keeps its status and headers (`Content-Length` included) without the body, as RFC 9110
/// §9.3.2 asks. Monitors and caches probe with `HEAD`; without this every route, the
/// dashboard's included, answered it 404.
///
/// A responder around the whole application rather than a router middleware: the router
/// matches a `HEAD` request to no route before any middleware runs.
struct HeadResponder<Inner: HTTPResponder>: HTTPResponder {
    typealias Context = Inner.Context
    let inner: Inner

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .head else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        return try await inner.respond(to: Request(head: head, body: request.body), context: context).createHeadResponse()
    }
}
