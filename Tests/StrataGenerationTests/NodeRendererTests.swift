import Foundation
import StrataGeneration
import StrataStore
import Testing

/// The rendered Python is checked by Python itself: `ast` for every file, pytest for the
/// generated tests, when they are installed.
@Suite struct NodeRendererTests {
    static let prompts = [
        "Create PostgreSQL writer Effect node",
        "Fetch exchange rates from the REST API",
        "Publish order events to Kafka",
        "Kafka consumer effect for payment events",
        "Read customer records from MySQL",
        "Upload reports to S3 effect node",
        "Calculate shipping cost from weight and zone",
        "Transform CSV rows into invoice records",
        "Validate email addresses and phone numbers",
        "Parse webhook payloads into events",
        "Format currency amounts for display compute node",
        "Aggregate daily revenue per region",
        "Count page views per user reducer",
        "Merge inventory snapshots from warehouses",
        "Collect sensor readings into hourly buckets",
        "Reducer that keeps running totals of orders",
        "Orchestrate the checkout workflow: reserve stock, charge card, send receipt",
        "Schedule nightly data exports orchestrator",
        "Dispatch notification jobs to workers",
        "Retry failed payment captures with an orchestrator",
    ]

    static func render(_ prompt: String, patterns: [RetrievedPattern] = []) throws -> RenderedNode {
        let intent = try IntentParser.parse(prompt)
        return NodeRenderer().render(intent: intent, contract: ContractBuilder.contract(for: intent), patterns: patterns)
    }

    @Test func everyPromptRendersAllFilesOfItsPackage() throws {
        var types = Set<NodeType>()
        for prompt in Self.prompts {
            let node = try Self.render(prompt)
            types.insert(node.contract.nodeType)
            let paths = Set(node.files.map(\.path))
            let snake = node.intent.snakeName
            #expect(paths == [
                "__init__.py", "v1_0_0/__init__.py", "v1_0_0/node.py", "v1_0_0/contract.yaml", "v1_0_0/_onex_compat.py",
                "v1_0_0/models/__init__.py", "v1_0_0/models/model_\(snake)_input.py", "v1_0_0/models/model_\(snake)_output.py",
                "v1_0_0/tests/__init__.py", "v1_0_0/tests/test_node.py",
            ], "\(prompt)")
            let code = try #require(node.file(node.nodePath)).text
            #expect(code.contains("class \(node.intent.className)(_OnexBase):"))
            for action in node.contract.actions { #expect(code.contains("def _\(action.name)(self, request")) }
            for event in node.contract.publishes { #expect(code.contains("\"\(event)\"")) }
        }
        #expect(types == Set(NodeType.buildable))
    }

    @Test func renderingIsDeterministic() throws {
        let first = try Self.render(Self.prompts[0]), second = try Self.render(Self.prompts[0])
        #expect(first == second)
    }

    @Test func promptTextCannotBreakOutOfTheGeneratedStrings() throws {
        let node = try Self.render(#"Create a "quoted" writer \ with """triple""" quotes Effect node"#)
        let code = try #require(node.file(node.nodePath)).text
        #expect(code.contains(#"from the prompt: "Create a \"quoted\" writer \\ with \"\"\"triple\"\"\" quotes Effect node""#))
        try PythonCheck.parse(node)
    }

    @Test(.enabled(if: PythonCheck.python != nil, "python3 is not installed"))
    func everyGeneratedFileParses() throws {
        for prompt in Self.prompts { try PythonCheck.parse(try Self.render(prompt)) }
    }

    @Test(.enabled(if: PythonCheck.hasPytest, "pytest is not installed"))
    func generatedTestsPassUnderPytest() throws {
        let folder = try TemporaryFolder()
        for prompt in Self.prompts { try NodeWriter.write(try Self.render(prompt), into: folder.path) }
        let result = try PythonCheck.pytest(folder.path)
        #expect(result.status == 0, "\(result.output)")
        // Every node's tests ran: at least the three common tests per node.
        let passed = result.output.split(separator: "\n").last { $0.contains("passed") }.flatMap { line in
            line.split(separator: " ").firstIndex { $0.hasPrefix("passed") }.map { Int(line.split(separator: " ")[$0 - 1]) ?? 0 }
        } ?? 0
        #expect(passed >= Self.prompts.count * 3, "\(result.output)")
    }

    @Test func aFittingBodyFromARetrievedPatternIsReused() throws {
        let intent = try IntentParser.parse("Create PostgreSQL writer Effect node")
        let contract = ContractBuilder.contract(for: intent)
        let pattern = RetrievedPattern(
            id: "team/writer", name: "NodeOrdersWriterEffect", nodeType: .effect, domain: "database", similarity: 0.9, quality: 0.9,
            successRate: 1, text: """
                class NodeOrdersWriterEffect(_OnexBase):
                    def _write(self, request: ModelOrdersWriterInput) -> dict[str, Any]:
                        \"\"\"Writes in one batch.\"\"\"
                        batch = [dict(record) for record in request.records]
                        self._call("write", request.target, batch)
                        return {"written": len(batch)}

                    def other(self) -> None:
                        pass
                """)
        let node = NodeRenderer().render(intent: intent, contract: contract, patterns: [pattern])
        let code = try #require(node.file(node.nodePath)).text
        #expect(code.contains("        batch = [dict(record) for record in request.records]\n"))
        #expect(code.contains("Informed by pattern team/writer (similarity 0.90); reused _write."))
        #expect(!code.contains("pass\n"))
        try PythonCheck.parse(node)
    }

    @Test func aBodyThatDoesNotFitIsNotReused() throws {
        let intent = try IntentParser.parse("Create PostgreSQL writer Effect node")
        let contract = ContractBuilder.contract(for: intent)
        func pattern(_ body: String, similarity: Double = 0.9, type: NodeType = .effect) -> RetrievedPattern {
            RetrievedPattern(id: "p", name: "p", nodeType: type, domain: "database", similarity: similarity, quality: 0.9, successRate: 1,
                             text: "    def _write(self, request):\n" + body)
        }
        let unfit = [
            pattern("        return {\"written\": len(request.rows)}\n"),  // no such input field
            pattern("        self._pool.put(request.records)\n        return {\"written\": 1}\n"),  // no such member
            pattern("        return {\"count\": 1}\n"),  // no such output field
            pattern("        return {\"written\": 1}\n", similarity: 0.3),  // too far
            pattern("        return {\"written\": 1}\n", type: .compute),  // another type
            pattern("        log.info(\"writing\")\n        return {\"written\": 1}\n"),  // a name from the pattern's module
            pattern("        return ModelOrdersWriterOutput(written=1)\n"),  // not a dict
        ]
        func code(_ node: RenderedNode) -> String {
            node.file(node.nodePath)!.text.split(separator: "\n").filter { !$0.contains("Informed by pattern") }.joined(separator: "\n")
        }
        let plain = code(NodeRenderer().render(intent: intent, contract: contract))
        for candidate in unfit {
            #expect(code(NodeRenderer().render(intent: intent, contract: contract, patterns: [candidate])) == plain)
        }
    }

    @Test func writingRefusesToReplaceAnExistingNodeWithoutForce() throws {
        let folder = try TemporaryFolder()
        let node = try Self.render(Self.prompts[0])
        let path = try NodeWriter.write(node, into: folder.path)
        #expect(path == folder.path + "/node_database_postgresql_writer_effect/v1_0_0")
        let marker = path + "/node.py"
        try "edited by hand\n".write(toFile: marker, atomically: true, encoding: .utf8)
        #expect(throws: GenerationError.self) { try NodeWriter.write(node, into: folder.path) }
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == "edited by hand\n")
        try NodeWriter.write(node, into: folder.path, force: true)
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == node.file(node.nodePath)!.text)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/node_database_postgresql_writer_effect")
        #expect(leftovers.sorted() == ["__init__.py", "v1_0_0"])
    }
}

@Suite struct OperationPieceTests {
    @Test func freeNamesAreThoseNeitherBoundNorAvailable() {
        let body = """
            limit = 100 if request.limit is None else request.limit
            rows: list[dict[str, Any]] = []
            for index, row in enumerate(self._call("read", request.query, limit) or []):
                rows.append({**row, "index": index})
            ordered = sorted(rows, key=lambda item: item.get("index", 0))
            try:
                text = json.dumps(ordered)
            except ValueError as error:
                raise RuntimeError(str(error)) from error
            helper(text)
            return {"records": ordered}
            """
        #expect(OperationPiece.freeNames(body) == ["helper"])
        #expect(OperationPiece.returnsDictionaries(body))
        #expect(!OperationPiece.returnsDictionaries("return ModelOutput(records=[])"))
    }

    @Test func everyTemplateBodyIsSelfContained() {
        for type in NodeType.buildable {
            for operation in ["write", "read", "fetch", "publish", "consume", "execute", "calculate", "transform", "parse", "format",
                              "validate", "compute", "aggregate", "count", "merge", "collect", "reduce", "orchestrate", "schedule",
                              "dispatch", "route", "retry"] {
                let body = OperationBodies.body(for: operation, type: type)
                #expect(OperationPiece.freeNames(body).isEmpty, "\(operation): \(OperationPiece.freeNames(body))")
                #expect(OperationPiece.returnsDictionaries(body), "\(operation)")
            }
        }
    }
}
