extension SourceSplitter {
    /// Finds declarations in a brace language.
    ///
    /// The lexer (``BraceLexer``) yields tokens with literals and comments out of the way. The
    /// walker keeps a stack of brace scopes; each scope remembers where the current *header*
    /// began (after the last `;`, `{` or `}` at its bracket depth 0). At every `{` opened in
    /// a scope whose members are reported (the file, a type, an extension, an `impl`, a
    /// namespace), the language's classifier reads the header in front of the brace and says
    /// what, if anything, it declares. The unit ends at the matching `}`.
    ///
    /// Scopes that are not declarations (function bodies, closures, computed properties,
    /// control flow, object literals) report nothing inside them. A scope still open at the
    /// end of the file (unbalanced braces, say from `#if` branches that each open one) is
    /// dropped rather than guessed at.
    static func braceDeclarations(_ bytes: [UInt8], lines: LineTable, language: SourceLanguage) -> [Declaration] {
        let lexer = BraceLexer(bytes, language: language, lineCount: lines.count)
        let tokens = lexer.tokens

        struct Scope {
            var prefix: String
            var isType: Bool
            var reportsMembers: Bool
            var parenDepth = 0
            var headerStart: Int
            var openedAtDepthZero: Bool
            var pending: Declaration?
        }
        var scopes = [Scope(prefix: "", isType: false, reportsMembers: true, headerStart: 0, openedAtDepthZero: true)]
        var declarations: [Declaration] = []

        for k in tokens.indices {
            let token = tokens[k]
            guard token.kind == .punct, token.end - token.start == 1 else { continue }
            let top = scopes.count - 1
            switch bytes[token.start] {
            case UInt8(ascii: "("), UInt8(ascii: "["):
                scopes[top].parenDepth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"):
                scopes[top].parenDepth = max(0, scopes[top].parenDepth - 1)
            case UInt8(ascii: ";"):
                if scopes[top].parenDepth == 0 { scopes[top].headerStart = k + 1 }
            case UInt8(ascii: "{"):
                let parent = scopes[top]
                var found: BraceDeclaration?
                if parent.reportsMembers, parent.parenDepth == 0 || language == .go {
                    let header = BraceHeader(
                        tokens: tokens, bytes: bytes, language: language,
                        start: parent.headerStart, brace: k, parenDepth: parent.parenDepth, inType: parent.isType,
                        scopeName: parent.prefix
                    )
                    found = header.classify()
                }
                var scope = Scope(
                    prefix: parent.prefix, isType: false, reportsMembers: false,
                    headerStart: k + 1, openedAtDepthZero: parent.parenDepth == 0
                )
                if let found {
                    let qualified = parent.prefix.isEmpty ? found.name : "\(parent.prefix).\(found.name)"
                    scope.prefix = qualified
                    scope.isType = found.kind.isType && !found.isNamespace
                    scope.reportsMembers = found.reportsMembers
                    if !found.isNamespace {
                        var startLine = tokens[found.firstToken].line
                        // Comment lines directly above (doc comments, license headers
                        // of a file's first type): no code and no blank line between.
                        while startLine > 0, lexer.lineHasComment[startLine - 1], !lexer.lineHasCode[startLine - 1] {
                            startLine -= 1
                        }
                        let kind: SourceUnit.Kind = found.kind == .function && parent.isType ? .method : found.kind
                        scope.pending = Declaration(
                            name: qualified, kind: kind, lineStart: startLine, lineEnd: token.line,
                            declarationLine: tokens[found.nameToken].line
                        )
                    }
                }
                scopes.append(scope)
            case UInt8(ascii: "}"):
                guard scopes.count > 1 else {
                    // A stray closing brace at file level: start afresh after it.
                    scopes[0].headerStart = k + 1
                    continue
                }
                let closed = scopes.removeLast()
                if var declaration = closed.pending {
                    declaration.lineEnd = token.line
                    declarations.append(declaration)
                }
                if closed.openedAtDepthZero { scopes[scopes.count - 1].headerStart = k + 1 }
            default:
                break
            }
        }
        return declarations
    }
}

/// What a classifier found in front of a `{`.
struct BraceDeclaration {
    /// The name relative to the enclosing scope (a Go method's is already `Receiver.name`).
    var name: String
    /// `.function` inside a type becomes `.method` in the walker.
    var kind: SourceUnit.Kind
    /// The token of the name (its line is the unit's declaration line).
    var nameToken: Int
    /// The first token of the declaration: its first attribute or modifier.
    var firstToken: Int
    /// Whether declarations in the body are reported (types, extensions, namespaces).
    var reportsMembers: Bool = false
    /// A namespace (Rust `mod`, TypeScript `namespace`) qualifies its members' names but is
    /// no unit itself.
    var isNamespace: Bool = false
}

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

    private func bracketDelta(_ k: Int) -> Int {
        let token = tokens[k]
        guard token.kind == .punct, token.end - token.start == 1 else { return 0 }
        switch bytes[token.start] {
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): return 1
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): return -1
        default: return 0
        }
    }

    func isOpening(_ k: Int) -> Bool { contains(k) && bracketDelta(k) == 1 }
    func isClosing(_ k: Int) -> Bool { contains(k) && bracketDelta(k) == -1 }

    /// The opening bracket matching the closing one at `k`, within the header.
    func matchingOpen(_ k: Int) -> Int? {
        var depth = 0
        var j = k
        while j >= start {
            depth += bracketDelta(j)
            if depth == 0 { return j }
            j -= 1
        }
        return nil
    }

    /// The closing bracket matching the opening one at `k`, within the header.
    func matchingClose(_ k: Int) -> Int? {
        var depth = 0
        var j = k
        while j < brace {
            depth += bracketDelta(j)
            if depth == 0 { return j }
            j += 1
        }
        return nil
    }

    /// The next token index after `k` at the same bracket depth (skipping a bracketed group).
    func next(after k: Int) -> Int {
        if isOpening(k), let close = matchingClose(k) { return close + 1 }
        return k + 1
    }

    /// Indices of the header's tokens at bracket depth 0, first to last.
    func topLevel() -> [Int] {
        var result: [Int] = []
        var k = start
        while k < brace {
            result.append(k)
            k = next(after: k)
        }
        return result
    }

    /// Index just before a generic argument list ending at `k` (`Foo<T>`), counting `<` and
    /// `>` inside operator tokens; `k` itself when it does not end one.
    func skipAngleBrackets(endingAt k: Int) -> Int {
        guard contains(k), tokens[k].kind == .punct, bytes[tokens[k].end - 1] == UInt8(ascii: ">") else { return k }
        var depth = 0
        var j = k
        while j >= start {
            if tokens[j].kind == .punct {
                for offset in tokens[j].start..<tokens[j].end {
                    if bytes[offset] == UInt8(ascii: ">") { depth += 1 }
                    if bytes[offset] == UInt8(ascii: "<") { depth -= 1 }
                }
                if depth <= 0 { return j - 1 }
            }
            j -= 1
        }
        return k
    }

    /// The `)` at depth 0 closest before the brace, passing over a return type, `throws`
    /// clause or `where` clause; `nil` if an assignment or arrow comes first.
    func lastParameterListClose() -> Int? {
        var k = brace - 1
        while k >= start {
            if isPunct(k, ")") { return k }
            if isClosing(k) {
                guard let open = matchingOpen(k) else { return nil }
                k = open - 1
                continue
            }
            if isPunct(k, "=") || isPunct(k, "=>") || isPunct(k, ";") { return nil }
            k -= 1
        }
        return nil
    }

    /// Walks back from a declaration's keyword or name over modifiers and attributes
    /// (`public static`, `@MainActor`, `@available(…)`, `private(set)`, `#[derive(…)]`,
    /// `pub(crate)`, `extern "C"`, TypeScript decorators), returning the first of them.
    func declarationStart(from k: Int, modifiers: Set<String>) -> Int {
        var first = k
        var p = k - 1
        while p >= start {
            if isWord(p) {
                if modifiers.contains(text(p)) { first = p; p -= 1; continue }
                if let at = attributeSign(endingAt: p) { first = at; p = at - 1; continue }
                break
            }
            if tokens[p].kind == .literal, language == .rust, isWord(p - 1, "extern") {
                first = p - 1; p -= 2; continue
            }
            if isPunct(p, "*"), language == .javascript || language == .typescript {
                first = p; p -= 1; continue   // a generator method, `*items() {`
            }
            guard isPunct(p, ")") || isPunct(p, "]"), let open = matchingOpen(p) else { break }
            if isPunct(p, "]") {
                // Rust `#[attribute]`.
                guard isPunct(open - 1, "#") else { break }
                first = open - 1; p = open - 2; continue
            }
            if isWord(open - 1), modifiers.contains(text(open - 1)) {
                first = open - 1; p = open - 2; continue
            }
            if isWord(open - 1), let at = attributeSign(endingAt: open - 1) {
                first = at; p = at - 1; continue
            }
            break
        }
        return first
    }

    /// The `@` of an attribute whose (possibly dotted) name ends at word `k`.
    private func attributeSign(endingAt k: Int) -> Int? {
        var q = k
        while isPunct(q - 1, "."), isWord(q - 2) { q -= 2 }
        return isPunct(q - 1, "@") ? q - 1 : nil
    }
}
