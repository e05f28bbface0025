import StrataStore

extension ValidationGates {
    /// The class, model and folder names against the intent and the contract, and the
    /// package layout they live in.
    static func namingIssues(_ parsed: ParsedNode) -> [ValidationIssue] {
        let intent = parsed.node.intent
        let contract = parsed.contract
        var issues: [ValidationIssue] = []
        if contract.className != intent.className {
            issues.append(.init(path: nil, message: "the contract names the class \(contract.className) but the intent gives \(intent.className); expected the same Node<Name><Type> name"))
        }
        if contract.nodeType != intent.nodeType {
            issues.append(.init(path: nil, message: "the contract's node type is \(contract.nodeType.rawValue) but the intent's is \(intent.nodeType.rawValue)"))
        }
        if !isNodeClassName(contract.className, type: contract.nodeType) {
            issues.append(.init(path: nil, message: "class name \(contract.className) is not Node<Name>\(contract.nodeType.className) with a PascalCase name"))
        }
        if contract.name != intent.folderName || !isFolderName(contract.name, type: contract.nodeType) {
            issues.append(.init(path: nil, message: "folder name \(contract.name) should be \(intent.folderName) (node_<domain>_<name>_<type>, lower snake_case)"))
        }
        for path in ["__init__.py", parsed.versioned("__init__.py")] where parsed.node.file(path) == nil {
            issues.append(.init(path: path, message: "missing; expected the package marker so that the node imports as a package"))
        }
        issues += classIssues(in: parsed.node.nodePath, expected: contract.className, parsed: parsed)
        let exports = parsed.versioned("__init__.py")
        if let source = parsed.sources[exports], !source.moduleBindings.names.contains(contract.className) {
            issues.append(.init(path: exports, message: "does not export \(contract.className); expected from .node import \(contract.className)"))
        }
        for (path, model) in parsed.modelFiles {
            let side = model == contract.input ? "Input" : "Output"
            if model.name != "Model\(intent.name)\(side)" {
                issues.append(.init(path: nil, message: "the contract's model \(model.name) should be named Model\(intent.name)\(side)"))
            }
            issues += classIssues(in: path, expected: model.name, parsed: parsed)
        }
        return issues
    }

    /// Whether the file at `path` defines class `expected` at its top level; if not, which
    /// class stands where it should.
    private static func classIssues(in path: String, expected: String, parsed: ParsedNode) -> [ValidationIssue] {
        guard let source = parsed.sources[path] else {
            return [.init(path: path, message: "missing; expected it to define class \(expected)")]
        }
        let classes = source.definitions(in: nil, kind: .class)
        guard !classes.contains(where: { $0.name == expected }) else { return [] }
        // The class deriving from the ONEX base is the one misnamed; else the first.
        let found = classes.first { source.bases(ofClass: $0.lineIndex).contains("_OnexBase") } ?? classes.first
        guard let found else {
            return [.init(path: path, message: "defines no class; expected class \(expected)")]
        }
        return [.init(path: path, line: found.line, message: "class \(found.name) should be named \(expected)")]
    }

    /// `Node` + a PascalCase name + the type (`NodePostgreSQLWriterEffect`).
    private static func isNodeClassName(_ name: String, type: NodeType) -> Bool {
        guard name.hasPrefix("Node"), name.hasSuffix(type.className) else { return false }
        let middle = name.dropFirst(4).dropLast(type.className.count)
        return middle.first?.isUppercase == true && middle.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// `node_<domain>_<name>_<type>` in lower snake_case.
    private static func isFolderName(_ name: String, type: NodeType) -> Bool {
        name.hasPrefix("node_") && name.hasSuffix("_\(type.rawValue)") && name.split(separator: "_").count >= 4
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    }
}
