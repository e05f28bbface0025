import StrataStore

/// What a node promises: its name, version, type, the models it takes and returns, its
/// actions, what it depends on and, for Effect and Orchestrator nodes, the events it
/// publishes and consumes. Written beside the code as `contract.yaml`; the validation gates
/// check the code against it.
public struct NodeContract: Sendable, Equatable {
    /// One field of an input or output model.
    public struct Field: Sendable, Equatable {
        public var name: String
        /// A Python type annotation: `str`, `int`, `list[dict[str, Any]]`, ...
        public var type: String
        public var required: Bool
        public var description: String

        public init(name: String, type: String, required: Bool = true, description: String) {
            self.name = name
            self.type = type
            self.required = required
            self.description = description
        }
    }

    /// A data model (a Python dataclass in `models/`).
    public struct Model: Sendable, Equatable {
        public var name: String
        public var fields: [Field]

        public init(name: String, fields: [Field]) {
            self.name = name
            self.fields = fields
        }
    }

    public struct Action: Sendable, Equatable {
        public var name: String
        public var description: String

        public init(name: String, description: String) {
            self.name = name
            self.description = description
        }
    }

    /// A Python package the node uses when it is installed, with what for.
    public struct Dependency: Sendable, Equatable {
        public var name: String
        public var purpose: String
        /// Optional dependencies are imported lazily; the node still imports without them.
        public var optional: Bool

        public init(name: String, purpose: String, optional: Bool = true) {
            self.name = name
            self.purpose = purpose
            self.optional = optional
        }
    }

    public var name: String
    public var className: String
    public var version: String
    public var nodeType: NodeType
    public var domain: String
    public var description: String
    public var input: Model
    public var output: Model
    public var actions: [Action]
    public var dependencies: [Dependency]
    /// Event names (`<domain>.<node>.<what>`); empty for Compute and Reducer nodes.
    public var publishes: [String]
    public var consumes: [String]
    /// The fields of the records the node handles, when it is part of a feature about an
    /// entity (`name: str`, `email: str`); empty for a node made on its own.
    public var record: [Field]

    public init(
        name: String, className: String, version: String = "1.0.0", nodeType: NodeType, domain: String, description: String,
        input: Model, output: Model, actions: [Action], dependencies: [Dependency] = [], publishes: [String] = [], consumes: [String] = [],
        record: [Field] = []
    ) {
        self.record = record
        self.name = name
        self.className = className
        self.version = version
        self.nodeType = nodeType
        self.domain = domain
        self.description = description
        self.input = input
        self.output = output
        self.actions = actions
        self.dependencies = dependencies
        self.publishes = publishes
        self.consumes = consumes
    }

    /// `v1_0_0` for version `1.0.0`: the version folder.
    public var versionFolder: String { "v" + version.replacingOccurrences(of: ".", with: "_") }
}
