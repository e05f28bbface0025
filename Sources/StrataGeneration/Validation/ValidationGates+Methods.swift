import StrataStore

extension ValidationGates {
    /// `process`, the type's entry method and `_<action>` per contract action, defined in the
    /// node class's own body.
    static func requiredMethodsGate(_ parsed: ParsedNode) -> GateResult {
        let contract = parsed.contract
        guard let (_, nodeClass) = parsed.nodeClass else {
            return .from(.requiredMethods, issues: [.init(path: parsed.node.nodePath, message: "no class \(contract.className) at the top level, so its methods could not be checked")], checked: "")
        }
        let defined = parsed.nodeMethods
        var required: [(method: String, why: String)] = [
            ("process", "the common entry point"),
            (contract.nodeType.entryMethod, "the \(contract.nodeType.rawValue) entry point"),
        ]
        required += contract.actions.map { ("_\($0.name)", "for the contract action \($0.name)") }
        required.removeAll { $0.method.isEmpty }
        let issues = required.filter { !defined.contains($0.method) }.map { missing in
            ValidationIssue(path: parsed.node.nodePath, line: nodeClass.line,
                            message: "class \(contract.className) does not define \(missing.method) (\(missing.why))")
        }
        return .from(.requiredMethods, issues: issues, checked: "\(contract.className) defines all \(required.count) required methods.")
    }
}
