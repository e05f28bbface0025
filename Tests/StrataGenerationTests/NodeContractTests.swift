import Foundation
import StrataGeneration
import StrataKernels
import StrataStore
import StrataTestSupport
import Testing

@Suite struct NodeContractTests {
    @Test func anEffectWriterContract() throws {
        let contract = ContractBuilder.contract(for: try IntentParser.parse("Create PostgreSQL writer Effect node"))
        #expect(contract.name == "node_database_postgresql_writer_effect")
        #expect(contract.className == "NodePostgreSQLWriterEffect")
        #expect(contract.versionFolder == "v1_0_0")
        #expect(contract.input.name == "ModelPostgreSQLWriterInput")
        #expect(contract.input.fields.map(\.name) == ["records", "target"])
        #expect(contract.output.fields.map(\.name) == ["written"])
        #expect(contract.actions.map(\.name) == ["write"])
        #expect(contract.dependencies.map(\.name) == ["psycopg"])
        #expect(contract.publishes == ["database.postgresql_writer.completed", "database.postgresql_writer.failed"])
        #expect(contract.consumes.isEmpty)
    }

    @Test func eachTypeGetsItsShape() throws {
        let reducer = ContractBuilder.contract(for: try IntentParser.parse("aggregate metrics per minute window"))
        #expect(reducer.input.fields.map(\.name) == ["items", "key", "state"])
        #expect(reducer.output.fields.map(\.name).contains("state"))
        #expect(reducer.publishes.isEmpty && reducer.dependencies.isEmpty)
        let orchestrator = ContractBuilder.contract(for: try IntentParser.parse("orchestrate the checkout workflow"))
        #expect(orchestrator.consumes == ["payments.checkout_workflow.requested"])
        #expect(orchestrator.output.fields.map(\.name) == ["completed", "failed"])
        let compute = ContractBuilder.contract(for: try IntentParser.parse("validate JWT tokens"))
        #expect(compute.output.fields.map(\.name) == ["valid", "errors"])
        #expect(!compute.yaml.contains("events:"))
    }

    @Test func scalarsThatYAMLWouldMisreadAreQuoted() throws {
        var contract = ContractBuilder.contract(for: try IntentParser.parse("Kafka event publisher"))
        contract.description = "yes: a \"quoted\" line\nand a second, with # and: colons"
        contract.domain = "true"
        let text = contract.yaml
        #expect(text.contains("domain: \"true\""))
        #expect(text.contains("description: \"yes: a \\\"quoted\\\" line\\nand a second, with # and: colons\""))
        #expect(text.contains("version: \"1.0.0\""))
        #expect(text.contains("node_type: effect"))
    }

    /// Every string survives the trip through the YAML: line breaks, tabs, quotes,
    /// backslashes, colons, leading blanks, YAML's own words, non-ASCII text.
    @Test func everyValueRoundTripsThroughTheYAML() throws {
        var contract = ContractBuilder.contract(for: try IntentParser.parse("Kafka event publisher"))
        let awkward = ["line one\nline two\n", "\ttabbed\\path \"quoted\" 'single'", "key: value # not a comment", "  leading", "null", "1.0", "naïve ✓ 😀", "- dash", ""]
        for text in awkward {
            contract.description = text
            let scalars = try #require(NodeContract.topLevelScalars(contract.yaml))
            #expect(scalars["description"]?.value == text)
            #expect(scalars["node_type"]?.value == "effect" && scalars["name"]?.line == 2)
        }
    }

    @Test func aFeatureNodesRecordFieldsAreInItsContractAndReadBack() throws {
        let fields = try FeatureEntity.parseFields("name:str,age:int,score:float,active:bool")
        let intent = try IntentParser.parse("Validate a user record", overrides: IntentOverrides(nodeType: .compute, operations: ["validate"], recordFields: fields))
        let contract = ContractBuilder.contract(for: intent)
        #expect(contract.record == fields)
        #expect(contract.input.fields.first { $0.name == "data" }?.description.hasSuffix("Each record: name (str), age (int), score (float), active (bool).") == true)
        #expect(contract.yaml.contains("record_fields:\n- name: name\n  type: str\n"))
        #expect(try NodeContract(yaml: contract.yaml, source: "contract.yaml") == contract)
        // A node made on its own has none, and its YAML says nothing of them.
        let single = ContractBuilder.contract(for: try IntentParser.parse("Validate a user record"))
        #expect(single.record.isEmpty && !single.yaml.contains("record_fields"))
        #expect(try NodeContract(yaml: single.yaml, source: "contract.yaml") == single)
        let rendered = NodeRenderer(generator: "offline").render(intent: intent, contract: contract, patterns: [])
        let code = try #require(rendered.file(rendered.nodePath)?.text)
        #expect(code.contains(#"expected: dict[str, tuple[type, ...]] = {"name": (str,), "age": (int,), "score": (int, float), "active": (bool,)}"#))
        #expect(ValidationGates.validate(rendered).allPassed)
        guard PythonCheck.hasPytest else { return }
        let folder = try TemporaryFolder()
        try NodeWriter.write(rendered, into: folder.path)
        let tests = try PythonCheck.pytest(folder.path)
        #expect(tests.status == 0 && tests.output.contains("passed"), "\(tests.output)")
        let nodeTests = try String(contentsOfFile: folder.path + "/" + rendered.intent.folderName + "/v1_0_0/tests/test_node.py", encoding: .utf8)
        #expect(nodeTests.contains("def test_a_blank_or_mistyped_field_is_named"))
    }

    /// Damaged contract YAML (``FileMutation``, the bytes read back as UTF-8 with repairs, as
    /// a file edited by hand would be) is read or refused by the contract gate's reader,
    /// never crashes or hangs it.
    @Test func damagedContractYAMLNeverCrashesItsReader() throws {
        let bytes = Array(ContractBuilder.contract(for: try IntentParser.parse("Create PostgreSQL writer Effect node")).yaml.utf8)
        let seed = FileMutation.seed(default: 22)
        var random = SeededRandom(seed: seed)
        var read = 0
        for _ in 0..<FileMutation.count(default: 300) {
            let (mutated, _) = FileMutation.apply(to: bytes, using: &random)
            if NodeContract.topLevelScalars(String(decoding: mutated, as: UTF8.self)) != nil { read += 1 }
        }
        #expect(read > 0, "no damaged contract read as a mapping (seed \(seed)): the reader refuses everything")
    }

    /// The YAML reads back, through PyYAML when this machine has it, to the same contract.
    @Test func yamlReadsBackThroughPyYAML() throws {
        let contract = ContractBuilder.contract(for: try IntentParser.parse("coordinate a data pipeline that loads, transforms and stores rows"))
        let file = NSTemporaryDirectory() + "contract-\(UUID().uuidString).yaml"
        try contract.yaml.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let script = "import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        do { try process.run() } catch { return }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            print("skipped: python3 with PyYAML is not available")
            return
        }
        let object = try #require(try JSONSerialization.jsonObject(with: output.fileHandleForReading.readDataToEndOfFile()) as? [String: Any])
        #expect(object["name"] as? String == contract.name)
        #expect(object["version"] as? String == "1.0.0")
        #expect(object["node_type"] as? String == "orchestrator")
        let input = try #require(object["input_model"] as? [String: Any])
        #expect((input["fields"] as? [[String: Any]])?.map { $0["name"] as? String } == contract.input.fields.map(\.name))
        let events = try #require(object["events"] as? [String: Any])
        #expect(events["publishes"] as? [String] == contract.publishes)
        #expect((object["actions"] as? [[String: Any]])?.count == contract.actions.count)
    }
}
