import Foundation
import Hummingbird

/// What the service can refuse, each with the HTTP status it answers and a message that says
/// what is wrong and what was expected.
public enum ServerError: Error, Equatable, CustomStringConvertible {
    /// The config file, a variable or a flag is wrong; the server does not start.
    case configuration(String)
    /// The request is malformed or out of range: 400.
    case badRequest(String)
    /// A write without the configured API key: 401.
    case unauthorized
    /// No such pattern, collection or route: 404.
    case notFound(String)
    /// The id or name is taken: 409.
    case conflict(String)
    /// The body is larger than the configured limit: 413.
    case tooLarge(limit: Int)
    /// The request was not answered within the configured time: 503.
    case timedOut(seconds: Double)
    /// The store failed underneath: 500 (never for bad input).
    case `internal`(String)

    public var description: String {
        switch self {
        case let .configuration(message), let .badRequest(message), let .notFound(message), let .conflict(message), let .internal(message):
            return message
        case .unauthorized:
            return "this server needs an API key for writes: send it in the api-key header (or Authorization: Bearer KEY)"
        case let .tooLarge(limit):
            return "the request body is larger than the limit of \(limit) bytes; send smaller batches"
        case let .timedOut(seconds):
            return "the request was not answered within the limit of \(seconds) s (request_timeout); a write may still complete, so read before retrying it"
        }
    }

    public var status: HTTPResponse.Status {
        switch self {
        case .configuration, .internal: .internalServerError
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .notFound: .notFound
        case .conflict: .conflict
        case .tooLarge: .contentTooLarge
        case .timedOut: .serviceUnavailable
        }
    }
}

extension ServerError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        nativeResponse()
    }

    /// The native API's answer: `{"error": {"status", "message"}}`.
    func nativeResponse() -> Response {
        JSONResponse.make(["error": ["status": Int(status.code), "message": description]], status: status)
    }

    /// Qdrant's answer: `{"status": {"error"}, "time"}`, time in seconds.
    func qdrantResponse(seconds: Double) -> Response {
        JSONResponse.make(["status": ["error": description], "time": seconds], status: status)
    }
}
