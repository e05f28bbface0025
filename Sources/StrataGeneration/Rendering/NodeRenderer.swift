import StrataStore

/// Renders a node's package from its contract with the Mustache templates (``NodeTemplates``):
/// `node.py` from the base of its type, one dataclass per model, the package markers, the
/// compatibility module and pytest tests.
///
/// Retrieved patterns shape the result in two ways: they are named in the class docstring,
/// and an operation whose method a pattern already has (same name, same input fields, same
/// output keys, members the class offers) takes that pattern's body instead of the
/// template's: the most similar pattern first. Deterministic: the same contract and patterns
/// give the same files.
public struct NodeRenderer: Sendable {
    /// Who wrote the code, for the file headers (`offline`, `openai/gpt-4o-mini`).
    public var generator: String
    /// Patterns below this similarity are neither cited nor reused.
    public var minimumSimilarity: Double

    public init(generator: String = "offline", minimumSimilarity: Double = 0.35) {
        self.generator = generator
        self.minimumSimilarity = minimumSimilarity
    }

    /// Renders every file of the node.
    ///
    /// - Parameters:
    ///   - reusePieces: take operation bodies from `patterns` where they fit (default true);
    ///     false renders from the templates alone.
    public func render(intent: GenerationIntent, contract: NodeContract, patterns: [RetrievedPattern] = [], reusePieces: Bool = true) -> RenderedNode {
        let relevant = patterns.filter { $0.similarity >= minimumSimilarity && $0.nodeType == contract.nodeType }
            .sorted { $0.similarity > $1.similarity }
        let pieces = reusePieces ? self.pieces(for: contract, from: relevant) : [:]
        let context = RenderContext(intent: intent, contract: contract, generator: generator, patterns: relevant, pieces: pieces)
        let version = contract.versionFolder
        let snake = intent.snakeName
        var files: [GeneratedFile] = [
            GeneratedFile(path: "__init__.py", text: render(context.packageMarker, "package_init")),
            GeneratedFile(path: "\(version)/__init__.py", text: render(context.versionPackage, "package_init")),
            GeneratedFile(path: "\(version)/node.py", text: render(context.node, "node_\(contract.nodeType.rawValue)")),
            GeneratedFile(path: "\(version)/contract.yaml", text: contract.yaml),
            GeneratedFile(path: "\(version)/_onex_compat.py", text: render(context.header(summary: "Stand-ins for omnibase_core's node base classes, used when omnibase_core is not installed."), "compat")),
            GeneratedFile(path: "\(version)/models/__init__.py", text: render(context.modelsPackage, "models_init")),
            GeneratedFile(path: "\(version)/models/model_\(snake)_input.py", text: render(context.model(contract.input, role: "input"), "model")),
            GeneratedFile(path: "\(version)/models/model_\(snake)_output.py", text: render(context.model(contract.output, role: "output"), "model")),
            GeneratedFile(path: "\(version)/tests/__init__.py", text: render(context.header(summary: "Tests of \(contract.className)."), "package_init")),
            GeneratedFile(path: "\(version)/tests/test_node.py", text: render(context.tests, "test_node")),
        ]
        files = files.map(\.tidied)
        return RenderedNode(intent: intent, contract: contract, files: files, reusedBodies: pieces.mapValues(\.patternID))
    }

    /// The bodies `render` reuses from `patterns`, by operation.
    private func pieces(for contract: NodeContract, from patterns: [RetrievedPattern]) -> [String: OperationPiece] {
        let inputs = Set(contract.input.fields.map(\.name)), outputs = Set(contract.output.fields.map(\.name))
        let members = OperationBodies.allowedMembers(contract.nodeType)
        var pieces: [String: OperationPiece] = [:]
        for action in contract.actions {
            for pattern in patterns {
                if let piece = OperationPiece.extract(operation: action.name, from: pattern, inputFields: inputs, outputFields: outputs, members: members) {
                    pieces[action.name] = piece
                    break
                }
            }
        }
        return pieces
    }

    private func render(_ context: [String: Any], _ template: String) -> String {
        // The templates are constants and every value is a string, list or flag: rendering
        // cannot fail unless a template is broken, which every test would catch.
        guard let text = NodeTemplates.library.render(context, withTemplate: template) else {
            preconditionFailure("template \(template) is not registered")
        }
        return text
    }
}
