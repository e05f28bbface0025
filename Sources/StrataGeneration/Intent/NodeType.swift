/// The four ONEX node types, each a contract about side effects.
public enum NodeType: String, Sendable, CaseIterable, Codable {
    /// External I/O: databases, queues, HTTP, files.
    case effect
    /// Pure work: the same input always gives the same output, no I/O.
    case compute
    /// Aggregation and state: folds a stream of inputs into a result.
    case reducer
    /// Workflow: coordinates other nodes.
    case orchestrator

    /// `Effect`, `Compute`, ... as the type appears in class names.
    public var className: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    /// Parses `effect`, `Effect`, `EFFECT`.
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }
}
