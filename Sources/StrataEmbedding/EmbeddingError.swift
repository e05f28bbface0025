/// Everything that can go wrong while turning texts into vectors, each case saying what to fix.
///
/// An embedder never changes a store: the store embeds before it writes, so a failed embed
/// leaves everything it holds as it was.
public enum EmbeddingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A setting out of range: `name` is the setting, `expected` what it accepts.
    case invalidArgument(name: String, value: String, expected: String)
    /// The text at `id` (`#3`: its index in the batch) is empty or white space only.
    case emptyText(id: String)
    /// A vector of another length than the embedding space's.
    case dimensionMismatch(space: String, got: Int)
    /// A vector holding NaN or an infinity.
    case nonFiniteVector(space: String, position: Int)
    /// A remote embedding service failed or answered something unusable.
    case service(problem: String)
    /// The model's files are not where the settings say; `remedy` says how to get them.
    case modelMissing(path: String, remedy: String)
    /// A model file that cannot be used: truncated, of the wrong shape, or not the format
    /// its name promises.
    case modelInvalid(file: String, problem: String)

    public var description: String {
        switch self {
        case let .invalidArgument(name, value, expected):
            "\(name) = \(value) is not valid: expected \(expected)"
        case let .emptyText(id):
            "pattern \(id) has empty text; every pattern needs its source text (or a vector of its own)"
        case let .dimensionMismatch(space, got):
            "vector has \(got) dimensions but the store's embedding space is \(space); embed with the store's embedder or run `strata reembed`"
        case let .nonFiniteVector(space, position):
            "vector component \(position) is NaN or infinite; the store (\(space)) accepts finite numbers only"
        case let .service(problem):
            "embedder: \(problem)"
        case let .modelMissing(path, remedy):
            "no model at \(path): \(remedy)"
        case let .modelInvalid(file, problem):
            "\(file): \(problem); fetch the model again (`make model`)"
        }
    }
}
