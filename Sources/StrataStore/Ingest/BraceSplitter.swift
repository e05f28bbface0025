/// Finds declarations in a brace language.
///
/// The lexer (``BraceLexer``) yields tokens with literals and comments out of the way. The
/// walker keeps a stack of brace scopes; each scope remembers where the current *header*
/// began (after the last `;`, `{` or `}` at its bracket depth 0). At every `{` opened in
/// a scope whose members are reported (the file, a type, an extension, an `impl`, a
/// namespace), the language's classifier (``BraceHeader``) reads the header in front of the
/// brace and says what, if anything, it declares. The unit ends at the matching `}`.
///
/// Scopes that are not declarations (function bodies, closures, computed properties,
/// control flow, object literals) report nothing inside them. A scope still open at the
/// end of the file (unbalanced braces, say from `#if` branches that each open one) is
/// dropped rather than guessed at.
struct BraceSplitter {
    /// A brace scope the walker is inside; the file is the outermost.
    private struct Scope {
        /// The qualified name of the innermost declaration around, empty at file level.
        var prefix: String
        var isType: Bool
        var reportsMembers: Bool
        var parenDepth = 0
        /// The token after the last `;`, `{` or `}` at bracket depth 0: the current header's first.
        var headerStart: Int
        var openedAtDepthZero: Bool
        /// The unit this scope's braces delimit, reported when they close.
        var pending: Declaration?
    }

    private let bytes: [UInt8]
    private let language: SourceLanguage
    private let lexer: BraceLexer
    private var scopes = [Scope(prefix: "", isType: false, reportsMembers: true, headerStart: 0, openedAtDepthZero: true)]
    private var declarations: [Declaration] = []

    private init(_ bytes: [UInt8], lines: LineTable, language: SourceLanguage) {
        self.bytes = bytes
        self.language = language
        lexer = BraceLexer(bytes, language: language, lineCount: lines.count)
    }

    /// The declarations of a file in `language` (not Python), 0-based lines, in the order
    /// their closing braces come.
    static func declarations(in bytes: [UInt8], lines: LineTable, language: SourceLanguage) -> [Declaration] {
        var splitter = BraceSplitter(bytes, lines: lines, language: language)
        splitter.walk()
        return splitter.declarations
    }

    private mutating func walk() {
        let tokens = lexer.tokens
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
                open(at: k)
            case UInt8(ascii: "}"):
                close(at: k)
            default:
                break
            }
        }
    }

    /// Enters the scope of the `{` at token `k`, a declaration's if the header in front of it
    /// declares one.
    private mutating func open(at k: Int) {
        let tokens = lexer.tokens
        let parent = scopes[scopes.count - 1]
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
                    name: qualified, kind: kind, lineStart: startLine, lineEnd: tokens[k].line,
                    declarationLine: tokens[found.nameToken].line
                )
            }
        }
        scopes.append(scope)
    }

    /// Leaves the scope the `}` at token `k` closes, reporting its declaration.
    private mutating func close(at k: Int) {
        guard scopes.count > 1 else {
            // A stray closing brace at file level: start afresh after it.
            scopes[0].headerStart = k + 1
            return
        }
        let closed = scopes.removeLast()
        if var declaration = closed.pending {
            declaration.lineEnd = lexer.tokens[k].line
            declarations.append(declaration)
        }
        if closed.openedAtDepthZero { scopes[scopes.count - 1].headerStart = k + 1 }
    }
}
