import Hummingbird
import StrataAnalytics
import StrataCatalog
import StrataGeneration
import StrataStore

// The one mapping of the libraries' failures to HTTP. Each error type below the server says
// here which status it answers with, through Hummingbird's `HTTPResponseError`, and renders
// as a ``ServerError`` of that status with its own description. So a handler lets a store,
// catalog, analytics or generation error go as it is, and the answer is the same on every
// route: bad input is a 4xx, a failing upstream (a model provider, an HTTP embedder) a 502,
// an unreachable catalog a 503, and anything else a 500 that ``ErrorMiddleware`` logs.

/// A library's error that answers as a ``ServerError`` of its own status, with its own
/// description: the one rendering the four mappings below share.
protocol LibraryErrorResponse: HTTPResponseError, CustomStringConvertible {}

extension LibraryErrorResponse {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try ServerError(self).response(from: request, context: context)
    }
}

extension StoreError: LibraryErrorResponse {
    public var status: HTTPResponse.Status {
        switch self {
        case .dimensionMismatch, .nonFiniteVector, .emptyText, .invalidFilter, .malformedLine, .invalidArgument: .badRequest
        case .unknownID: .notFound
        case .notMaintainer, .collectionExists: .conflict
        // Another process holds the store, or it is closing: try again later or elsewhere.
        case .alreadyOpen, .closed: .serviceUnavailable
        case .embedder: .badGateway
        case let .catalog(error): error.status
        case .inconsistent, .file, .noStore, .index: .internalServerError
        }
    }
}

extension CatalogError: LibraryErrorResponse {
    public var status: HTTPResponse.Status {
        switch code {
        case .unavailable: .serviceUnavailable
        case .invalidLocation: .badRequest
        default: .internalServerError
        }
    }
}

extension AnalyticsError: LibraryErrorResponse {
    public var status: HTTPResponse.Status {
        switch self {
        case let .store(error): error.status
        case let .catalog(error): error.status
        case .insufficientData, .migrationStateChanged: .conflict
        case .file, .linearAlgebra, .index: .internalServerError
        case .invalidArgument, .malformedLine, .unknown, .missingPrice, .budgetExceeded, .overBudget: .badRequest
        }
    }
}

extension GenerationError: LibraryErrorResponse {
    public var status: HTTPResponse.Status {
        switch self {
        case .invalidArgument, .unclearPrompt, .budgetExceeded: .badRequest
        // The node's folder exists: `force` overwrites it.
        case .file: .conflict
        case .provider: .badGateway
        case let .store(error): error.status
        case let .analytics(error): error.status
        }
    }
}
