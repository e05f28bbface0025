import StrataText

/// A `class` or `def` (plain or `async`) statement.
package struct PythonDefinition: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case `class`
        case function
    }

    package var kind: Kind
    package var name: String
    /// The index of the `class`/`def` line in ``PythonSource/lines``.
    package var lineIndex: Int
    /// The physical line of the `class`/`def` keyword, from 1.
    package var line: Int
}

extension PythonSource {
    /// The class or function that line `index` opens, if it opens one.
    package func definition(at index: Int) -> PythonDefinition? {
        let tokens = lines[index].tokens
        let start = tokens.first?.isName("async") == true ? 1 : 0
        guard start + 1 < tokens.count, tokens[start + 1].kind == .name, !tokens[start + 1].isKeyword else { return nil }
        if tokens[start].isName("def") {
            return PythonDefinition(kind: .function, name: tokens[start + 1].text, lineIndex: index, line: tokens[start].line)
        }
        if start == 0, tokens[0].isName("class") {
            return PythonDefinition(kind: .class, name: tokens[1].text, lineIndex: index, line: tokens[0].line)
        }
        return nil
    }

    /// The classes and functions defined directly in `parent`'s block (module level for `nil`).
    package func definitions(in parent: Int?, kind: PythonDefinition.Kind) -> [PythonDefinition] {
        lines(in: parent).compactMap(definition(at:)).filter { $0.kind == kind }
    }

    /// The decorator lines (`@dataclass`) right before the definition at `index`.
    package func decorators(of index: Int) -> [Int] {
        let siblings = lines(in: parents[index])
        guard var position = siblings.firstIndex(of: index) else { return [] }
        var result: [Int] = []
        while position > 0, lines[siblings[position - 1]].tokens.first?.isOp("@") == true {
            position -= 1
            result.insert(siblings[position], at: 0)
        }
        return result
    }

    /// The base classes of the class at `index`, as written (`_OnexBase`, `abc.ABC`).
    package func bases(ofClass index: Int) -> [String] {
        let tokens = lines[index].tokens
        guard tokens.count > 2, tokens[2].isOp("(") else { return [] }
        var bases: [String] = []
        var piece = ""
        var depth = 0
        for token in tokens.dropFirst(3) {
            if token.isOp("(") || token.isOp("[") { depth += 1 }
            if token.isOp(")") || token.isOp("]") {
                if depth == 0 { break }
                depth -= 1
            }
            if depth == 0, token.isOp(",") {
                bases.append(piece)
                piece = ""
            } else {
                piece += token.text
            }
        }
        if !piece.isEmpty { bases.append(piece) }
        return bases
    }

    /// The annotated names declared directly in the class at `index` (`records: list[str]`,
    /// with or without a default), in order, `ClassVar`s left out: a dataclass's fields.
    package func annotatedFields(ofClass index: Int) -> [(name: String, line: Int)] {
        children[index].compactMap { child in
            let tokens = lines[child].tokens
            guard tokens.count > 2, tokens[0].kind == .name, !tokens[0].isKeyword, tokens[1].isOp(":") else { return nil }
            let annotation = tokens[2].text == "typing" && tokens.count > 4 ? tokens[4] : tokens[2]
            guard !annotation.isName("ClassVar") else { return nil }
            return (tokens[0].text, tokens[0].line)
        }
    }

    /// Whether line `index` sits inside a function body (at any depth).
    package func isInsideFunction(_ index: Int) -> Bool {
        ancestors(of: index).contains { definition(at: $0)?.kind == .function }
    }
}
