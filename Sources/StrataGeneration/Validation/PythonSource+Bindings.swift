import StrataText

extension PythonSource {
    /// The names a module defines at its top level, for checking `from module import name`.
    ///
    /// Counted: `class` and `def` names, assignment and annotation targets (`X = ...`,
    /// `X: int`, `a = b = 1`, `a, b = ...`), and the names imports bind, so a package
    /// `__init__.py` re-exports what it imports. Statements nested in `if`, `try`, `with` and
    /// loops at module level count too, as Python binds them there.
    /// - Note: Not counted: `for` and `with ... as` targets, `global` declarations, names set
    ///   through `globals()`. `hasStarImport` says when the module may bind names no one can
    ///   list statically.
    package var moduleBindings: (names: Set<String>, hasStarImport: Bool) {
        var names: Set<String> = []
        var hasStarImport = false
        var pending = topLevel
        while let index = pending.popLast() {
            if let definition = definition(at: index) {
                names.insert(definition.name)
                continue
            }
            pending += children[index]
            for statement in imports(at: index) {
                if let binding = statement.moduleBinding { names.insert(binding) }
                for name in statement.names {
                    if name.name == "*" { hasStarImport = true } else { names.insert(name.binding) }
                }
            }
            names.formUnion(assignmentTargets(at: index))
        }
        return (names, hasStarImport)
    }

    /// The plain names line `index` assigns to, when it is an assignment or an annotation.
    private func assignmentTargets(at index: Int) -> [String] {
        let tokens = lines[index].tokens
        guard let first = tokens.first, first.kind == .name || first.isOp("("), !first.isKeyword else { return [] }
        if tokens.count > 1, tokens[1].isOp(":"), first.kind == .name {
            return [first.text]
        }
        // Split at top-level `=`: every part but the last is a target list.
        var parts: [[PythonToken]] = [[]]
        var depth = 0
        for token in tokens {
            if token.isOp("(") || token.isOp("[") || token.isOp("{") { depth += 1 }
            if token.isOp(")") || token.isOp("]") || token.isOp("}") { depth -= 1 }
            if depth == 0, token.isOp("=") {
                parts.append([])
            } else {
                parts[parts.count - 1].append(token)
            }
        }
        return parts.dropLast().flatMap { part in
            part.split(whereSeparator: { $0.isOp(",") || $0.isOp("(") || $0.isOp(")") })
                .compactMap { piece in piece.count == 1 && piece.first!.kind == .name ? piece.first!.text : nil }
        }
    }
}
