import StrataGeneration
import StrataStore
import Testing

@Suite struct IntentParserTests {
    @Test func theIssuesExamplePrompt() throws {
        let intent = try IntentParser.parse("Create PostgreSQL writer Effect node")
        #expect(intent.nodeType == .effect)
        #expect(intent.name == "PostgreSQLWriter")
        #expect(intent.domain == "database")
        #expect(intent.operations == ["write"])
        #expect(intent.className == "NodePostgreSQLWriterEffect")
        #expect(intent.folderName == "node_database_postgresql_writer_effect")
    }

    /// Twenty varied prompts: the type each implies, named or not, and the domain.
    @Test(arguments: [
        ("Create PostgreSQL writer Effect node", NodeType.effect, "database"),
        ("Kafka event publisher", .effect, "messaging"),
        ("fetch user profiles from the REST API", .effect, "auth"),
        ("S3 file uploader", .effect, "files"),
        ("send a Slack notification when a build fails", .effect, "notifications"),
        ("Redis cache reader effect", .effect, "cache"),
        ("calculate the tax for an order", .compute, "payments"),
        ("transform CSV rows into JSON records", .compute, "files"),
        ("validate JWT tokens", .compute, "auth"),
        ("parse markdown into sections", .compute, "text"),
        ("compute embedding similarity scores", .compute, "ml"),
        ("aggregate metrics per minute window", .reducer, "analytics"),
        ("count events by topic", .reducer, "messaging"),
        ("running balance ledger for payments", .reducer, "payments"),
        ("merge user sessions reducer", .reducer, "auth"),
        ("orchestrate the checkout workflow", .orchestrator, "payments"),
        ("coordinate a data pipeline that loads, transforms and stores rows", .orchestrator, "database"),
        ("user onboarding saga orchestrator", .orchestrator, "auth"),
        ("schedule nightly report jobs", .orchestrator, "general"),
        ("Compute node that hashes passwords", .compute, "auth"),
    ])
    func infersTypeAndDomain(prompt: String, type: NodeType, domain: String) throws {
        let intent = try IntentParser.parse(prompt)
        #expect(intent.nodeType == type, "\(prompt)")
        #expect(intent.domain == domain, "\(prompt)")
        #expect(intent.name.first?.isUppercase == true)
        #expect(!intent.operations.isEmpty)
        #expect(intent.folderName.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" })
    }

    /// Twenty prompts a careful reader labelled (Fixtures/prompts/parse-20.txt), three of them
    /// hard on purpose ("credit score from the bureau's API" reads as compute, "repayment
    /// schedule" as a workflow, "fan out ... and collect" as I/O): the parser may miss those.
    @Test func labelledPromptsGetTheReadersType() throws {
        let lines = try String(contentsOfFile: Fixtures.folder + "/prompts/parse-20.txt", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 20)
        var misses: [String] = []
        for line in lines {
            let parts = line.split(separator: "\t").map(String.init)
            let expected = try #require(NodeType(buildableName: parts[0]))
            let parsed = try IntentParser.parse(parts[1])
            if parsed.nodeType != expected { misses.append("\(parts[1]): \(parsed.nodeType) instead of \(expected)") }
        }
        #expect(misses.count <= 3, "\(misses)")
    }

    @Test func aLeadingCommandVerbIsTheOperationNotTheName() throws {
        let intent = try IntentParser.parse("orchestrate the checkout workflow")
        #expect(intent.name == "CheckoutWorkflow")
        #expect(intent.operations == ["orchestrate"])
        #expect(try IntentParser.parse("Kafka event publisher").name == "KafkaEventPublisher")
        #expect(try IntentParser.parse("aggregator").name == "Aggregator")
    }

    @Test func overridesWin() throws {
        let intent = try IntentParser.parse("Kafka event publisher", overrides: IntentOverrides(nodeType: .orchestrator, name: "event fan out", domain: "Streaming Events", operations: ["route"]))
        #expect(intent.nodeType == .orchestrator)
        #expect(intent.name == "EventFanOut")
        #expect(intent.domain == "streaming_events")
        #expect(intent.operations == ["route"])
    }

    @Test func unclearPromptsSayWhatIsMissing() {
        #expect(throws: GenerationError.self) { try IntentParser.parse("") }
        #expect(throws: GenerationError.self) { try IntentParser.parse("create a node for the thing") }
        #expect(throws: GenerationError.self) { try IntentParser.parse("Create an Effect node") }
        do {
            _ = try IntentParser.parse("frobnicate the widgets")
            Issue.record("an untyped prompt was accepted")
        } catch {
            #expect(error.description.contains("--node-type"))
        }
        #expect(throws: GenerationError.self) { try IntentParser.parse("writer", overrides: IntentOverrides(name: "42 things")) }
    }

    @Test func snakeCaseSplitsWordsAndKeepsLeadingAcronymsTogether() {
        #expect(IntentParser.snakeCase("PostgresWriter") == "postgres_writer")
        #expect(IntentParser.snakeCase("HTTPClient2") == "http_client2")
        #expect(IntentParser.snakeCase("S3FileUploader") == "s3_file_uploader")
        #expect(IntentParser.snakeCase("Streaming Events") == "streaming_events")
    }
}
