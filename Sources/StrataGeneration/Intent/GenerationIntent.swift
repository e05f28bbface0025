import StrataStore

/// What a prompt asks for: the node to build, in the terms the rest of the pipeline uses.
public struct GenerationIntent: Sendable, Equatable {
    public var prompt: String
    public var nodeType: NodeType
    /// PascalCase, without the type: `PostgreSQLWriter` in `NodePostgreSQLWriterEffect`.
    public var name: String
    /// `database`, `messaging`, `api`, ... (`general` when nothing says otherwise).
    public var domain: String
    /// The name in snake_case, from the prompt's words (`postgresql_writer`), for folders and
    /// modules: splitting `PostgreSQLWriter` back at its capitals would give `postgre_sql`.
    public var snakeName: String
    /// Canonical verbs the node performs (`write`, `fetch`, `aggregate`, ...), in prompt order.
    public var operations: [String]
    /// The fields of the records the node handles (a feature's entity); empty on its own.
    public var recordFields: [NodeContract.Field] = []

    public init(prompt: String, nodeType: NodeType, name: String, snakeName: String? = nil, domain: String, operations: [String]) {
        self.prompt = prompt
        self.nodeType = nodeType
        self.name = name
        self.snakeName = snakeName ?? IntentParser.snakeCase(name)
        self.domain = domain
        self.operations = operations
    }

    /// `Node<Name><Type>`.
    public var className: String { "Node\(name)\(nodeType.className)" }

    /// `node_<domain>_<name>_<type>`: the node's folder.
    public var folderName: String { "node_\(domain)_\(snakeName)_\(nodeType.rawValue)" }
}

/// What the caller says explicitly; each set field overrides what the prompt implies.
public struct IntentOverrides: Sendable, Equatable {
    public var nodeType: NodeType?
    public var name: String?
    public var domain: String?
    public var operations: [String]?
    /// The fields of the records the node handles (a feature's entity).
    public var recordFields: [NodeContract.Field]?

    public init(
        nodeType: NodeType? = nil, name: String? = nil, domain: String? = nil, operations: [String]? = nil, recordFields: [NodeContract.Field]? = nil
    ) {
        self.recordFields = recordFields
        self.nodeType = nodeType
        self.name = name
        self.domain = domain
        self.operations = operations
    }
}
