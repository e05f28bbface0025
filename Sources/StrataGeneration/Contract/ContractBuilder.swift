import Foundation
import StrataStore

/// Builds a node's contract from its intent: the fields each operation needs in and gives
/// out, one action per operation, the packages the domain's I/O uses, and events named
/// `<domain>.<node>.<what>` for the nodes that talk to the outside.
public enum ContractBuilder {
    public static func contract(for intent: GenerationIntent, version: String = "1.0.0") -> NodeContract {
        var inputs: [NodeContract.Field] = []
        var outputs: [NodeContract.Field] = []
        for operation in intent.operations {
            let shape = shapes[operation] ?? shapes[defaultShape[intent.nodeType]!]!
            for field in shape.input where !inputs.contains(where: { $0.name == field.name }) { inputs.append(field) }
            for field in shape.output where !outputs.contains(where: { $0.name == field.name }) { outputs.append(field) }
        }
        let actions = intent.operations.map { operation in
            NodeContract.Action(name: operation, description: "\(operation.prefix(1).uppercased() + operation.dropFirst()) for \(intent.prompt.trimmingCharacters(in: .whitespacesAndNewlines)).")
        }
        if !intent.recordFields.isEmpty {
            // The record-carrying input says what a record holds (see `record_fields`).
            let shape = intent.recordFields.map { "\($0.name) (\($0.type))" }.joined(separator: ", ")
            for index in inputs.indices where ["records", "data", "items", "item"].contains(inputs[index].name) {
                inputs[index].description += " Each record: \(shape)."
            }
        }
        let prefix = "\(intent.domain).\(intent.snakeName)"
        let talksOutside = intent.nodeType == .effect || intent.nodeType == .orchestrator
        return NodeContract(
            name: intent.folderName,
            className: intent.className,
            version: version,
            nodeType: intent.nodeType,
            domain: intent.domain,
            description: intent.prompt.trimmingCharacters(in: .whitespacesAndNewlines),
            input: .init(name: "Model\(intent.name)Input", fields: inputs),
            output: .init(name: "Model\(intent.name)Output", fields: outputs),
            actions: actions,
            dependencies: intent.nodeType == .effect ? dependencies(for: intent) : [],
            publishes: talksOutside ? ["\(prefix).completed", "\(prefix).failed"] : [],
            consumes: intent.nodeType == .orchestrator || intent.operations.contains("consume") ? ["\(prefix).requested"] : [],
            record: intent.recordFields
        )
    }

    /// The client package an Effect node in this domain uses, when the prompt names one.
    static func dependencies(for intent: GenerationIntent) -> [NodeContract.Dependency] {
        let words = Set(IntentParser.tokens(intent.prompt).map { $0.lowercased() })
        return clients.filter { !words.isDisjoint(with: $0.words) }.map { NodeContract.Dependency(name: $0.package, purpose: $0.purpose) }
    }

    private typealias Shape = (input: [NodeContract.Field], output: [NodeContract.Field])

    private static let defaultShape: [NodeType: String] = [.effect: "execute", .compute: "compute", .reducer: "reduce", .orchestrator: "orchestrate"]

    private static let shapes: [String: Shape] = {
        typealias F = NodeContract.Field
        let records = F(name: "records", type: "list[dict[str, Any]]", description: "The records to process.")
        let result = F(name: "result", type: "dict[str, Any]", description: "What the computation produced.")
        let items = F(name: "items", type: "list[dict[str, Any]]", description: "The items to fold into the result.")
        let data = F(name: "data", type: "dict[str, Any]", description: "The input to compute on.")
        var table: [String: Shape] = [:]
        table["write"] = ([records, F(name: "target", type: "str", description: "Where to write (table, bucket, path).")],
                          [F(name: "written", type: "int", description: "How many records were written.")])
        table["read"] = ([F(name: "query", type: "str", description: "What to read."), F(name: "limit", type: "int", required: false, description: "At most this many records.")],
                         [records])
        table["fetch"] = ([F(name: "resource", type: "str", description: "What to fetch (URL or key)."), F(name: "params", type: "dict[str, Any]", required: false, description: "Request parameters.")],
                          [F(name: "payload", type: "dict[str, Any]", description: "What came back."), F(name: "status", type: "int", description: "The outcome code.")])
        table["publish"] = ([F(name: "topic", type: "str", description: "Where to publish."), F(name: "payload", type: "dict[str, Any]", description: "The message.")],
                            [F(name: "published", type: "bool", description: "Whether the message was accepted."), F(name: "message_id", type: "str", description: "The broker's id for it.")])
        table["consume"] = ([F(name: "topic", type: "str", description: "Where to read messages."), F(name: "max_messages", type: "int", required: false, description: "At most this many.")],
                            [F(name: "messages", type: "list[dict[str, Any]]", description: "The messages read.")])
        table["execute"] = ([F(name: "request", type: "dict[str, Any]", description: "The operation to perform.")],
                            [F(name: "response", type: "dict[str, Any]", description: "What the operation returned.")])
        for name in ["calculate", "transform", "parse", "format", "compute"] { table[name] = ([data], [result]) }
        table["validate"] = ([data], [F(name: "valid", type: "bool", description: "Whether the input is valid."),
                                      F(name: "errors", type: "list[str]", description: "What is wrong with it.")])
        for name in ["aggregate", "count", "merge", "collect", "reduce"] {
            // A reduction carries its state from one call to the next.
            table[name] = ([items, F(name: "key", type: "str", required: false, description: "The field to group by."),
                            F(name: "state", type: "dict[str, Any]", required: false, description: "The state from the previous reduction, if any.")],
                           [F(name: "aggregates", type: "dict[str, float]", description: "One value per group."),
                            F(name: "state", type: "dict[str, Any]", description: "The state to pass to the next reduction.")])
        }
        for name in ["orchestrate", "schedule", "dispatch", "route", "retry"] {
            table[name] = ([F(name: "steps", type: "list[str]", description: "The steps to run, in order."), F(name: "context", type: "dict[str, Any]", required: false, description: "Shared inputs of the steps.")],
                           [F(name: "completed", type: "list[str]", description: "Steps that finished."), F(name: "failed", type: "list[str]", description: "Steps that failed.")])
        }
        return table
    }()

    private static let clients: [(words: Set<String>, package: String, purpose: String)] = [
        (["postgres", "postgresql"], "psycopg", "PostgreSQL client"),
        (["mysql"], "pymysql", "MySQL client"),
        (["redis"], "redis", "Redis client"),
        (["mongodb", "mongo"], "pymongo", "MongoDB client"),
        (["kafka"], "kafka-python", "Kafka producer and consumer"),
        (["rabbitmq"], "pika", "RabbitMQ client"),
        (["http", "rest", "api", "webhook"], "httpx", "HTTP client"),
        (["s3"], "boto3", "S3 client"),
        (["slack"], "slack-sdk", "Slack client"),
    ]
}
