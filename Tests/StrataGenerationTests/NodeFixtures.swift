import StrataGeneration
import StrataStore
import Testing

/// Valid minimal nodes written by hand, shaped like the renderer's templates, for the gates
/// to pass; each test breaks one thing.
enum NodeFixtures {
    /// A node of `type` that passes every gate.
    static func valid(_ type: NodeType) -> RenderedNode {
        let intent: GenerationIntent
        switch type {
        case .effect:
            intent = GenerationIntent(prompt: "Create PostgreSQL writer Effect node", nodeType: .effect, name: "PostgresWriter", domain: "database", operations: ["write"])
        case .compute:
            intent = GenerationIntent(prompt: "calculate and validate prices", nodeType: .compute, name: "PriceCalculator", domain: "billing", operations: ["calculate", "validate"])
        case .reducer:
            intent = GenerationIntent(prompt: "aggregate metrics", nodeType: .reducer, name: "MetricsAggregator", domain: "monitoring", operations: ["aggregate"])
        case .orchestrator, .none:
            intent = GenerationIntent(prompt: "orchestrate the checkout workflow", nodeType: .orchestrator, name: "CheckoutWorkflow", domain: "billing", operations: ["orchestrate"])
        }
        let contract = ContractBuilder.contract(for: intent)
        let version = contract.versionFolder
        let files = [
            GeneratedFile(path: "__init__.py", text: #""""The \#(contract.name) package."""\#n"#),
            GeneratedFile(path: "\(version)/__init__.py", text: "from .node import \(contract.className)\n\n__all__ = [\"\(contract.className)\"]\n"),
            GeneratedFile(path: "\(version)/node.py", text: nodeSource(contract)),
            GeneratedFile(path: "\(version)/_onex_compat.py", text: compatSource(contract.nodeType)),
            GeneratedFile(path: "\(version)/contract.yaml", text: contract.yaml),
            GeneratedFile(path: "\(version)/models/__init__.py", text: """
                from .model_\(intent.snakeName)_input import \(contract.input.name)
                from .model_\(intent.snakeName)_output import \(contract.output.name)

                __all__ = ["\(contract.input.name)", "\(contract.output.name)"]

                """),
            GeneratedFile(path: "\(version)/models/model_\(intent.snakeName)_input.py", text: modelSource(contract.input)),
            GeneratedFile(path: "\(version)/models/model_\(intent.snakeName)_output.py", text: modelSource(contract.output)),
            GeneratedFile(path: "\(version)/tests/__init__.py", text: ""),
            GeneratedFile(path: "\(version)/tests/test_node.py", text: testSource(contract)),
        ]
        return RenderedNode(intent: intent, contract: contract, files: files)
    }

    private static func nodeSource(_ contract: NodeContract) -> String {
        let input = contract.input.name
        let output = contract.output.name
        let baseName = "Node\(contract.nodeType.className)"
        let publishes = contract.publishes.isEmpty ? "" : "    publishes = (\(contract.publishes.map { "\"\($0)\"" }.joined(separator: ", ")))\n"
        let fields = contract.output.fields.map { "            \($0.name)=produced.get(\"\($0.name)\"),\n" }.joined()
        let actions = contract.actions.map { action in
            """

                def _\(action.name)(self, request: \(input)) -> dict[str, Any]:
                    \"\"\"\(action.description)\"\"\"
            \(actionBody(action.name, contract: contract))
            """
        }.joined(separator: "\n")
        return """
            \"\"\"\(contract.description)\"\"\"
            from __future__ import annotations

            import logging
            from typing import Any

            try:  # the ONEX base class when omnibase_core is installed
                from omnibase_core.nodes import \(baseName) as _OnexBase  # type: ignore[import-not-found]
            except ImportError:  # the compatibility module generated beside this node
                from ._onex_compat import \(baseName) as _OnexBase
            from .models import \(input), \(output)


            class \(contract.className)(_OnexBase):
                \"\"\"\(contract.description)\"\"\"

                node_type = "\(contract.nodeType.rawValue)"
                contract_name = "\(contract.name)"
                operations = (\(contract.actions.map { "\"\($0.name)\"" }.joined(separator: ", ")),)
            \(publishes)
                def __init__(self, client: Any | None = None) -> None:
                    super().__init__()
                    self._client = client
                    self._log = logging.getLogger(__name__)

                def process(self, request: \(input)) -> \(output):
                    \"\"\"Runs every operation of the contract on `request`, in order.\"\"\"
                    if not isinstance(request, \(input)):
                        raise TypeError(f"expected \(input), got {type(request).__name__}")
                    produced: dict[str, Any] = {}
                    for operation in self.operations:
                        produced.update(getattr(self, "_" + operation)(request))
                    return \(output)(
            \(fields)        )

                def \(contract.nodeType.entryMethod)(self, request: \(input)) -> \(output):
                    return self.process(request)
            \(actions)
            """
    }

    private static func actionBody(_ action: String, contract: NodeContract) -> String {
        if contract.nodeType == .effect {
            // The contract's optional client, imported only when the node has to make one.
            return """
                        if self._client is None:
                            import psycopg

                            self._client = psycopg.connect()
                        self._client.write(request.target, request.records)
                        return {"written": len(request.records)}
                """
        }
        return "        self._log.debug(\"\(action): %s\", request)\n        return {}"
    }

    private static func modelSource(_ model: NodeContract.Model) -> String {
        let fields = model.fields.map { field in
            "    \(field.name): \(field.type)\(field.required ? "" : " | None = None")  # \(field.description)\n"
        }.joined()
        return """
            from __future__ import annotations

            from dataclasses import dataclass
            from typing import Any


            @dataclass
            class \(model.name):
                \"\"\"The \(model.name) model.\"\"\"

            \(fields)
            """
    }

    /// A stand-in for omnibase_core with only the base class `type` needs.
    private static func compatSource(_ type: NodeType) -> String {
        """
        class Node\(type.className):
            node_type = "\(type.rawValue)"

            def __init__(self) -> None:
                self.metrics: dict[str, int] = {"calls": 0}

        """
    }

    private static func testSource(_ contract: NodeContract) -> String {
        """
        from __future__ import annotations

        import pytest

        from ..models import \(contract.input.name), \(contract.output.name)
        from ..node import \(contract.className)


        def test_refuses_a_request_of_the_wrong_type() -> None:
            node = \(contract.className)()
            with pytest.raises(TypeError):
                node.process({})  # type: ignore[arg-type]

        """
    }
}

extension RenderedNode {
    /// Replaces `old` with `new` in the file at `path`; records an issue when `old` is not
    /// there, so that a fixture drifting from a test cannot make the test pass vacuously.
    mutating func replace(_ old: String, with new: String, in path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let text = file(path)?.text, text.contains(old) else {
            Issue.record("\(path) does not contain \(old)", sourceLocation: sourceLocation)
            return
        }
        setFile(path, text: text.replacingOccurrences(of: old, with: new))
    }

    /// The physical line (from 1) of the first line in the file at `path` containing `text`.
    func line(of text: String, in path: String) -> Int? {
        file(path)?.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(text) }.map { $0 + 1 }
    }
}
