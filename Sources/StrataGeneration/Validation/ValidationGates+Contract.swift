import StrataText

extension ValidationGates {
    /// Code against `contract.yaml` and the contract itself: the YAML's identity, the model
    /// fields, one method per action, and the events the node publishes.
    static func contractIssues(_ parsed: ParsedNode) -> [ValidationIssue] {
        let contract = parsed.contract
        var issues = yamlIssues(parsed)
        for (path, model) in parsed.modelFiles {
            issues += fieldIssues(of: model, in: path, parsed: parsed)
        }
        let methods = parsed.nodeMethods
        let nodePath = parsed.node.nodePath
        let classLine = parsed.nodeClass?.definition.line
        for action in contract.actions where !methods.contains("_\(action.name)") {
            issues.append(.init(path: nodePath, line: classLine, message: "the contract action \(action.name) has no method _\(action.name) in \(contract.className)"))
        }
        if let source = parsed.sources[nodePath] {
            let literals = Set(source.lines.flatMap(\.tokens).compactMap(\.stringBody))
            for event in contract.publishes where !literals.contains(event) {
                issues.append(.init(path: nodePath, message: "the contract publishes \(event) but the code never names it; expected the string literal \"\(event)\""))
            }
            issues += nodeTypeAttributeIssues(source, parsed: parsed)
        }
        return issues
    }

    /// `contract.yaml` exists and names the class, type and version of the contract.
    private static func yamlIssues(_ parsed: ParsedNode) -> [ValidationIssue] {
        let contract = parsed.contract
        let path = parsed.versioned("contract.yaml")
        guard let file = parsed.node.file(path) else {
            return [.init(path: path, message: "missing; expected the contract beside the code")]
        }
        guard let scalars = NodeContract.topLevelScalars(file.text) else {
            return [.init(path: path, message: "is not a YAML mapping; expected the contract's keys (name, class_name, node_type, version, …)")]
        }
        let expected = [("name", contract.name), ("class_name", contract.className), ("node_type", contract.nodeType.rawValue), ("version", contract.version)]
        return expected.compactMap { key, value in
            guard let found = scalars[key] else { return .init(path: path, message: "has no \(key); expected \(key): \(value)") }
            guard found.value == value else { return .init(path: path, line: found.line, message: "says \(key): \(found.value); expected \(value)") }
            return nil
        }
    }

    /// The dataclass for `model` declares exactly the contract's fields.
    private static func fieldIssues(of model: NodeContract.Model, in path: String, parsed: ParsedNode) -> [ValidationIssue] {
        guard let source = parsed.sources[path] else {
            return [.init(path: path, message: "missing, so the fields of \(model.name) could not be checked")]
        }
        guard let definition = source.definitions(in: nil, kind: .class).first(where: { $0.name == model.name }) else {
            return [.init(path: path, message: "has no class \(model.name), so its fields could not be checked")]
        }
        var issues: [ValidationIssue] = []
        let isDataclass = source.decorators(of: definition.lineIndex).contains { line in
            source.lines[line].tokens.contains { $0.isName("dataclass") }
        }
        if !isDataclass {
            issues.append(.init(path: path, line: definition.line, message: "\(model.name) is not a @dataclass"))
        }
        let declared = source.annotatedFields(ofClass: definition.lineIndex)
        let declaredNames = Set(declared.map(\.name))
        let contractNames = Set(model.fields.map(\.name))
        for field in model.fields where !declaredNames.contains(field.name) {
            issues.append(.init(path: path, line: definition.line, message: "\(model.name) lacks the contract field \(field.name) (\(field.type))"))
        }
        for field in declared where !contractNames.contains(field.name) {
            issues.append(.init(path: path, line: field.line, message: "\(model.name) declares \(field.name), which the contract does not have"))
        }
        return issues
    }

    /// A `node_type = "..."` attribute in the node class, when there is one, names the
    /// contract's type.
    private static func nodeTypeAttributeIssues(_ source: PythonSource, parsed: ParsedNode) -> [ValidationIssue] {
        guard let (_, nodeClass) = parsed.nodeClass else { return [] }
        let expected = parsed.contract.nodeType.rawValue
        return source.children[nodeClass.lineIndex].compactMap { index in
            let tokens = source.lines[index].tokens
            guard tokens.count == 3, tokens[0].isName("node_type"), tokens[1].isOp("="), let value = tokens[2].stringBody, value != expected else { return nil }
            return .init(path: parsed.node.nodePath, line: tokens[0].line, message: "node_type is \"\(value)\"; expected \"\(expected)\" as in the contract")
        }
    }
}
