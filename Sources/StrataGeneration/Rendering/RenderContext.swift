import Foundation
import StrataStore

/// The values the templates are filled with, computed once per node.
struct RenderContext {
    let intent: GenerationIntent
    let contract: NodeContract
    let generator: String
    let patterns: [RetrievedPattern]
    let pieces: [String: OperationPiece]

    /// The body of each action: the reused piece, or the template's.
    let bodies: [(operation: String, body: String, reusedFrom: String?)]

    init(intent: GenerationIntent, contract: NodeContract, generator: String, patterns: [RetrievedPattern], pieces: [String: OperationPiece]) {
        self.intent = intent
        self.contract = contract
        self.generator = generator
        self.patterns = patterns
        self.pieces = pieces
        bodies = contract.actions.map { action in
            // Checking the feature's own record is more specific than any retrieved piece.
            if action.name == "validate", let body = OperationBodies.recordValidation(contract.record) { return (action.name, body, nil) }
            if let piece = pieces[action.name] { return (action.name, piece.body, piece.patternID) }
            var body = OperationBodies.body(for: action.name, type: contract.nodeType)
            // A verb of another type's family may use members this type lacks (a schedule
            // step in an Effect node): the type's own default serves instead.
            if !OperationPiece.references(prefix: "self.", in: body).isSubset(of: OperationBodies.allowedMembers(contract.nodeType)) {
                body = OperationBodies.body(for: "", type: contract.nodeType)
            }
            return (action.name, body, nil)
        }
    }

    func header(summary: String) -> [String: Any] {
        ["summary": PythonText.docstring(summary), "generator": generator, "promptLiteral": PythonText.literal(intent.prompt)]
    }

    var packageMarker: [String: Any] { header(summary: "The \(contract.className) node package (\(contract.name)).") }

    var versionPackage: [String: Any] {
        header(summary: "\(contract.className), version \(contract.version).").merging(["exportNode": true, "className": contract.className]) { $1 }
    }

    var modelsPackage: [String: Any] {
        header(summary: "The input and output models of \(contract.className).").merging([
            "snakeName": intent.snakeName, "inputModel": contract.input.name, "outputModel": contract.output.name,
        ]) { $1 }
    }

    func model(_ model: NodeContract.Model, role: String) -> [String: Any] {
        // Fields with defaults must follow those without in a dataclass.
        let ordered = model.fields.filter(\.required) + model.fields.filter { !$0.required }
        let fields: [[String: Any]] = ordered.map { field in
            [
                "name": field.name,
                "annotation": field.required ? field.type : "\(field.type) | None",
                "defaultClause": field.required ? "" : " = None",
                "description": PythonText.docstring(field.description),
            ]
        }
        return header(summary: "The \(role) of \(contract.className).").merging([
            "modelName": model.name, "modelDoc": PythonText.docstring("What \(contract.className) \(role == "input" ? "takes" : "returns")."),
            "fields": fields,
        ]) { $1 }
    }

    /// The docstring sentence of a template operation.
    private func summary(of operation: String) -> String {
        operation == "validate" && !OperationBodies.checkedFields(contract.record).isEmpty
            ? OperationBodies.recordValidationSummary : OperationBodies.summary(for: operation)
    }

    var node: [String: Any] {
        let talksOutside = !contract.publishes.isEmpty
        let operations: [[String: Any]] = bodies.map { entry in
            [
                "name": entry.operation,
                "doc": PythonText.docstring(entry.reusedFrom.map { "As in pattern \($0)." } ?? summary(of: entry.operation)),
                "body": PythonText.indent(entry.body, by: 8),
            ]
        }
        let consulted: [[String: Any]] = patterns.prefix(3).map { pattern in
            let reused = bodies.filter { $0.reusedFrom == pattern.id }.map { "_" + $0.operation }
            return [
                "id": PythonText.docstring(pattern.id), "similarity": String(format: "%.2f", pattern.similarity),
                "reuse": reused.isEmpty ? "" : "; reused " + reused.joined(separator: ", "),
            ]
        }
        return header(summary: contract.description).merging([
            "className": contract.className, "contractName": contract.name, "version": contract.version,
            "nodeType": contract.nodeType.rawValue, "baseClass": "Node" + contract.nodeType.className, "inputModel": contract.input.name, "outputModel": contract.output.name,
            "operations": operations,
            "outputFields": contract.output.fields.map { ["name": $0.name, "empty": Self.emptyValue(for: $0)] as [String: Any] },
            "publishes": contract.publishes, "consumes": contract.consumes, "consulted": consulted,
            "needsJSON": bodies.contains { OperationBodies.needsJSON($0.body) },
            "emitsEvents": talksOutside,
            "clientHint": contract.dependencies.isEmpty ? "any object with the methods the operations call" : contract.dependencies.map { "\($0.name): \($0.purpose)" }.joined(separator: ", "),
            "entryMethod": contract.nodeType.entryMethod, "entryDoc": Self.entryDoc(contract.nodeType),
            "completedEvent": contract.publishes.first { $0.hasSuffix(".completed") } ?? "",
            "failedEvent": contract.publishes.first { $0.hasSuffix(".failed") } ?? "",
        ]) { $1 }
    }

    /// The pytest file's values: sample inputs, how to build the node, the type's own tests.
    var tests: [String: Any] {
        let ordered = contract.input.fields.filter(\.required) + contract.input.fields.filter { !$0.required }
        return header(summary: "Tests of \(contract.className), runnable without omnibase_core.").merging([
            "className": contract.className, "inputModel": contract.input.name, "outputModel": contract.output.name,
            "inputFields": ordered.map { ["name": $0.name, "sample": Self.sample(for: $0)] as [String: Any] },
            "entryMethod": contract.nodeType.entryMethod,
            "makeNode": NodeTestCases.makeNode(type: contract.nodeType, className: contract.className),
            "extraTests": NodeTestCases.typeTests(self),
        ]) { $1 }
    }

    static func entryDoc(_ type: NodeType) -> String {
        switch type {
        case .orchestrator: "The ONEX Orchestrator entry point: runs the workflow and publishes its outcome."
        default: "The ONEX Effect entry point: performs the external I/O and publishes its outcome."
        }
    }

    /// The value an output field takes when no operation produced it.
    static func emptyValue(for field: NodeContract.Field) -> String {
        if !field.required { return "None" }
        let type = field.type
        if type.hasPrefix("list") { return "[]" }
        if type.hasPrefix("dict") { return "{}" }
        switch type {
        case "int": return "0"
        case "float": return "0.0"
        case "bool": return "False"
        case "str": return "\"\""
        default: return "None"
        }
    }

    /// A Python expression of the field's type that every template body accepts.
    static func sample(for field: NodeContract.Field) -> String {
        if let known = samples[field.name] { return known }
        let type = field.type
        if type.hasPrefix("list[dict") { return #"[{"key": "north", "value": 2.0}]"# }
        if type.hasPrefix("list") { return #"["alpha", "beta"]"# }
        if type.hasPrefix("dict") { return #"{"name": "Ada"}"# }
        switch type {
        case "int": return "10"
        case "float": return "1.5"
        case "bool": return "True"
        default: return #""sample""#
        }
    }

    private static let samples: [String: String] = [
        "records": #"[{"id": 1, "name": "Ada"}, {"id": 2, "name": "Grace"}]"#,
        "target": #""events""#,
        "query": #""status = 'open'""#,
        "limit": "10",
        "resource": #""https://example.test/items/1""#,
        "params": #"{"page": 1}"#,
        "topic": #""orders""#,
        "payload": #"{"id": 7, "total": 12.5}"#,
        "max_messages": "10",
        "request": #"{"action": "ping"}"#,
        "data": #"{"name": "Ada", "amount": 12.5, "active": True}"#,
        "items": #"[{"key": "north", "value": 2.0}, {"key": "south", "value": 3.5}, {"key": "north", "value": 1.0}]"#,
        "key": #""key""#,
        "state": "None",
        "steps": #"["extract", "load"]"#,
        "context": #"{"attempts": 2}"#,
    ]
}
