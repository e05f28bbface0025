/// A failure of the store of record: a connection that could not be made, a statement the
/// database refused, a location that does not parse, a schema newer than this build.
///
/// The ``code`` says what kind of failure it is, so a caller can act on it (a server answers
/// 503 for ``Code/unavailable`` and 400 for ``Code/invalidLocation``); the ``message`` says
/// what happened and how to fix it, naming the database (a path, or a URL without its
/// password) and the statement where there is one.
public struct CatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure. A struct over a private enum, so that new codes do not break the
    /// callers that switch on the existing ones.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidLocation, unavailable, statementFailed, schemaTooNew, missingTables, copyMismatch
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A catalog location (`sqlite:PATH`, `postgres://…`) that does not parse, or whose TLS
        /// settings cannot be honoured (an unknown `sslmode`, an unreadable `sslrootcert`).
        public static let invalidLocation = Code(.invalidLocation)
        /// The database could not be opened or reached, or its connection is closed.
        public static let unavailable = Code(.unavailable)
        /// The database refused a statement (a constraint, a missing table, a syntax error).
        public static let statementFailed = Code(.statementFailed)
        /// The catalog was written by a newer build: upgrade strata.
        public static let schemaTooNew = Code(.schemaTooNew)
        /// A copy's destination lacks tables the source has.
        public static let missingTables = Code(.missingTables)
        /// A copied table differs from its source; nothing was committed.
        public static let copyMismatch = Code(.copyMismatch)

        public var description: String {
            switch value {
            case .invalidLocation: "invalid location"
            case .unavailable: "unavailable"
            case .statementFailed: "statement failed"
            case .schemaTooNew: "schema too new"
            case .missingTables: "missing tables"
            case .copyMismatch: "copy mismatch"
            }
        }
    }

    /// What kind of failure.
    public var code: Code
    /// What happened and what to do, for a person.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// An error type that can carry a ``CatalogError``: the error of a module that works through
/// the catalog (the store's, the analytics'), so that a transaction whose body throws the
/// caller's own errors can report its begin or commit failing in the same type.
public protocol CatalogFailure: Error {
    /// The caller's error for a failure of the catalog itself.
    init(catalog: CatalogError)
}

extension CatalogError: CatalogFailure {
    public init(catalog: CatalogError) { self = catalog }
}
