import StrataText

/// One `import` or `from ... import` statement (`import a, b` gives one per module).
package struct PythonImport: Sendable, Equatable {
    /// A name a `from` import takes, and the name it binds (`B` in `from x import A as B`).
    package struct Name: Sendable, Equatable {
        package var name: String
        package var binding: String
    }

    /// The index of the statement in ``PythonSource/lines``.
    package var lineIndex: Int
    /// The physical line, from 1.
    package var line: Int
    /// The leading dots of a relative import; 0 for an absolute one.
    package var level: Int
    /// The dotted module after the dots (`models`, `omnibase_core.nodes`); empty in
    /// `from . import x`.
    package var module: String
    /// For `from` imports, the names taken (`*` for a star import); empty for `import`.
    package var names: [Name]
    /// For `import a.b` the name bound, `a` (`c` with `as c`); `nil` for `from` imports.
    package var moduleBinding: String?

    package var isFrom: Bool { moduleBinding == nil }

    /// The first component of an absolute module: `omnibase_core` for `omnibase_core.nodes`.
    package var topLevelModule: String { String(module.split(separator: ".").first ?? "") }

    /// The statement written back canonically, for messages: `from ..models import A, B`.
    package var statement: String {
        if let moduleBinding {
            return moduleBinding == topLevelModule ? "import \(module)" : "import \(module) as \(moduleBinding)"
        }
        let taken = names.map { $0.name == $0.binding ? $0.name : "\($0.name) as \($0.binding)" }.joined(separator: ", ")
        return "from \(String(repeating: ".", count: level))\(module) import \(taken)"
    }
}

extension PythonSource {
    /// Every import statement in the file, at any depth, in order.
    package var imports: [PythonImport] {
        lines.indices.flatMap(imports(at:))
    }

    /// Whether the import at line `index` is inside a `try:` block that catches `ImportError`
    /// or `ModuleNotFoundError`: the module is optional, and the code has a fallback.
    package func isGuarded(_ index: Int) -> Bool {
        ancestors(of: index).contains { ancestor in
            guard lines[ancestor].tokens.first?.isName("try") == true else { return false }
            let siblings = lines(in: parents[ancestor])
            guard let position = siblings.firstIndex(of: ancestor) else { return false }
            for sibling in siblings[(position + 1)...] {
                let tokens = lines[sibling].tokens
                guard tokens[0].isName("except") || tokens[0].isName("else") || tokens[0].isName("finally") else { break }
                if tokens.contains(where: { $0.isName("ImportError") || $0.isName("ModuleNotFoundError") }) { return true }
            }
            return false
        }
    }

    /// The imports of line `index` (none when it is not an import statement).
    func imports(at index: Int) -> [PythonImport] {
        let tokens = lines[index].tokens
        guard let first = tokens.first, first.isName("import") || first.isName("from") else { return [] }
        let line = first.line
        if first.isName("import") {
            return Self.commaSeparated(tokens.dropFirst()).compactMap { piece in
                let (module, alias) = Self.dottedName(piece)
                guard !module.isEmpty else { return nil }
                let binding = alias ?? String(module.split(separator: ".")[0])
                return PythonImport(lineIndex: index, line: line, level: 0, module: module, names: [], moduleBinding: binding)
            }
        }
        var rest = tokens.dropFirst()
        var level = 0
        while let token = rest.first, token.isOp(".") || token.isOp("...") {
            level += token.text.count
            rest = rest.dropFirst()
        }
        guard let importPosition = rest.firstIndex(where: { $0.isName("import") }) else { return [] }
        let (module, _) = Self.dottedName(rest[..<importPosition])
        let nameTokens = rest[(importPosition + 1)...].filter { !$0.isOp("(") && !$0.isOp(")") }
        let names = Self.commaSeparated(nameTokens[...]).compactMap { piece -> PythonImport.Name? in
            guard let name = piece.first, name.kind == .name || name.isOp("*") else { return nil }
            let alias = piece.count == 3 && piece[piece.startIndex + 1].isName("as") ? piece.last!.text : name.text
            return PythonImport.Name(name: name.text, binding: alias)
        }
        return [PythonImport(lineIndex: index, line: line, level: level, module: module, names: names, moduleBinding: nil)]
    }

    /// `a.b.c as d` → (`a.b.c`, `d`).
    private static func dottedName(_ tokens: ArraySlice<PythonToken>) -> (String, String?) {
        var module = ""
        var alias: String?
        var iterator = tokens.makeIterator()
        while let token = iterator.next() {
            if token.isName("as") {
                alias = iterator.next()?.text
                break
            }
            module += token.text
        }
        return (module, alias)
    }

    private static func commaSeparated(_ tokens: ArraySlice<PythonToken>) -> [ArraySlice<PythonToken>] {
        tokens.split(whereSeparator: { $0.isOp(",") })
    }
}
