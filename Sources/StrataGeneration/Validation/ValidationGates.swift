import Foundation

/// The checks a rendered node must pass before it is scored and written: syntax, naming,
/// required methods, imports, agreement with the contract, and complexity (see
/// ``ValidationGate``).
///
/// Every gate runs on the files in memory; only `syntax` starts a process (one `python3` for
/// all files). A gate never throws: what goes wrong is its result.
public enum ValidationGates {
    /// Runs the gates `configuration` asks for on `node` and measures every Python file.
    ///
    /// - Parameters:
    ///   - node: The rendered node; paths are relative to its folder.
    ///   - configuration: The interpreter, time limit, complexity limits and gates to run.
    /// - Returns: One result per gate, in ``ValidationGate`` order (gates not asked for are
    ///   `skipped`), and the metrics of each `.py` file in file order.
    /// - Complexity: Linear in the size of the files, plus one interpreter start for `syntax`
    ///   (about 30 ms for a bare `python3`, more behind a version-manager shim).
    /// - Important: It blocks the calling thread while `python3` runs (up to
    ///   ``Configuration/syntaxTimeout``); from async code, call it where blocking is allowed.
    public static func validate(_ node: RenderedNode, configuration: Configuration = Configuration()) -> ValidationReport {
        let parsed = ParsedNode(node)
        let metrics = node.files.filter(\.isPython).map { CodeMetrics(path: $0.path, source: parsed.sources[$0.path]!) }
        let results = ValidationGate.allCases.map { gate in
            guard configuration.gates.contains(gate) else {
                return GateResult(gate: gate, status: .skipped, detail: "The \(gate.rawValue) gate was not asked for.")
            }
            let start = ContinuousClock.now
            var result = run(gate, on: parsed, metrics: metrics, configuration: configuration)
            let elapsed = ContinuousClock.now - start
            result.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return result
        }
        return ValidationReport(gates: results, metrics: metrics)
    }

    private static func run(_ gate: ValidationGate, on node: ParsedNode, metrics: [CodeMetrics], configuration: Configuration) -> GateResult {
        switch gate {
        case .syntax: return syntaxGate(node, configuration: configuration)
        case .naming: return .from(.naming, issues: namingIssues(node), checked: "The class, model and folder names follow the contract.")
        case .requiredMethods: return requiredMethodsGate(node)
        case .imports: return importsGate(node)
        case .contract: return .from(.contract, issues: contractIssues(node), checked: "The code agrees with contract.yaml.")
        case .complexity: return complexityGate(node, metrics: metrics, configuration: configuration)
        }
    }
}

/// A node with each Python file lexed once, shared by the gates.
struct ParsedNode {
    let node: RenderedNode
    let sources: [String: PythonSource]

    init(_ node: RenderedNode) {
        self.node = node
        var sources: [String: PythonSource] = [:]
        for file in node.files where file.isPython { sources[file.path] = PythonSource(file.text) }
        self.sources = sources
    }

    var contract: NodeContract { node.contract }

    /// `v1_0_0/<relative>`.
    func versioned(_ relative: String) -> String { "\(node.versionFolder)/\(relative)" }

    /// The node class in `node.py`, with its source, when both exist.
    var nodeClass: (source: PythonSource, definition: PythonDefinition)? {
        guard let source = sources[node.nodePath],
              let definition = source.definitions(in: nil, kind: .class).first(where: { $0.name == contract.className }) else { return nil }
        return (source, definition)
    }

    /// The names of the methods defined directly in the node class.
    var nodeMethods: Set<String> {
        guard let (source, definition) = nodeClass else { return [] }
        return Set(source.definitions(in: definition.lineIndex, kind: .function).map(\.name))
    }

    /// `models/model_<snake>_input.py` and `..._output.py`, each with the contract model it
    /// must hold.
    var modelFiles: [(path: String, model: NodeContract.Model)] {
        [(versioned("models/model_\(node.intent.snakeName)_input.py"), contract.input),
         (versioned("models/model_\(node.intent.snakeName)_output.py"), contract.output)]
    }
}
