import StrataStore

/// A feature's shape, as data: the nodes it is made of (type, role, name pattern, operations),
/// which of them depends on which, and the steps its orchestrator runs, each binding a node's
/// input fields to what the feature's context holds. `crud`, `event-handler`, `api-endpoint`
/// and `etl` ship with Strata (``builtin``); users add their own as YAML files
/// (``WorkflowCatalog``), checked on load.
///
/// In patterns and literals, `{Entity}` is the entity's name in PascalCase, `{entity}` in
/// snake_case and `{entities}` its plural in snake_case.
public struct Workflow: Sendable, Equatable {
    /// One node of the feature.
    public struct Node: Sendable, Equatable {
        /// The node's part in the feature (`reader`), unique in the workflow.
        public var role: String
        public var type: NodeType
        /// The node's name with its words separated by spaces (`{Entity} Reader`).
        public var name: String
        /// The operations it performs (``ContractBuilder`` gives each its fields).
        public var operations: [String]
        /// Its domain (`database`); nil takes the one the feature's prompt implies.
        public var domain: String?
        /// What the node is asked for (`Read {entities} from the database`).
        public var prompt: String
        /// Roles this node's code needs generated first.
        public var dependsOn: [String]
    }

    /// What a step gives one input field of its node.
    public enum Binding: Sendable, Equatable {
        /// The context's value under this key: the entity (`entity`), or an output field of an
        /// earlier step.
        case key(String)
        /// A one-element list of the context's value (`[entity]`).
        case list(String)
        /// The first element of the context's list (`records[0]`).
        case first(String)
        /// A string (`'{entities}'`).
        case literal(String)
    }

    /// One input field of a step's node and what the step gives it.
    public struct Input: Sendable, Equatable {
        public var field: String
        public var binding: Binding
    }

    /// One step the orchestrator runs: a node's `process`, its input bound from the context,
    /// its output merged back into it.
    public struct Step: Sendable, Equatable {
        /// The step's name in the orchestrator's `steps` (the node's first operation by default).
        public var name: String
        public var role: String
        /// The bound input fields; fields left out take their defaults.
        public var inputs: [Input]
        /// An output field that must be true for the step to succeed (`valid`).
        public var require: String?
    }

    public var name: String
    public var summary: String
    /// Words of a prompt that ask for this workflow when none is named (`crud`).
    public var detect: [String]
    public var nodes: [Node]
    /// The role of the orchestrator that runs the steps.
    public var orchestrator: String
    public var steps: [Step]

    /// The nodes in an order where each comes after those it depends on, grouped in waves:
    /// the nodes of a wave depend only on earlier waves, so they can be made at once.
    public var waves: [[Node]] {
        var done = Set<String>()
        var waves: [[Node]] = []
        while done.count < nodes.count {
            let wave = nodes.filter { !done.contains($0.role) && $0.dependsOn.allSatisfy(done.contains) }
            // A loaded workflow has no cycle (checked on load).
            guard !wave.isEmpty else { break }
            waves.append(wave)
            done.formUnion(wave.map(\.role))
        }
        return waves
    }
}
