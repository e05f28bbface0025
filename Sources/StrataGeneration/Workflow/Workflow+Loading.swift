import Foundation
import StrataStore
import Yams

extension Workflow {
    /// Reads and checks a workflow written in YAML; `source` names it in errors
    /// (`workflows/crud.yaml`).
    ///
    /// - Throws: ``GenerationError/file(path:problem:)`` naming the source and line of the
    ///   first problem: not YAML, an unknown key, a missing or unknown node type, a role
    ///   named twice or never defined, a dependency cycle (named), a step binding a field its
    ///   node's contract does not have or a value no earlier step gives.
    public init(yaml: String, source: String) throws(GenerationError) {
        let root: Yams.Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else { throw GenerationError.file(path: source, problem: "is empty; a workflow needs name, nodes and steps") }
            root = composed
        } catch let error as GenerationError {
            throw error
        } catch {
            throw .file(path: source, problem: "is not valid YAML: \(error)")
        }
        let reader = WorkflowReader(source: source)
        let top = try reader.mapping(root, keys: ["name", "summary", "detect", "orchestrator", "nodes", "steps"], what: "a workflow")
        let name = try reader.string(top, "name", in: root)
        guard name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }), !name.isEmpty else {
            throw reader.problem(top["name"] ?? root, "name \"\(name)\" must be lower-case letters, digits and dashes (crud, event-handler)")
        }
        guard let nodeList = top["nodes"]?.sequence, !nodeList.isEmpty else { throw reader.problem(top["nodes"] ?? root, "nodes must be a list of at least one node") }
        let nodes = try nodeList.map { (node) throws(GenerationError) in try reader.node(node) }
        var roles = Set<String>()
        for (index, node) in nodes.enumerated() where !roles.insert(node.role).inserted {
            throw reader.problem(nodeList[index], "role \"\(node.role)\" is defined twice")
        }
        for (index, node) in nodes.enumerated() {
            for role in node.dependsOn where !roles.contains(role) {
                throw reader.problem(nodeList[index], "\(node.role) depends on \"\(role)\", which no node of this workflow is")
            }
        }
        if let cycle = Self.cycle(in: nodes) {
            let index = nodes.firstIndex { $0.role == cycle[0] } ?? 0
            throw reader.problem(nodeList[index], "the dependencies form a cycle: \(cycle.joined(separator: " → "))")
        }
        let orchestrator = try reader.string(top, "orchestrator", in: root)
        guard nodes.contains(where: { $0.role == orchestrator && $0.type == .orchestrator }) else {
            throw reader.problem(top["orchestrator"] ?? root, "orchestrator \"\(orchestrator)\" must be the role of an orchestrator node of this workflow")
        }
        guard let stepList = top["steps"]?.sequence, !stepList.isEmpty else { throw reader.problem(top["steps"] ?? root, "steps must be a list of at least one step") }
        var available: Set<String> = ["entity"]
        var steps: [Step] = []
        for stepNode in stepList {
            let step = try reader.step(stepNode, nodes: nodes, orchestrator: orchestrator, available: available)
            guard !steps.contains(where: { $0.name == step.name }) else { throw reader.problem(stepNode, "step \"\(step.name)\" is named twice; give one a name") }
            available.formUnion(Self.contract(of: nodes.first { $0.role == step.role }!).output.fields.map(\.name))
            steps.append(step)
        }
        for (index, node) in nodes.enumerated() where node.role != orchestrator && !steps.contains(where: { $0.role == node.role }) {
            throw reader.problem(nodeList[index], "\(node.role) is in no step: the orchestrator would never run it")
        }
        self.name = name
        summary = try reader.optionalString(top, "summary") ?? ""
        detect = try reader.strings(top, "detect")
        self.nodes = nodes
        self.orchestrator = orchestrator
        self.steps = steps
    }

    /// The contract a node of the workflow gets, its names aside: what its steps may bind.
    static func contract(of node: Node) -> NodeContract {
        ContractBuilder.contract(for: GenerationIntent(prompt: node.prompt, nodeType: node.type, name: "Entity", domain: "general", operations: node.operations))
    }

    /// The first dependency cycle, as roles from one back to itself; nil when there is none.
    static func cycle(in nodes: [Node]) -> [String]? {
        let byRole = Dictionary(uniqueKeysWithValues: nodes.map { ($0.role, $0) })
        var finished = Set<String>()
        var path: [String] = []
        func visit(_ role: String) -> [String]? {
            if let start = path.firstIndex(of: role) { return Array(path[start...]) + [role] }
            guard !finished.contains(role), let node = byRole[role] else { return nil }
            path.append(role)
            for dependency in node.dependsOn {
                if let cycle = visit(dependency) { return cycle }
            }
            path.removeLast()
            finished.insert(role)
            return nil
        }
        for node in nodes {
            if let cycle = visit(node.role) { return cycle }
        }
        return nil
    }
}

/// Reads the parts of a workflow's YAML, each error naming the source and line.
private struct WorkflowReader {
    let source: String

    func problem(_ node: Yams.Node, _ text: String) -> GenerationError {
        .file(path: node.mark.map { "\(source):\($0.line)" } ?? source, problem: text)
    }

    func mapping(_ node: Yams.Node, keys: Set<String>, what: String) throws(GenerationError) -> [String: Yams.Node] {
        guard let mapping = node.mapping else { throw problem(node, "must be \(what): a mapping of \(keys.sorted().joined(separator: ", "))") }
        var result: [String: Yams.Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string, keys.contains(name) else {
                throw problem(key, "\"\(key.string ?? "?")\" is not a key of \(what); expected \(keys.sorted().joined(separator: ", "))")
            }
            result[name] = value
        }
        return result
    }

    func optionalString(_ object: [String: Yams.Node], _ key: String) throws(GenerationError) -> String? {
        guard let node = object[key] else { return nil }
        guard let text = node.scalar?.string else { throw problem(node, "\(key) must be text") }
        return text
    }

    func string(_ object: [String: Yams.Node], _ key: String, in parent: Yams.Node) throws(GenerationError) -> String {
        guard let text = try optionalString(object, key), !text.isEmpty else { throw problem(object[key] ?? parent, "\(key) is missing") }
        return text
    }

    func strings(_ object: [String: Yams.Node], _ key: String) throws(GenerationError) -> [String] {
        guard let node = object[key] else { return [] }
        guard let list = node.sequence else { throw problem(node, "\(key) must be a list") }
        return try list.map { (item) throws(GenerationError) -> String in
            guard let text = item.scalar?.string, !text.isEmpty else { throw problem(item, "\(key) must hold text only") }
            return text
        }
    }

    func node(_ yaml: Yams.Node) throws(GenerationError) -> Workflow.Node {
        let object = try mapping(yaml, keys: ["role", "type", "name", "operations", "domain", "prompt", "depends_on"], what: "a node")
        let role = try string(object, "role", in: yaml)
        guard role.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw problem(object["role"]!, "role \"\(role)\" must be letters, digits and underscores")
        }
        guard let typeName = try optionalString(object, "type") else { throw problem(yaml, "node \(role) has no type: give effect, compute, reducer or orchestrator") }
        guard let type = NodeType(buildableName: typeName) else {
            throw problem(object["type"]!, "node \(role) has type \"\(typeName)\": expected effect, compute, reducer or orchestrator")
        }
        let name = try string(object, "name", in: yaml)
        let operations = try strings(object, "operations")
        guard !operations.isEmpty else { throw problem(object["operations"] ?? yaml, "node \(role) needs operations (read, write, validate, ...)") }
        return Workflow.Node(
            role: role, type: type, name: name, operations: operations.map { $0.lowercased() }, domain: try optionalString(object, "domain"),
            prompt: try optionalString(object, "prompt") ?? "\(name) \(typeName) node", dependsOn: try strings(object, "depends_on"))
    }

    func step(_ yaml: Yams.Node, nodes: [Workflow.Node], orchestrator: String, available: Set<String>) throws(GenerationError) -> Workflow.Step {
        let object = try mapping(yaml, keys: ["name", "role", "inputs", "require"], what: "a step")
        let role = try string(object, "role", in: yaml)
        guard let node = nodes.first(where: { $0.role == role }), role != orchestrator else {
            throw problem(object["role"]!, "step role \"\(role)\" must be a node of this workflow other than its orchestrator")
        }
        let contract = Workflow.contract(of: node)
        var inputs: [Workflow.Input] = []
        if let given = object["inputs"] {
            guard let mapping = given.mapping else { throw problem(given, "inputs must map input fields to values") }
            for (key, value) in mapping {
                guard let field = key.string, contract.input.fields.contains(where: { $0.name == field }) else {
                    throw problem(key, "\(role) has no input field \"\(key.string ?? "?")\"; its fields: \(contract.input.fields.map(\.name).joined(separator: ", "))")
                }
                inputs.append(Workflow.Input(field: field, binding: try binding(value, available: available)))
            }
        }
        for field in contract.input.fields where field.required && !inputs.contains(where: { $0.field == field.name }) {
            throw problem(yaml, "step \(role) leaves the required input field \"\(field.name)\" unbound")
        }
        let require = try optionalString(object, "require")
        if let require, contract.output.fields.first(where: { $0.name == require })?.type != "bool" {
            throw problem(object["require"]!, "require \"\(require)\" must be a bool output field of \(role)")
        }
        return Workflow.Step(name: try optionalString(object, "name") ?? node.operations[0], role: role, inputs: inputs, require: require)
    }

    /// `key`, `[key]`, `key[0]` or `{text: "..."}`; a key must be the entity or an output of an
    /// earlier step.
    func binding(_ yaml: Yams.Node, available: Set<String>) throws(GenerationError) -> Workflow.Binding {
        if let object = yaml.mapping {
            guard object.count == 1, let text = object["text"]?.string else { throw problem(yaml, "a value is a key, [key], key[0] or {text: \"...\"}") }
            return .literal(text)
        }
        guard let text = yaml.scalar?.string else { throw problem(yaml, "a value is a key, [key], key[0] or {text: \"...\"}") }
        let binding: Workflow.Binding
        let key: String
        if text.hasPrefix("["), text.hasSuffix("]") {
            key = String(text.dropFirst().dropLast())
            binding = .list(key)
        } else if text.hasSuffix("[0]") {
            key = String(text.dropLast(3))
            binding = .first(key)
        } else {
            key = text
            binding = .key(key)
        }
        guard available.contains(key) else {
            throw problem(yaml, "\"\(key)\" is neither the entity nor an output of an earlier step; available: \(available.sorted().joined(separator: ", "))")
        }
        return binding
    }
}
