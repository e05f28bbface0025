/// The checks a rendered node goes through, in the order they run. The raw values are stable:
/// JSON output and scoring use them.
public enum ValidationGate: String, CaseIterable, Codable, Sendable {
    /// Every `.py` file compiles with Python's own parser (`ast`, then the compiler's checks).
    case syntax
    /// Class, model and folder names follow the contract and ONEX conventions.
    case naming
    /// The node class defines `process`, its type's entry method and one `_<action>` method
    /// per contract action.
    case requiredMethods = "required_methods"
    /// Relative imports resolve inside the node; absolute ones are standard library, guarded,
    /// or lazily imported contract dependencies.
    case imports
    /// The code and `contract.yaml` agree: names, model fields, actions, published events.
    case contract
    /// No function is too branchy and no file too hard to maintain.
    case complexity
}

/// One problem a gate found: where it is and what is wrong.
public struct ValidationIssue: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The file, relative to the node folder; `nil` when the problem is not in one file.
    public var path: String?
    /// The line, from 1, when known.
    public var line: Int?
    /// What is wrong and what was expected.
    public var message: String

    public init(path: String?, line: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `v1_0_0/node.py line 12: message`.
    public var description: String {
        switch (path, line) {
        case let (path?, line?): return "\(path) line \(line): \(message)"
        case let (path?, nil): return "\(path): \(message)"
        default: return message
        }
    }
}

/// What one gate concluded about a node.
public struct GateResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case passed
        case failed
        /// The gate could not run (no Python interpreter, or not asked for); it counts neither
        /// way.
        case skipped
    }

    public var gate: ValidationGate
    public var status: Status
    /// A plain sentence: what was checked when the gate passed; for a failure the file, line,
    /// what is wrong and what was expected; for a skip, why.
    public var detail: String
    /// Each problem found, for tools; empty unless the gate failed.
    public var issues: [ValidationIssue]
    /// How long the gate took, in seconds.
    public var seconds: Double

    public init(gate: ValidationGate, status: Status, detail: String, issues: [ValidationIssue] = [], seconds: Double = 0) {
        self.gate = gate
        self.status = status
        self.detail = detail
        self.issues = issues
        self.seconds = seconds
    }

    /// The gate's stable name: `syntax`, `required_methods`, ...
    public var name: String { gate.rawValue }

    /// A passed gate when `issues` is empty (with `checked` as its detail), else a failed one
    /// whose detail lists the issues.
    static func from(_ gate: ValidationGate, issues: [ValidationIssue], checked: String) -> GateResult {
        guard !issues.isEmpty else { return GateResult(gate: gate, status: .passed, detail: checked) }
        let shown = issues.prefix(maxIssuesInDetail).map(\.description).joined(separator: "; ")
        let more = issues.count > maxIssuesInDetail ? "; and \(issues.count - maxIssuesInDetail) more" : ""
        let count = issues.count == 1 ? "1 problem" : "\(issues.count) problems"
        return GateResult(gate: gate, status: .failed, detail: "\(count): \(shown)\(more).", issues: issues)
    }

    /// Details stay readable: the rest is in `issues`.
    private static let maxIssuesInDetail = 5

    enum CodingKeys: String, CodingKey {
        case gate = "name", status, detail, issues, seconds
    }
}
