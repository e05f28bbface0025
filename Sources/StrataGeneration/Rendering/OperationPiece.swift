import StrataText

/// An operation's method body taken from a retrieved pattern, to be used instead of the
/// template's body: patterns that passed the gates and scored well carry the team's own
/// version of an operation forward.
package struct OperationPiece: Equatable {
    var operation: String
    /// The body at column 0, docstring removed.
    var body: String
    /// The pattern it came from.
    var patternID: String

    /// The body of `def _<operation>(self, request...)` in `pattern`, when it is safe to drop
    /// into a node whose input model has `inputFields`, whose output model has
    /// `outputFields` and whose class offers `members`: every `request.<field>` it reads
    /// exists, every `self.<member>` it uses exists, every `return` gives a dict literal whose
    /// keys are output fields, and it uses no name the node's module lacks (a helper or a
    /// logger defined elsewhere in the pattern's file). `nil` otherwise.
    static func extract(
        operation: String, from pattern: RetrievedPattern, inputFields: Set<String>, outputFields: Set<String>, members: Set<String>
    ) -> OperationPiece? {
        let lines = pattern.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.trimmingLeadingSpaces().hasPrefix("def _\(operation)(self, request") }) else { return nil }
        let defIndent = lines[start].leadingSpaces
        var body: [String] = []
        for line in lines[(start + 1)...] {
            if line.allSatisfy(\.isWhitespace) { body.append(""); continue }
            if line.leadingSpaces <= defIndent { break }
            body.append(line)
        }
        while body.last == "" { body.removeLast() }
        body = dropDocstring(body)
        guard let first = body.first(where: { !$0.isEmpty }), body.contains(where: { $0.trimmingLeadingSpaces().hasPrefix("return ") }) else { return nil }
        let indent = first.leadingSpaces
        guard body.allSatisfy({ $0.isEmpty || $0.leadingSpaces >= indent }) else { return nil }
        let text = body.map { $0.isEmpty ? "" : String($0.dropFirst(indent)) }.joined(separator: "\n")
        guard references(prefix: "request.", in: text).isSubset(of: inputFields),
              references(prefix: "self.", in: text).isSubset(of: members),
              returnedKeys(text).isSubset(of: outputFields),
              returnsDictionaries(text),
              freeNames(text).isEmpty
        else { return nil }
        return OperationPiece(operation: operation, body: text, patternID: pattern.id)
    }

    private static func dropDocstring(_ lines: [String]) -> [String] {
        guard let first = lines.firstIndex(where: { !$0.isEmpty }) else { return lines }
        let opening = lines[first].trimmingLeadingSpaces()
        guard let quote = ["\"\"\"", "'''"].first(where: { opening.hasPrefix($0) }) else { return lines }
        if opening.dropFirst(3).contains(quote) { return Array(lines[(first + 1)...]) }
        guard let end = lines[(first + 1)...].firstIndex(where: { $0.contains(quote) }) else { return lines }
        return Array(lines[(end + 1)...])
    }

    /// Identifiers that follow `prefix` (`request.` → field names) where the prefix starts a
    /// name (not `other_request.`).
    static func references(prefix: String, in text: String) -> Set<String> {
        var found = Set<String>()
        let scalars = Array(text.unicodeScalars)
        let marker = Array(prefix.unicodeScalars)
        var index = 0
        while index + marker.count <= scalars.count {
            let startsName = index == 0 || !isIdentifier(scalars[index - 1])
            if startsName, Array(scalars[index..<(index + marker.count)]) == marker {
                var end = index + marker.count
                while end < scalars.count, isIdentifier(scalars[end]) { end += 1 }
                if end > index + marker.count { found.insert(String(String.UnicodeScalarView(scalars[(index + marker.count)..<end]))) }
                index = end
            } else {
                index += 1
            }
        }
        return found
    }

    /// The top-level string keys (`"name":`) of the dict literals on `return {` lines.
    static func returnedKeys(_ text: String) -> Set<String> {
        var keys = Set<String>()
        for line in text.split(separator: "\n") where line.trimmingLeadingSpaces().hasPrefix("return {") {
            let characters = Array(line)
            var depth = 0, index = 0
            while index < characters.count {
                switch characters[index] {
                case "{", "[", "(": depth += 1
                case "}", "]", ")": depth -= 1
                case "\"":
                    guard let close = characters[(index + 1)...].firstIndex(of: "\"") else { return keys }
                    if depth == 1, close + 1 < characters.count, characters[close + 1] == ":" {
                        keys.insert(String(characters[(index + 1)..<close]))
                    }
                    index = close
                default: break
                }
                index += 1
            }
        }
        return keys
    }

    /// Whether every `return` gives a dict literal (what `process` merges).
    package static func returnsDictionaries(_ text: String) -> Bool {
        let returns = text.split(separator: "\n").map { $0.trimmingLeadingSpaces() }.filter { $0 == "return" || $0.hasPrefix("return ") }
        return !returns.isEmpty && returns.allSatisfy { $0.hasPrefix("return {") } && !text.contains("yield")
    }

    /// Names the body reads that it neither binds nor finds in a generated node.py: Python's
    /// builtins, `request`, `self`, and the module's imports (`json`, `logging`, `Any`,
    /// `Callable`).
    package static func freeNames(_ text: String) -> Set<String> {
        var used = Set<String>(), bound = Set<String>()
        for line in PythonLexer.lex(text).lines {
            let tokens = line.tokens.filter { $0.kind != .comment }
            var binding: String?  // "for" until "in", "lambda" until ":"
            for (index, token) in tokens.enumerated() {
                if token.kind == .name, token.text == "for" || token.text == "lambda" { binding = token.text; continue }
                if binding == "for", token.text == "in" { binding = nil; continue }
                if binding == "lambda", token.kind == .op, token.text == ":" { binding = nil; continue }
                guard token.kind == .name, !token.isKeyword else { continue }
                let previous = index > 0 ? tokens[index - 1] : nil
                let next = index + 1 < tokens.count ? tokens[index + 1] : nil
                if previous?.kind == .op, previous?.text == "." { continue }
                if binding != nil || previous?.text == "as" || next?.text == "=" || (index == 0 && next?.text == ":") {
                    bound.insert(token.text)
                } else {
                    used.insert(token.text)
                }
            }
        }
        return used.subtracting(bound).subtracting(moduleNames)
    }

    /// What a generated node.py's body can always name.
    static let moduleNames: Set<String> = [
        "request", "self", "json", "logging", "Any", "Callable",
        "abs", "all", "any", "bool", "bytes", "callable", "chr", "dict", "divmod", "enumerate", "filter", "float", "format",
        "frozenset", "getattr", "hasattr", "hash", "id", "int", "isinstance", "issubclass", "iter", "len", "list", "map", "max",
        "min", "next", "object", "ord", "pow", "print", "range", "repr", "reversed", "round", "set", "setattr", "slice",
        "sorted", "str", "sum", "super", "tuple", "type", "zip", "Exception", "ValueError", "TypeError", "KeyError",
        "RuntimeError", "AttributeError", "IndexError", "LookupError", "ArithmeticError", "ZeroDivisionError", "OSError",
        "TimeoutError", "ConnectionError", "NotImplementedError", "StopIteration", "PermissionError", "FileNotFoundError",
    ]

    private static func isIdentifier(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }
}

extension StringProtocol {
    var leadingSpaces: Int { prefix { $0 == " " }.count }

    func trimmingLeadingSpaces() -> Substring { Substring(self).drop { $0 == " " || $0 == "\t" } }
}
