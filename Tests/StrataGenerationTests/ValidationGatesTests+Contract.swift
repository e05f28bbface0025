import Foundation
import StrataGeneration
import StrataStore
import Testing

extension ValidationGatesTests {
    @Test func aModelMissingAContractFieldFails() throws {
        var node = NodeFixtures.valid(.effect)
        let path = "v1_0_0/models/model_postgres_writer_input.py"
        node.replace("    target: str  # Where to write (table, bucket, path).\n", with: "    table: str\n", in: path)
        let contract = try Self.run(.contract, on: node)
        #expect(contract.status == .failed)
        #expect(contract.issues.count == 2)
        #expect(contract.detail.contains("\(path) line 8: ModelPostgresWriterInput lacks the contract field target (str)"))
        #expect(contract.detail.contains("\(path) line 12: ModelPostgresWriterInput declares table, which the contract does not have"))
    }

    @Test func aModelThatIsNotADataclassFails() throws {
        var node = NodeFixtures.valid(.compute)
        node.replace("@dataclass\n", with: "", in: "v1_0_0/models/model_price_calculator_input.py")
        let contract = try Self.run(.contract, on: node)
        #expect(contract.detail.contains("ModelPriceCalculatorInput is not a @dataclass"))
    }

    @Test func aMissingPublishedEventFails() throws {
        var node = NodeFixtures.valid(.orchestrator)
        node.replace(", \"billing.checkout_workflow.failed\"", with: "", in: node.nodePath)
        let contract = try Self.run(.contract, on: node)
        #expect(contract.status == .failed)
        #expect(contract.issues.count == 1)
        #expect(contract.detail.contains("v1_0_0/node.py: the contract publishes billing.checkout_workflow.failed but the code never names it"))
    }

    @Test func contractYAMLMustNameTheClassTypeAndVersion() throws {
        var node = NodeFixtures.valid(.effect)
        let path = "v1_0_0/contract.yaml"
        node.replace("class_name: NodePostgresWriterEffect", with: "class_name: NodePostgresEffect", in: path)
        node.replace("node_type: effect\n", with: "", in: path)
        node.replace("    node_type = \"effect\"", with: "    node_type = \"compute\"", in: node.nodePath)
        let contract = try Self.run(.contract, on: node)
        #expect(contract.issues.count == 3)
        #expect(contract.detail.contains("\(path) line 3: says class_name: NodePostgresEffect; expected NodePostgresWriterEffect"))
        #expect(contract.detail.contains("\(path): has no node_type; expected node_type: effect"))
        #expect(contract.detail.contains("node_type is \"compute\"; expected \"effect\""))
        node.setFile(path, text: "")
        node.files.removeAll { $0.path == path }
        #expect(try Self.run(.contract, on: node).detail.contains("\(path): missing"))
    }

    @Test func aTooComplexFunctionFailsAndALargerLimitLetsItPass() throws {
        var node = NodeFixtures.valid(.compute)
        let branches = (1...11).map { "    if value == \($0):\n        return \($0)\n" }.joined()
        node.setFile("v1_0_0/lookup.py", text: "def lookup(value):\n\(branches)    return 0\n")
        let complexity = try Self.run(.complexity, on: node)
        #expect(complexity.status == .failed)
        #expect(complexity.detail.contains("v1_0_0/lookup.py line 1: lookup has cyclomatic complexity 12, above the limit of 10"))
        let lenient = ValidationGates.Configuration(maxComplexity: 12, gates: [.complexity])
        #expect(ValidationGates.validate(node, configuration: lenient)[.complexity]?.status == .passed)
        let strict = ValidationGates.Configuration(minMaintainability: 99, gates: [.complexity])
        let lowMI = try #require(ValidationGates.validate(node, configuration: strict)[.complexity])
        #expect(lowMI.detail.contains("maintainability index"))
        #expect(lowMI.detail.contains("below the limit of 99.0"))
    }

    @Test func theReportEncodesStableNames() throws {
        let configuration = ValidationGates.Configuration(python: "/nonexistent/python3")
        let report = ValidationGates.validate(NodeFixtures.valid(.compute), configuration: configuration)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(report), as: UTF8.self)
        for key in ["\"name\":\"required_methods\"", "\"all_passed\":true", "\"total\":5", "\"passed\":5", "\"status\":\"skipped\"", "\"maintainability_index\":"] {
            #expect(json.contains(key), "\(key)")
        }
        #expect(try JSONDecoder().decode(ValidationReport.self, from: Data(json.utf8)) == report)
    }

    @Test func configurationRejectsNonsense() {
        #expect(throws: GenerationError.self) { try ValidationGates.Configuration(syntaxTimeout: 0).validate() }
        #expect(throws: GenerationError.self) { try ValidationGates.Configuration(maxComplexity: 0).validate() }
        #expect(throws: GenerationError.self) { try ValidationGates.Configuration(minMaintainability: 101).validate() }
        #expect(throws: Never.self) { try ValidationGates.Configuration().validate() }
    }
}
