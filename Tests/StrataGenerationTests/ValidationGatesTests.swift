import Foundation
import StrataGeneration
import StrataStore
import Testing

/// Whether this machine has a `python3` for the syntax gate.
let hasPython = PythonProcess.locate() != nil

@Suite struct ValidationGatesTests {
    /// Every gate but `syntax`, which needs an interpreter and has tests of its own.
    static let withoutSyntax = ValidationGates.Configuration(gates: Set(ValidationGate.allCases).subtracting([.syntax]))

    /// Runs `gate` alone on `node` and returns its result.
    static func run(_ gate: ValidationGate, on node: RenderedNode, sourceLocation: SourceLocation = #_sourceLocation) throws -> GateResult {
        try #require(ValidationGates.validate(node, configuration: .init(gates: [gate]))[gate], sourceLocation: sourceLocation)
    }

    @Test(arguments: NodeType.buildable)
    func aValidNodePassesEveryGate(type: NodeType) {
        let report = ValidationGates.validate(NodeFixtures.valid(type))
        for gate in report.gates {
            #expect(gate.status == .passed || (gate.gate == .syntax && !hasPython), "\(gate.name): \(gate.detail)")
        }
        #expect(report.allPassed)
        #expect(report.total == (hasPython ? 6 : 5))
        #expect(report.passed == report.total)
        #expect(report.metrics.count == NodeFixtures.valid(type).files.filter(\.isPython).count)
    }

    @Test(.enabled(if: hasPython)) func aSyntaxErrorNamesItsFileAndLine() throws {
        var node = NodeFixtures.valid(.compute)
        node.replace("    def process(self", with: "    def process(self,, oops", in: node.nodePath)
        let line = try #require(node.line(of: "def process(self,, oops", in: node.nodePath))
        let result = try #require(ValidationGates.validate(node)[.syntax])
        #expect(result.status == .failed)
        #expect(result.issues.count == 1)
        #expect(result.issues.first?.path == node.nodePath)
        #expect(result.issues.first?.line == line)
        #expect(result.detail.contains("v1_0_0/node.py line \(line)"))
    }

    @Test(.enabled(if: hasPython)) func compilerChecksBeyondTheParserCount() throws {
        var node = NodeFixtures.valid(.reducer)
        node.setFile("v1_0_0/extra.py", text: "x = 1\nreturn x\n")
        let result = try #require(ValidationGates.validate(node)[.syntax])
        #expect(result.status == .failed)
        #expect(result.issues.map(\.path) == ["v1_0_0/extra.py"])
        #expect(result.issues.first?.line == 2)
        #expect(result.detail.contains("outside function"))
    }

    @Test func withoutAnInterpreterTheSyntaxGateIsSkipped() throws {
        let configuration = ValidationGates.Configuration(python: "/nonexistent/bin/python3")
        let report = ValidationGates.validate(NodeFixtures.valid(.effect), configuration: configuration)
        let result = try #require(report[.syntax])
        #expect(result.status == .skipped)
        #expect(result.detail.contains("python3 was not found"))
        #expect(result.detail.contains("/nonexistent/bin/python3"))
        #expect(report.total == 5)
        #expect(report.allPassed)
    }

    @Test func aHungInterpreterIsKilledAndTheGateFails() throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("strata-hung-python-\(UUID().uuidString)")
        try "#!/bin/sh\nexec sleep 30\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        defer { try? FileManager.default.removeItem(at: script) }
        let configuration = ValidationGates.Configuration(python: script.path, syntaxTimeout: 0.3, gates: [.syntax])
        let start = ContinuousClock.now
        let result = try #require(ValidationGates.validate(NodeFixtures.valid(.compute), configuration: configuration)[.syntax])
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(result.status == .failed)
        #expect(result.detail.contains("did not finish") && result.detail.contains("killed"))
    }

    @Test func aWrongClassNameFailsNaming() throws {
        var node = NodeFixtures.valid(.effect)
        node.replace("class NodePostgresWriterEffect(", with: "class NodePostgresWriter(", in: node.nodePath)
        let line = try #require(node.line(of: "class NodePostgresWriter(", in: node.nodePath))
        let report = ValidationGates.validate(node, configuration: Self.withoutSyntax)
        let naming = try #require(report[.naming])
        #expect(naming.status == .failed)
        #expect(naming.detail.contains("v1_0_0/node.py line \(line): class NodePostgresWriter should be named NodePostgresWriterEffect"))
        #expect(report[.requiredMethods]?.status == .failed)
    }

    @Test func aMisnamedModelOrFolderFailsNaming() throws {
        var node = NodeFixtures.valid(.compute)
        let modelPath = "v1_0_0/models/model_price_calculator_output.py"
        node.replace("class ModelPriceCalculatorOutput:", with: "class PriceOutput:", in: modelPath)
        node.contract.name = "node_billing_price_calculator"
        let naming = try Self.run(.naming, on: node)
        #expect(naming.status == .failed)
        #expect(naming.issues.count == 2)
        #expect(naming.detail.contains("folder name node_billing_price_calculator should be node_billing_price_calculator_compute"))
        #expect(naming.detail.contains("\(modelPath) line 8: class PriceOutput should be named ModelPriceCalculatorOutput"))
    }

    @Test func theVersionPackageMustExportTheClass() throws {
        var node = NodeFixtures.valid(.orchestrator)
        node.setFile("v1_0_0/__init__.py", text: "\"\"\"Nothing exported.\"\"\"\n")
        node.files.removeAll { $0.path == "__init__.py" }
        let naming = try Self.run(.naming, on: node)
        #expect(naming.issues.map(\.path) == ["__init__.py", "v1_0_0/__init__.py"])
        #expect(naming.detail.contains("v1_0_0/__init__.py: does not export NodeCheckoutWorkflowOrchestrator"))
        #expect(naming.detail.contains("__init__.py: missing; expected the package marker"))
    }

    @Test func aMissingActionMethodFailsRequiredMethods() throws {
        var node = NodeFixtures.valid(.compute)
        node.replace("def _validate(", with: "def _check(", in: node.nodePath)
        let report = ValidationGates.validate(node, configuration: Self.withoutSyntax)
        let methods = try #require(report[.requiredMethods])
        #expect(methods.status == .failed)
        #expect(methods.issues.count == 1)
        #expect(methods.detail.contains("v1_0_0/node.py line"))
        #expect(methods.detail.contains("does not define _validate (for the contract action validate)"))
        #expect(report[.contract]?.detail.contains("the contract action validate has no method _validate") == true)
    }

    @Test func theEntryMethodMustBeInTheClassItself() throws {
        var node = NodeFixtures.valid(.reducer)
        // Dedented out of the class: now a module-level function, not a method.
        node.replace("    def execute_reduction(self, request: ModelMetricsAggregatorInput) -> ModelMetricsAggregatorOutput:\n        return",
                     with: "def execute_reduction(self, request: ModelMetricsAggregatorInput) -> ModelMetricsAggregatorOutput:\n    return", in: node.nodePath)
        let methods = try Self.run(.requiredMethods, on: node)
        #expect(methods.status == .failed)
        #expect(methods.detail.contains("does not define execute_reduction (the reducer entry point)"))
    }
}
