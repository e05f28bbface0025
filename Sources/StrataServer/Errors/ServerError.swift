import Foundation
import Hummingbird

/// What the service answers a request it refuses or fails: an HTTP status and a message that
/// says what is wrong and what was expected.
///
/// The server's own refusals are made here (a malformed body, a missing key, a timeout); the
/// failures of the libraries below it get their status in one place,
/// `ServerError+Mapping.swift`. Like Hummingbird's `HTTPError` it renders itself
/// (`HTTPResponseError`), in the envelope of the API the request came through
/// (``ErrorEnvelope``).
public struct ServerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The HTTP status it answers with.
    public var status: HTTPResponse.Status
    /// What went wrong and what to do, for the client.
    public var message: String

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// The status and description of a failure that knows its HTTP form.
    init(_ error: some HTTPResponseError & CustomStringConvertible) {
        self.init(error.status, error.description)
    }

    /// Any failure as the answer it gets: its own status when it knows it (see
    /// `ServerError+Mapping.swift`), 500 otherwise.
    init(answering error: any Error) {
        if let error = error as? ServerError {
            self = error
        } else if let error = error as? any HTTPResponseError & CustomStringConvertible {
            self.init(error.status, error.description)
        } else {
            self = .internal("\(error)")
        }
    }

    public var description: String { message }

    /// The config file, a variable or a flag is wrong; the server does not start.
    public static func configuration(_ message: String) -> ServerError { ServerError(.internalServerError, message) }
    /// The request is malformed or out of range: 400.
    public static func badRequest(_ message: String) -> ServerError { ServerError(.badRequest, message) }
    /// A write without the configured API key: 401.
    public static let unauthorized = ServerError(
        .unauthorized, "this server needs an API key for writes: send it in the api-key header (or Authorization: Bearer KEY)")
    /// No such pattern, collection or point: 404.
    public static func notFound(_ message: String) -> ServerError { ServerError(.notFound, message) }
    /// The id or name is taken, or the store's state does not allow the call: 409.
    public static func conflict(_ message: String) -> ServerError { ServerError(.conflict, message) }
    /// The body is larger than the configured limit: 413.
    public static func tooLarge(limit: Int) -> ServerError {
        ServerError(.contentTooLarge, "the request body is larger than the limit of \(limit) bytes; send smaller batches")
    }
    /// The service failed underneath: 500 (never for bad input).
    public static func `internal`(_ message: String) -> ServerError { ServerError(.internalServerError, message) }
    /// The request was not answered within the configured time: 503.
    public static func timedOut(seconds: Double) -> ServerError {
        ServerError(
            .serviceUnavailable,
            "the request was not answered within the limit of \(seconds) s (request_timeout); a write may still complete, so read before retrying it")
    }
}

extension ServerError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        ErrorEnvelope(request: request, context: context).response(self)
    }
}

/// The two shapes an error answer takes: the native API's `{"error": {"status", "message"}}`
/// and Qdrant's `{"status": {"error"}, "time"}` (its clients parse only that one).
enum ErrorEnvelope {
    case native
    /// Qdrant's, with the seconds since the request arrived.
    case qdrant(seconds: Double)

    /// The envelope of the API `request` came through: Qdrant's for its paths, under
    /// `/collections`; the native one for every other path.
    init(request: Request, context: some RequestContext) {
        let path = request.uri.path
        guard path == "/collections" || path.hasPrefix("/collections/") else { self = .native; return }
        let arrival = (context as? StrataRequestContext)?.arrival
        self = .qdrant(seconds: arrival.map { (ContinuousClock.now - $0) / .seconds(1) } ?? 0)
    }

    func response(_ error: ServerError) -> Response {
        switch self {
        case .native:
            JSONResponse.make(["error": ["status": Int(error.status.code), "message": error.message]], status: error.status)
        case let .qdrant(seconds):
            JSONResponse.make(["status": ["error": error.message], "time": seconds], status: error.status)
        }
    }
}
