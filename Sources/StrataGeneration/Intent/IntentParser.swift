import Foundation
import StrataStore

/// Reads a prompt such as "Create PostgreSQL writer Effect node" into a ``GenerationIntent``.
///
/// Deterministic word rules, not a model: the type named in the prompt wins; otherwise the
/// verbs and nouns vote (writer, fetch, publish → Effect; calculate, transform, parse →
/// Compute; aggregate, count, state → Reducer; workflow, coordinate → Orchestrator), with the
/// earliest word breaking ties. The name is the prompt's content words; the domain comes from
/// the technology or subject words.
public enum IntentParser {
    /// - Throws: ``GenerationError/unclearPrompt(prompt:problem:)`` when the prompt names
    ///   nothing to build or gives no clue to the node type (and no override does).
    public static func parse(_ prompt: String, overrides: IntentOverrides = IntentOverrides()) throws(GenerationError) -> GenerationIntent {
        if overrides.nodeType == NodeType.none {
            throw .invalidArgument(name: "node type", value: "none", expected: "effect, compute, reducer or orchestrator")
        }
        let words = tokens(prompt)
        let lowered = words.map { $0.lowercased() }
        guard let nodeType = overrides.nodeType ?? explicitType(lowered) ?? votedType(lowered) else {
            throw .unclearPrompt(prompt: prompt, problem: "no word says what kind of node it is; name the type (Effect, Compute, Reducer or Orchestrator) or give --node-type")
        }
        var content = words.filter { word in
            let lower = word.lowercased()
            return !fillerWords.contains(lower) && NodeType(buildableName: lower) == nil
        }
        // A leading command verb ("orchestrate the checkout workflow") is the operation, not
        // the name; agent nouns ("writer", "aggregator") stay, they name the node.
        while content.count > 1, let first = content.first?.lowercased(), operationVerbs[first] != nil,
              !first.hasSuffix("er"), !first.hasSuffix("or") {
            content.removeFirst()
        }
        let nameWords: [String]
        if let given = overrides.name {
            nameWords = tokens(given)
        } else {
            guard !content.isEmpty else {
                throw .unclearPrompt(prompt: prompt, problem: "it names nothing to build; say what the node does, e.g. \"PostgreSQL writer\", or give --name")
            }
            nameWords = Array(content.prefix(4))
        }
        let name = pascalCase(nameWords)
        guard name.first?.isLetter == true else {
            throw .invalidArgument(name: "name", value: name, expected: "a name starting with a letter (it becomes a Python class name)")
        }
        let domain = overrides.domain.map(snakeCase) ?? inferredDomain(lowered)
        var operations = overrides.operations ?? lowered.compactMap { operationVerbs[$0] }
        operations = operations.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        if operations.isEmpty { operations = [defaultOperation[nodeType]!] }
        let snakeName = nameWords.map { $0.lowercased() }.joined(separator: "_")
        var intent = GenerationIntent(prompt: prompt, nodeType: nodeType, name: name, snakeName: snakeName, domain: domain, operations: operations)
        intent.recordFields = overrides.recordFields ?? []
        return intent
    }

    /// Letters and digits runs, in order.
    static func tokens(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    private static func explicitType(_ words: [String]) -> NodeType? {
        words.lazy.compactMap { NodeType(buildableName: $0) }.first
    }

    private static func votedType(_ words: [String]) -> NodeType? {
        var votes: [NodeType: (count: Int, first: Int)] = [:]
        // A prompt that opens with a verb ("Count Kafka messages ...") says what the node
        // does; the nouns after it say what it does it to. The opening verb counts twice.
        let opening = words.firstIndex { !fillerWords.contains($0) || operationVerbs[$0] != nil }
        for (position, word) in words.enumerated() {
            guard let type = typeWords[word] ?? typeWords[singular(word)] else { continue }
            let weight = position == opening && operationVerbs[word] != nil && !word.hasSuffix("er") && !word.hasSuffix("or") ? 2 : 1
            let current = votes[type] ?? (0, position)
            votes[type] = (current.count + weight, current.first)
        }
        return votes.max { a, b in a.value.count < b.value.count || (a.value.count == b.value.count && a.value.first > b.value.first) }?.key
    }

    private static func inferredDomain(_ words: [String]) -> String {
        for word in words {
            if let domain = domainWords[word] ?? domainWords[singular(word)] { return domain }
        }
        return "general"
    }

    private static func singular(_ word: String) -> String {
        word.count > 3 && word.hasSuffix("s") ? String(word.dropLast()) : word
    }

    /// `["PostgreSQL", "writer"]` → `PostgreSQLWriter`: words with inner capitals kept as
    /// written (an acronym), others capitalized.
    static func pascalCase(_ words: [String]) -> String {
        words.flatMap(tokens).map { word in
            let hasInnerCapital = word.dropFirst().contains { $0.isUppercase }
            return hasInnerCapital ? word.prefix(1).uppercased() + word.dropFirst() : word.prefix(1).uppercased() + word.dropFirst().lowercased()
        }.joined()
    }

    /// `PostgreSQLWriter` → `postgresql_writer`; `HTTPClient2` → `http_client2`.
    public static func snakeCase(_ name: String) -> String {
        var out = ""
        let characters = Array(name)
        for (i, character) in characters.enumerated() {
            if character.isUppercase, i > 0 {
                let previous = characters[i - 1]
                let nextIsLower = i + 1 < characters.count && characters[i + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { out.append("_") }
            }
            if character.isLetter || character.isNumber {
                out.append(Character(character.lowercased()))
            } else if !out.hasSuffix("_") {
                out.append("_")
            }
        }
        return out.trimmingCharacters(in: CharacterSet(charactersIn: "_"))
    }
}

extension IntentParser {
    static let fillerWords: Set<String> = [
        "create", "generate", "make", "build", "write", "implement", "add", "new", "a", "an", "the", "node", "nodes",
        "for", "that", "which", "to", "of", "and", "with", "from", "into", "in", "on", "please", "me", "us", "some", "my", "our",
    ]

    static let typeWords: [String: NodeType] = {
        var table: [String: NodeType] = [:]
        for word in ["writer", "reader", "fetch", "fetcher", "publish", "publisher", "client", "send", "sender", "store", "save", "load",
                     "loader", "upload", "uploader", "download", "downloader", "insert", "persist", "producer", "consumer", "query",
                     "notify", "notifier", "call", "caller", "emit", "emitter", "sink", "source", "repository", "gateway", "adapter",
                     "connector", "database", "api", "http", "kafka", "postgres", "postgresql", "s3", "email", "webhook", "sync",
                     "read", "consume", "subscribe", "subscriber", "mysql", "redis", "mongodb", "rabbitmq", "sqs", "smtp", "slack"] {
            table[word] = .effect
        }
        for word in ["calculate", "calculator", "compute", "transform", "transformer", "validate", "validator", "parse", "parser",
                     "convert", "converter", "format", "formatter", "score", "scorer", "hash", "hasher", "encode", "encoder",
                     "decode", "decoder", "sort", "sorter", "normalize", "normalizer", "tokenize", "tokenizer", "classify",
                     "classifier", "map", "mapper", "extract", "extractor", "render", "renderer", "price", "pricing", "rank", "ranker"] {
            table[word] = .compute
        }
        for word in ["aggregate", "aggregator", "reduce", "reducer", "accumulate", "accumulator", "count", "counter", "sum",
                     "merge", "merger", "collect", "collector", "state", "tally", "group", "window", "average", "statistics",
                     "stats", "rollup", "dedupe", "deduplicate", "total", "totals", "session", "ledger", "balance"] {
            table[word] = .reducer
        }
        for word in ["orchestrate", "orchestrator", "workflow", "coordinate", "coordinator", "pipeline", "saga", "schedule",
                     "scheduler", "sequence", "dispatch", "dispatcher", "route", "router", "manage", "manager", "steps", "flow",
                     "onboarding", "process", "retry", "fanout", "supervisor"] {
            table[word] = .orchestrator
        }
        return table
    }()

    static let domainWords: [String: String] = {
        var table: [String: String] = [:]
        let groups: [(String, [String])] = [
            ("database", ["postgres", "postgresql", "mysql", "sqlite", "database", "sql", "db", "mongodb", "mongo", "table", "row", "record", "repository"]),
            ("cache", ["redis", "memcached", "cache", "caching", "ttl"]),
            ("messaging", ["kafka", "rabbitmq", "queue", "event", "pubsub", "nats", "topic", "message", "sqs", "stream"]),
            ("api", ["http", "rest", "api", "webhook", "graphql", "grpc", "endpoint", "request"]),
            ("files", ["s3", "file", "storage", "blob", "bucket", "disk", "upload", "download", "csv", "parquet", "drive"]),
            ("notifications", ["email", "smtp", "slack", "sms", "notification", "notify", "push", "reminder"]),
            ("payments", ["payment", "invoice", "billing", "stripe", "price", "pricing", "order", "tax", "cart", "checkout", "refund", "loan", "bank"]),
            ("auth", ["user", "auth", "login", "token", "jwt", "oauth", "password", "permission", "session", "account"]),
            ("analytics", ["metric", "log", "telemetry", "trace", "monitoring", "alert", "latency", "revenue", "histogram"]),
            ("ml", ["ml", "embedding", "vector", "inference", "feature", "prediction", "classifier", "training"]),
            ("text", ["text", "string", "markdown", "json", "yaml", "xml", "template"]),
        ]
        for (domain, words) in groups {
            for word in words where table[word] == nil { table[word] = domain }
        }
        return table
    }()

    static let operationVerbs: [String: String] = [
        "write": "write", "writer": "write", "insert": "write", "save": "write", "persist": "write", "store": "write",
        "read": "read", "reader": "read", "load": "read", "loader": "read", "query": "read",
        "fetch": "fetch", "fetcher": "fetch", "download": "fetch", "call": "fetch", "client": "fetch",
        "publish": "publish", "publisher": "publish", "send": "publish", "sender": "publish", "emit": "publish", "producer": "publish", "notify": "publish",
        "consume": "consume", "consumer": "consume", "subscribe": "consume", "upload": "write",
        "calculate": "calculate", "calculator": "calculate", "compute": "calculate", "score": "calculate", "scorer": "calculate",
        "transform": "transform", "transformer": "transform", "convert": "transform", "converter": "transform", "map": "transform", "mapper": "transform",
        "validate": "validate", "validator": "validate", "parse": "parse", "parser": "parse", "format": "format", "formatter": "format",
        "aggregate": "aggregate", "aggregator": "aggregate", "reduce": "aggregate", "accumulate": "aggregate", "sum": "aggregate",
        "count": "count", "counter": "count", "tally": "count", "merge": "merge", "merger": "merge", "collect": "collect", "collector": "collect",
        "orchestrate": "orchestrate", "orchestrator": "orchestrate", "coordinate": "orchestrate", "coordinator": "orchestrate",
        "schedule": "schedule", "scheduler": "schedule", "dispatch": "dispatch", "dispatcher": "dispatch", "route": "route", "router": "route",
        "retry": "retry",
    ]

    static let defaultOperation: [NodeType: String] = [.effect: "execute", .compute: "compute", .reducer: "reduce", .orchestrator: "orchestrate"]
}
