import Foundation

/// Renders a feature's own files from its workflow, entity and generated nodes: the package
/// marker, the entity's model (`models/model_<entity>.py`), the wiring (`wiring.py`: every
/// node built, each step a node's `process` on inputs bound from the orchestrator's context)
/// and the integration tests (`tests/test_integration.py`), which run the orchestrator end to
/// end over an in-memory client.
struct FeatureRenderer {
    let workflow: Workflow
    let entity: FeatureEntity
    let prompt: String
    /// The generated nodes, by role.
    let nodes: [String: RenderedNode]

    /// The feature folder's files, relative to it.
    func render() -> [GeneratedFile] {
        let base: [String: Any] = [
            "summary": PythonText.docstring(entity.fill(workflow.summary)), "workflow": workflow.name, "promptLiteral": PythonText.literal(prompt),
            "entityClass": entity.name, "entitySnake": entity.snakeName, "entities": entity.pluralSnakeName,
        ]
        let files: [(String, String, [String: Any])] = [
            ("__init__.py", "feature_init", [:]),
            ("models/__init__.py", "models_init", [:]),
            ("models/model_\(entity.snakeName).py", "entity_model", ["fields": entity.fields.map(fieldContext)]),
            ("wiring.py", "wiring", wiringContext),
            ("tests/__init__.py", "tests_init", [:]),
            ("tests/test_integration.py", "integration", testContext),
        ]
        return files.map { path, template, extra in
            GeneratedFile(path: path, text: render(base.merging(extra) { $1 }, template)).tidied
        }
    }

    private func fieldContext(_ field: NodeContract.Field) -> [String: Any] {
        let sample: String
        let blank: String
        switch field.type {
        case "int": (sample, blank) = ("1", "None")
        case "float": (sample, blank) = ("1.5", "None")
        case "bool": (sample, blank) = ("True", "None")
        default: (sample, blank) = (PythonText.literal("sample-\(field.name.replacingOccurrences(of: "_", with: "-"))"), "\"\"")
        }
        return ["name": field.name, "type": field.type, "description": PythonText.docstring(field.description), "sample": sample, "blank": blank]
    }

    private var wiringContext: [String: Any] {
        let orchestrator = nodes[workflow.orchestrator]!
        let stepped = workflow.nodes.filter { $0.role != workflow.orchestrator }
        return [
            "nodes": stepped.map { node -> [String: Any] in
                let rendered = nodes[node.role]!
                let construct = node.type == .effect ? "\(rendered.contract.className)(self.client)" : "\(rendered.contract.className)()"
                return [
                    "role": node.role, "folder": rendered.intent.folderName, "version": rendered.contract.versionFolder,
                    "className": rendered.contract.className, "inputModel": rendered.contract.input.name, "construct": construct,
                ]
            },
            "stepList": Self.list(workflow.steps.map(\.name)),
            "orchestratorRole": workflow.orchestrator, "orchestratorClass": orchestrator.contract.className,
            "orchestratorInput": orchestrator.contract.input.name,
            "orchestratorFolder": orchestrator.intent.folderName, "orchestratorVersion": orchestrator.contract.versionFolder,
            "steps": workflow.steps.map { step -> [String: Any] in
                [
                    "name": step.name, "method": Self.identifier(step.name), "role": step.role,
                    "inputModel": nodes[step.role]!.contract.input.name,
                    "inputs": step.inputs.map { ["field": $0.field, "expression": expression($0.binding)] },
                    "requires": step.require.map { [["field": $0]] } ?? [],
                ]
            },
        ]
    }

    private var testContext: [String: Any] {
        var effectCalls = Set<String>()
        var checks: [[String: Any]] = []
        for step in workflow.steps {
            guard let node = workflow.nodes.first(where: { $0.role == step.role }) else { continue }
            let method = Self.identifier(step.name)
            if node.type == .effect { effectCalls.formUnion(node.operations) }
            if node.operations.contains("write"), let target = step.inputs.first(where: { $0.field == "target" }), case let .literal(text) = target.binding {
                checks.append(["name": "the_\(method)_step_stored_the_records",
                               "assertion": "assert asdict(sample_\(entity.snakeName)()) in client.tables[\(PythonText.literal(entity.fill(text)))]"])
            }
            for (operation, field) in [("read", "records"), ("consume", "messages")] where node.operations.contains(operation) {
                checks.append(["name": "the_\(method)_step_found_what_was_there", "assertion": "assert feature.outputs[\"\(step.name)\"].\(field)"])
            }
        }
        let refusals = workflow.steps.enumerated().compactMap { index, step -> [String: Any]? in
            guard step.require != nil else { return nil }
            return ["step": step.name, "method": Self.identifier(step.name), "before": Self.list(workflow.steps[..<index].map(\.name)),
                    "after": Self.list(workflow.steps[(index + 1)...].map(\.name))]
        }
        return ["effectCalls": Self.list(effectCalls.sorted()), "dataChecks": checks, "refusals": refusals]
    }

    /// The Python expression a binding reads from the step's `context`.
    private func expression(_ binding: Workflow.Binding) -> String {
        switch binding {
        case let .key(key): "context[\(PythonText.literal(key))]"
        case let .list(key): "[context[\(PythonText.literal(key))]]"
        case let .first(key): "_first(context[\(PythonText.literal(key))])"
        case let .literal(text): PythonText.literal(entity.fill(text))
        }
    }

    /// A Python list literal of strings.
    static func list(_ items: [String]) -> String {
        "[" + items.map(PythonText.literal).joined(separator: ", ") + "]"
    }

    /// A step name as a Python identifier (`-` and spaces to `_`).
    static func identifier(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    private func render(_ context: [String: Any], _ template: String) -> String {
        guard let text = FeatureTemplates.library.render(context, withTemplate: template) else {
            preconditionFailure("feature template \(template) is not registered")
        }
        return text
    }
}
