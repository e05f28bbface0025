/// What the gates concluded about a node, and the metrics of its Python files.
public struct ValidationReport: Codable, Sendable, Equatable {
    /// One result per gate, in ``ValidationGate`` order.
    public var gates: [GateResult]
    /// One entry per `.py` file, in the node's file order.
    public var metrics: [CodeMetrics]

    public init(gates: [GateResult], metrics: [CodeMetrics]) {
        self.gates = gates
        self.metrics = metrics
    }

    /// Gates that passed.
    public var passed: Int { gates.count { $0.status == .passed } }

    /// Gates that ran: skipped ones count neither way.
    public var total: Int { gates.count { $0.status != .skipped } }

    /// Whether no gate that ran failed.
    public var allPassed: Bool { passed == total }

    /// The gates that failed, in order.
    public var failures: [GateResult] { gates.filter { $0.status == .failed } }

    /// The result of `gate`, or `nil` when the report has none.
    public subscript(gate: ValidationGate) -> GateResult? { gates.first { $0.gate == gate } }

    /// The metrics of the file at `path`, or `nil`.
    public func metrics(for path: String) -> CodeMetrics? { metrics.first { $0.path == path } }

    enum CodingKeys: String, CodingKey {
        case gates, metrics, passed, total
        case allPassed = "all_passed"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        gates = try container.decode([GateResult].self, forKey: .gates)
        metrics = try container.decode([CodeMetrics].self, forKey: .metrics)
    }

    /// Writes the gates and metrics, plus `passed`, `total` and `all_passed` for readers that
    /// do not recount.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(gates, forKey: .gates)
        try container.encode(metrics, forKey: .metrics)
        try container.encode(passed, forKey: .passed)
        try container.encode(total, forKey: .total)
        try container.encode(allPassed, forKey: .allPassed)
    }
}
