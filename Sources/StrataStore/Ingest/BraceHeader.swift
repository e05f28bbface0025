/// The tokens of one declaration header, `tokens[start..<brace]`, and helpers to read them.
struct BraceHeader {
    let tokens: [BraceToken]
    let bytes: [UInt8]
    let language: SourceLanguage
    /// The first token of the header.
    let start: Int
    /// The index of the `{` token.
    let brace: Int
    /// Bracket depth of the enclosing scope at the `{` (non-zero only for Go type groups).
    let parenDepth: Int
    /// Whether the enclosing scope is a type (members are methods).
    let inType: Bool
    /// The enclosing scope's qualified name (`Outer.Inner`), empty at file level.
    let scopeName: String

    /// What the header declares, read by its language's classifier; `nil` when it declares
    /// nothing that is a unit or a scope of units.
    func classify() -> BraceDeclaration? {
        guard start < brace else { return nil }
        switch language {
        case .swift: return classifySwift()
        case .go: return classifyGo()
        case .rust: return classifyRust()
        case .javascript, .typescript: return classifyJavaScript()
        case .java: return classifyJava()
        case .python: return nil
        }
    }

    // MARK: Token tests

    func contains(_ k: Int) -> Bool { k >= start && k < brace }

    func isWord(_ k: Int) -> Bool { contains(k) && tokens[k].kind == .word }

    func text(_ k: Int) -> String {
        String(decoding: bytes[tokens[k].start..<tokens[k].end], as: UTF8.self)
    }

    func equals(_ k: Int, _ literal: StaticString) -> Bool {
        guard contains(k) else { return false }
        let token = tokens[k]
        let count = literal.utf8CodeUnitCount
        guard token.end - token.start == count else { return false }
        return literal.withUTF8Buffer { buffer in
            (0..<count).allSatisfy { bytes[token.start + $0] == buffer[$0] }
        }
    }

    func isWord(_ k: Int, _ word: StaticString) -> Bool { isWord(k) && equals(k, word) }

    func isPunct(_ k: Int, _ punct: StaticString) -> Bool {
        contains(k) && tokens[k].kind == .punct && equals(k, punct)
    }

    func isWord(_ k: Int, in words: Set<String>) -> Bool { isWord(k) && words.contains(text(k)) }

    /// Whether token `k` follows a `.` (a member access like `x.class`, not a keyword).
    func followsDot(_ k: Int) -> Bool {
        guard contains(k - 1), tokens[k - 1].kind == .punct else { return false }
        return bytes[tokens[k - 1].end - 1] == UInt8(ascii: ".")
    }
}
