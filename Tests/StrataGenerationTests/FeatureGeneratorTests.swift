import Foundation
import StrataAnalytics
import StrataGeneration
import StrataStore
import Testing

/// Features: workflows as data (built-in and from files, refused with the line of the
/// problem), entities and fields, and whole features generated, written atomically, and run
/// by pytest with and without omnibase_core.
@Suite struct FeatureGeneratorTests {
    @Test func theBuiltinWorkflowsLoadInDependencyWavesAndAreFoundByPrompt() throws {
        let catalog = try WorkflowCatalog()
        #expect(catalog.workflows.keys.sorted() == ["api-endpoint", "crud", "etl", "event-handler"])
        let crud = try catalog.workflow(named: "crud")
        #expect(crud.waves.map { $0.map(\.role) } == [["validator", "writer", "reader"], ["api"]])
        #expect(crud.steps.map(\.name) == ["validate", "write", "read"])
        #expect(try catalog.workflow(named: "etl").nodes.count == 5)
        #expect(catalog.detect(in: "Create CRUD API for User management")?.name == "crud")
        #expect(catalog.detect(in: "An ETL pipeline for invoices")?.name == "etl")
        #expect(catalog.detect(in: "Create PostgreSQL writer Effect node") == nil)
        #expect(catalog.detect(in: "Create a data pipeline orchestrator") == nil)
        #expect(catalog.detect(in: "Consume order events from Kafka") == nil)
        #expect(catalog.detect(in: "An event handler for Payment events")?.name == "event-handler")
        #expect(throws: GenerationError.self) { try catalog.workflow(named: "saga") }
        #expect(FeatureEntity.entity(in: "Create CRUD API for User management") == "User")
        #expect(FeatureEntity.entity(in: "An ETL pipeline for the Invoice records") == "Invoice")
        let entity = try FeatureEntity(name: "order line", fields: try FeatureEntity.parseFields("sku:str, quantity:int,note"))
        #expect(entity.name == "OrderLine" && entity.snakeName == "order_line" && entity.pluralSnakeName == "order_lines")
        #expect(entity.fields.map(\.type) == ["str", "int", "str"])
        #expect(try FeatureEntity(name: "Category").pluralSnakeName == "categories")
        #expect(entity.fill("{Entity} Reader reads {entities} of {entity}") == "OrderLine Reader reads order_lines of order_line")
    }

    @Test func badEntitiesAndFieldsAreRefusedBeforeAnythingIsMade() throws {
        for (name, fields) in [("class", "name:str"), ("Lambda", "name:str"), ("7up", "name:str"), ("User", "1st:str"), ("User", "def:str"),
                               ("User", "name:str,name:int"), ("User", "tags:list"), ("User", "e-mail:str")] {
            #expect(throws: GenerationError.self, "\(name) \(fields)") {
                try FeatureEntity(name: name, fields: try FeatureEntity.parseFields(fields))
            }
        }
    }

    @Test func aWorkflowFileWithAProblemIsRefusedNamingItsLine() throws {
        let node = """
            name: mine
            orchestrator: run
            nodes:
              - role: a
                type: compute
                name: A
                operations: [transform]
                depends_on: [b]
              - role: b
                type: compute
                name: B
                operations: [validate]
                depends_on: [a]
              - role: run
                type: orchestrator
                name: Run
                operations: [orchestrate]
            steps:
              - role: a
                inputs: {data: entity}
              - role: b
                inputs: {data: entity}
            """
        let cases: [(String, String)] = [
            (node, "mine.yaml:4: the dependencies form a cycle: a → b → a"),
            (node.replacingOccurrences(of: "    type: compute\n    name: B", with: "    name: B").replacingOccurrences(of: "depends_on: [b]", with: "depends_on: []"),
             "mine.yaml:9: node b has no type"),
            (node.replacingOccurrences(of: "type: compute\n    name: B", with: "type: saga\n    name: B"), "node b has type \"saga\""),
            (node.replacingOccurrences(of: "name: mine", with: "name: mine\ncolour: red"), "mine.yaml:2: \"colour\" is not a key of a workflow"),
            (node.replacingOccurrences(of: "depends_on: [b]", with: "depends_on: []").replacingOccurrences(of: "inputs: {data: entity}\n  - role: b", with: "inputs: {data: missing}\n  - role: b"),
             "\"missing\" is neither the entity nor an output of an earlier step"),
            (node.replacingOccurrences(of: "depends_on: [b]", with: "depends_on: []").replacingOccurrences(of: "inputs: {data: entity}\n  - role: b", with: "inputs: {rows: entity}\n  - role: b"),
             "a has no input field \"rows\""),
            (node.replacingOccurrences(of: "depends_on: [b]", with: "depends_on: []").replacingOccurrences(of: "  - role: b\n    inputs: {data: entity}", with: ""),
             "b is in no step"),
            ("name: [", "is not valid YAML"),
        ]
        for (text, problem) in cases {
            #expect(throws: GenerationError.self) { try Workflow(yaml: text, source: "mine.yaml") }
            do {
                _ = try Workflow(yaml: text, source: "mine.yaml")
            } catch {
                #expect(error.description.contains(problem), "\(error.description)")
            }
        }
        let folder = try TemporaryFolder()
        try node.replacingOccurrences(of: "depends_on: [a]", with: "depends_on: []").write(toFile: folder.path + "/mine.yaml", atomically: true, encoding: .utf8)
        #expect(try WorkflowCatalog(folders: [folder.path]).workflow(named: "mine").waves.count == 2)
        try "name: broken\n".write(toFile: folder.path + "/broken.yaml", atomically: true, encoding: .utf8)
        #expect(throws: GenerationError.self) { try WorkflowCatalog(folders: [folder.path]) }
    }

    @Test func aCRUDFeatureIsGeneratedRecordedWrittenWholeAndPassesItsTests() throws {
        let workspace = try GenerationWorkspace()
        var configuration = GeneratorConfiguration()
        configuration.outputDirectory = workspace.output
        let generator = try FeatureGenerator(store: workspace.store, tracker: workspace.tracker, configuration: configuration)
        let entity = try FeatureEntity(name: "User", fields: try FeatureEntity.parseFields("name:str,email:str,age:int"))
        let crud = try WorkflowCatalog().workflow(named: "crud")
        let reported = Locked(0)
        let result = try generator.generate(prompt: "Create CRUD API for User management", workflow: crud, entity: entity) { _, _ in reported.add() }
        #expect(result.nodes.map(\.role) == ["validator", "writer", "reader", "api"])
        #expect(result.allGatesPassed)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(reported.value == 4 * GenerationStage.allCases.count)
        let folder = try #require(result.path)
        #expect(folder.hasSuffix("/feature_user_crud"))
        for file in ["wiring.py", "models/model_user.py", "tests/test_integration.py", "node_database_user_reader_effect/v1_0_0/node.py"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + file), "\(file)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.output) == ["feature_user_crud"])
        #expect(try workspace.tracker.records(stage: nil, since: nil).count == 4)
        // Made one after another, the same files.
        var sequential = configuration
        sequential.writeFiles = false
        let again = try FeatureGenerator(configuration: sequential, concurrent: false).generate(prompt: "Create CRUD API for User management", workflow: crud, entity: entity)
        #expect(again.files == result.files)
        #expect(again.nodes.map { $0.result.node.files } == result.nodes.map { $0.result.node.files })
        // A second run refuses the existing feature before making anything.
        #expect(throws: GenerationError.self) { try generator.generate(prompt: "Create CRUD API for User management", workflow: crud, entity: entity) }
        #expect(try workspace.tracker.records(stage: nil, since: nil).count == 4)
        guard PythonCheck.hasPytest else { return }
        let plain = try PythonCheck.pytest(workspace.output)
        #expect(plain.status == 0 && plain.output.contains("passed"), "\(plain.output)")
        // With omnibase_core importable, the nodes take its base classes.
        let fake = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: fake.path + "/omnibase_core/nodes", withIntermediateDirectories: true)
        try "".write(toFile: fake.path + "/omnibase_core/__init__.py", atomically: true, encoding: .utf8)
        try (["Effect", "Compute", "Reducer", "Orchestrator"].map { "class Node\($0):\n    def __init__(self) -> None:\n        self.metrics = {\"calls\": 0}\n\n" }.joined())
            .write(toFile: fake.path + "/omnibase_core/nodes/__init__.py", atomically: true, encoding: .utf8)
        let script = "import sys; sys.path.insert(0, \(PythonTextForTests.literal(fake.path))); import omnibase_core, pytest; sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', \(PythonTextForTests.literal(workspace.output))]))"
        let core = try PythonCheck.run(["-c", script])
        #expect(core.status == 0 && core.output.contains("passed"), "\(core.output)")
    }

    @Test func aSecondFeatureOfTheSameShapeStandsOnTheFirst() throws {
        let workspace = try GenerationWorkspace()
        var configuration = GeneratorConfiguration()
        configuration.outputDirectory = workspace.output
        let generator = try FeatureGenerator(store: workspace.store, tracker: workspace.tracker, configuration: configuration)
        let crud = try WorkflowCatalog().workflow(named: "crud")
        let user = try generator.generate(
            prompt: "Create CRUD API for User management", workflow: crud, entity: try FeatureEntity(name: "User", fields: try FeatureEntity.parseFields("name:str,email:str")))
        // The nodes learn at once (the independent ones are made together): each is stored.
        #expect(user.nodes.allSatisfy { $0.result.storedPattern != nil }, "\(user.nodes.map { "\($0.role): \($0.result.learnDetail)" })")
        let stored = try #require(user.storedAs, "\(user.learnDetail)")
        #expect(stored.hasPrefix("feature/crud/user/") && user.basedOn == nil)
        let pattern = try workspace.store.pattern(id: stored)
        #expect(pattern.kind == FeatureGenerator.featureKind && pattern.tags.contains("workflow:crud") && pattern.nodeType == .none)
        let order = try generator.generate(
            prompt: "Create CRUD API for Order management", workflow: crud, entity: try FeatureEntity(name: "Order", fields: try FeatureEntity.parseFields("total:float,paid:bool")))
        let prior = try #require(order.basedOn)
        #expect(prior.id == stored && prior.entity == "User" && prior.similarity > 0.5)
        #expect(Set(prior.nodes.keys) == ["validator", "writer", "reader", "api"])
        for node in order.nodes {
            let first = try #require(user.nodes.first { $0.role == node.role })
            // Each node's lookup returned the first feature's node of its role...
            #expect(node.result.patterns.contains { $0.id == prior.nodes[node.role] }, "\(node.role)")
            // ...and is at least as good for it.
            #expect(node.result.quality.value >= first.result.quality.value - 1e-9, "\(node.role)")
        }
        #expect(order.nodes.contains { node in node.result.quality.value > user.nodes.first { $0.role == node.role }!.result.quality.value })
        #expect(order.quality >= user.quality)
        #expect((order.jsonObject["based_on"] as? [String: Any])?["id"] as? String == stored)
        // A node lookup never takes a feature for a node.
        #expect(order.nodes.allSatisfy { !$0.result.patterns.contains { $0.id.hasPrefix("feature/") } })
    }

    @Test func everyShippedWorkflowMakesAFeatureWhoseTestsPass() throws {
        let folder = try TemporaryFolder()
        var configuration = GeneratorConfiguration()
        configuration.outputDirectory = folder.path
        configuration.learn = false
        let generator = try FeatureGenerator(configuration: configuration)
        let catalog = try WorkflowCatalog()
        for (name, entity) in [("event-handler", "Payment"), ("api-endpoint", "Invoice"), ("etl", "Shipment")] {
            let result = try generator.generate(
                prompt: "Build the \(name) feature", workflow: try catalog.workflow(named: name),
                entity: try FeatureEntity(name: entity, fields: try FeatureEntity.parseFields("code:str,amount:float,count:int,open:bool")))
            #expect(result.allGatesPassed, "\(name)")
        }
        guard PythonCheck.hasPytest else { return }
        let run = try PythonCheck.pytest(folder.path)
        #expect(run.status == 0 && run.output.contains("passed"), "\(run.output)")
    }

    @Test func aProviderFailingForOneNodeIsNamedAndTheFeatureKeepsItsTemplateCode() throws {
        /// Answers with the template's own code, except for the reader, whose calls fail.
        struct FailingForReader: Provider {
            let name = "stub"
            func complete(_ request: CompletionRequest) throws(GenerationError) -> Completion {
                if request.prompt.contains("NodeUserReaderEffect") { throw .provider(provider: name, problem: "timed out after 3 s") }
                throw .provider(provider: name, problem: "no answer today")
            }
        }
        let folder = try TemporaryFolder()
        var configuration = GeneratorConfiguration()
        configuration.outputDirectory = folder.path
        configuration.learn = false
        let generator = try FeatureGenerator(provider: FailingForReader(), model: "stub-model", configuration: configuration)
        let result = try generator.generate(prompt: "CRUD for User", workflow: try WorkflowCatalog().workflow(named: "crud"), entity: try FeatureEntity(name: "User"))
        #expect(result.problems.contains { $0.hasPrefix("reader: refine: ") && $0.contains("timed out after 3 s") }, "\(result.problems)")
        #expect(result.problems.count == 4)
        #expect(result.allGatesPassed)
        #expect(result.path != nil)
    }

    @Test func aNodeReadBackFromDiskHasItsContractAndJudgesAsGenerated() throws {
        let folder = try TemporaryFolder()
        var configuration = GeneratorConfiguration()
        configuration.outputDirectory = folder.path
        configuration.learn = false
        let made = try Generator(configuration: configuration).generate(prompt: "Create PostgreSQL writer Effect node")
        let read = try NodeReader.nodes(under: folder.path)
        #expect(read.count == 1)
        let node = try #require(read.first?.node)
        #expect(node.contract == made.node.contract)
        #expect(node.intent.className == made.intent.className && node.intent.folderName == made.intent.folderName)
        #expect(Set(node.files.map(\.path)) == Set(made.node.files.map(\.path)))
        #expect(ValidationGates.validate(node).gates.map(\.status) == made.validation.gates.map(\.status))
        #expect(throws: GenerationError.self) { try NodeContract(yaml: "name: x\n", source: "contract.yaml") }
        #expect(throws: GenerationError.self) { try NodeReader.nodes(under: folder.path + "/missing") }
    }

    @Test func anUnwritableOutputFolderLeavesNothingBehind() throws {
        let folder = try TemporaryFolder()
        let locked = folder.path + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked) }
        guard !FileManager.default.isWritableFile(atPath: locked) else { return }  // running as root
        var configuration = GeneratorConfiguration()
        configuration.outputDirectory = locked
        configuration.learn = false
        let generator = try FeatureGenerator(configuration: configuration)
        #expect(throws: GenerationError.self) {
            try generator.generate(prompt: "CRUD for User", workflow: try WorkflowCatalog().workflow(named: "crud"), entity: try FeatureEntity(name: "User"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: locked).isEmpty)
    }
}

/// A counter several threads add to.
final class Locked: @unchecked Sendable {
    private var count: Int
    private let lock = NSLock()
    init(_ count: Int) { self.count = count }
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

/// A double-quoted Python string literal, for paths put into test scripts.
enum PythonTextForTests {
    static func literal(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
