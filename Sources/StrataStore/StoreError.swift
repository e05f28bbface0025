import StrataCatalog
import StrataEmbedding
import StrataIndex
import StrataTracing

/// Everything that can go wrong in `StrataStore`, each case saying what to fix.
///
/// Nothing the store already holds is changed by a failed call: every write runs in one
/// catalog transaction, validated before it begins.
public enum StoreError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A vector whose length is not the store's dimension; `space` describes the store's
    /// embedding space (embedder, dimension, metric).
    case dimensionMismatch(space: String, got: Int)
    /// A vector holding NaN or an infinity.
    case nonFiniteVector(space: String, position: Int)
    /// A pattern whose text is empty or only white space.
    case emptyText(id: String)
    /// A filter expression that does not parse or names an unknown field.
    case invalidFilter(expression: String, problem: String)
    /// No pattern has this id.
    case unknownID(String)
    /// A line of an input file that is not a valid record.
    case malformedLine(file: String, line: Int, problem: String)
    /// A value out of range, or options that do not go together.
    case invalidArgument(name: String, value: String, expected: String)
    /// The catalog (SQLite or PostgreSQL) failed: unreachable, or refusing a statement.
    case catalog(CatalogError)
    /// The store's parts disagree (a catalog row whose vector is missing or of the wrong
    /// length): damage from outside the store; `strata verify` lists every such problem.
    case inconsistent(problem: String)
    /// A file or folder that could not be read, written or understood.
    case file(path: String, problem: String)
    /// The embedder failed (an HTTP embedder's server, a timeout, a bad response).
    case embedder(problem: String)
    /// The store's folder holds no store, or a store of a format this build does not read.
    case noStore(path: String, problem: String)
    /// The vector index refused an operation.
    case index(IndexError)
    /// The store was closed; open it again to use it.
    case closed(path: String)
    /// Another process has the embedded store at `path` open (it waited `waited` seconds).
    case alreadyOpen(path: String, waited: Double)
    /// `operation` runs only on the replica holding the maintainer lease, and another one
    /// holds it.
    case notMaintainer(operation: String)
    /// A collection of this name exists already.
    case collectionExists(name: String)

    public var description: String {
        switch self {
        case let .dimensionMismatch(space, got):
            "vector has \(got) dimensions but the store's embedding space is \(space); embed with the store's embedder or run `strata reembed`"
        case let .nonFiniteVector(space, position):
            "vector component \(position) is NaN or infinite; the store (\(space)) accepts finite numbers only"
        case let .emptyText(id):
            "pattern \(id) has empty text; every pattern needs its source text (or a vector of its own)"
        case let .invalidFilter(expression, problem):
            "filter \"\(expression)\": \(problem)"
        case let .unknownID(id):
            "no pattern with id \"\(id)\" is in the store"
        case let .malformedLine(file, line, problem):
            "\(file):\(line): \(problem)"
        case let .invalidArgument(name, value, expected):
            "\(name) = \(value) is not valid: expected \(expected)"
        case let .catalog(error):
            "catalog: \(error)"
        case let .inconsistent(problem):
            "\(problem); run `strata verify` to list every problem"
        case let .file(path, problem):
            "\(path): \(problem)"
        case let .embedder(problem):
            "embedder: \(problem)"
        case let .noStore(path, problem):
            "\(path): \(problem)"
        case let .index(error):
            error.description
        case let .closed(path):
            "the store at \(path) is closed; open it again"
        case let .alreadyOpen(path, waited):
            "\(path): the store is open in another process (waited \(Int(waited)) s); stop it or use another store"
        case let .notMaintainer(operation):
            "\(operation) runs on the maintainer replica only: another replica holds the maintainer lock and runs maintenance itself"
        case let .collectionExists(name):
            "collection \(name) exists already; delete it first or pick another name"
        }
    }
}

extension StoreError: CatalogFailure {
    public init(catalog error: CatalogError) { self = .catalog(error) }
}

extension StoreError {
    /// An embedder's failure as the store reports it: bad input stays bad input (the text,
    /// the vector, a setting), and a failing service or model is the embedder's problem.
    public init(_ error: EmbeddingError) {
        switch error {
        case let .invalidArgument(name, value, expected): self = .invalidArgument(name: name, value: value, expected: expected)
        case let .emptyText(id): self = .emptyText(id: id)
        case let .dimensionMismatch(space, got): self = .dimensionMismatch(space: space, got: got)
        case let .nonFiniteVector(space, position): self = .nonFiniteVector(space: space, position: position)
        case let .service(problem): self = .embedder(problem: problem)
        case .modelMissing, .modelInvalid: self = .embedder(problem: error.description)
        }
    }
}

/// Runs an embedder's work, its failures as ``StoreError``.
@inline(__always)
func embedding<T>(_ body: () throws(EmbeddingError) -> T) throws(StoreError) -> T {
    do {
        return try EngineTrace.span("embed") { (_) throws(EmbeddingError) in try body() }
    } catch {
        throw StoreError(error)
    }
}

/// Runs catalog work (SQL against the store's tables), its failures as ``StoreError``.
@inline(__always)
func inCatalog<T>(_ body: () throws(CatalogError) -> T) throws(StoreError) -> T {
    do {
        return try body()
    } catch {
        throw .catalog(error)
    }
}
