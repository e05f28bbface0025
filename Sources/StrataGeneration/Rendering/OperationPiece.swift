/// An operation's method body taken from a retrieved pattern, to be used instead of the
/// template's body: patterns that passed the gates and scored well carry the team's own
/// version of an operation forward.
struct OperationPiece: Equatable {
    var operation: String
    /// The body at column 0, docstring removed.
    var body: String
    /// The pattern it came from.
    var patternID: String

    /// The body of `def _<operation>(self, request...)` in `pattern`, when it is safe to drop
    /// into a node whose input model has `inputFields`, whose output model has
    /// `outputFields` and whose class offers `members`: every `request.<field>` it reads
    /// exists, every `self.<member>` it uses exists, and every key its `return {...}`
    /// literals name is an output field. `nil` otherwise.
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
              returnedKeys(text).isSubset(of: outputFields)
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

    private static func isIdentifier(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }
}

extension StringProtocol {
    var leadingSpaces: Int { prefix { $0 == " " }.count }

    func trimmingLeadingSpaces() -> Substring { Substring(self).drop { $0 == " " || $0 == "\t" } }
}
