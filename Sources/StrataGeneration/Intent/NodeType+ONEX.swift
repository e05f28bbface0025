import StrataStore

/// The store's node types, as the generator builds them. The store also knows `none` (a
/// pattern that is not a node); the generator never builds one.
extension NodeType {
    /// The four types a node can have: Effect (external I/O), Compute (pure work), Reducer
    /// (aggregation and state), Orchestrator (workflow).
    public static let buildable: [NodeType] = [.effect, .compute, .reducer, .orchestrator]

    /// `Effect`, `Compute`, ... as the type appears in class names.
    public var className: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    /// Parses `effect`, `Effect`, `EFFECT`; `nil` for `none` and anything else.
    public init?(buildableName name: String) {
        guard let type = NodeType(rawValue: name.lowercased()), type != .none else { return nil }
        self = type
    }
}
