/// One token of Python source with its text, as ``PythonLexer`` hands it out.
public struct PythonToken: Sendable, Hashable {
    /// What a token is.
    public enum Kind: Sendable, Hashable {
        /// An identifier or a keyword (``PythonToken/isKeyword`` tells them apart).
        case name
        /// A number as written: `1_000`, `0x1F`, `1e-5`, `.5j`.
        case number
        /// A string literal with its prefix and quotes; an f-string is one token.
        case string
        /// An operator or a delimiter: `+`, `**=`, `->`, `(`, `,`, `.`, ...; also any
        /// character Python would reject (`$`, `?`), so that the scanner never stops.
        case op
        /// A `#` comment, up to the end of its line (the line break excluded).
        case comment
    }

    /// What the token is.
    public var kind: Kind
    /// The exact source text.
    public var text: String
    /// The physical line the token starts on, from 1.
    public var line: Int
    /// The byte offset of the token in its line, from 0.
    public var column: Int

    /// Creates a token.
    public init(kind: Kind, text: String, line: Int, column: Int) {
        self.kind = kind
        self.text = text
        self.line = line
        self.column = column
    }

    /// The token `token` of `bytes`, with its text copied out.
    public init(_ token: PythonScanner.Token, in bytes: [UInt8]) {
        self.init(kind: token.kind, text: String(decoding: bytes[token.start..<token.end], as: UTF8.self),
                  line: token.line, column: token.column)
    }

    /// Whether this is a name token that is one of Python's hard keywords.
    public var isKeyword: Bool { kind == .name && Keywords.python.contains(text) }

    /// Whether this is the name token `word`.
    public func isName(_ word: String) -> Bool { kind == .name && text == word }

    /// Whether this is the operator `symbol`.
    public func isOp(_ symbol: String) -> Bool { kind == .op && text == symbol }

    /// For a string token, what lies between the quotes, escapes left as written; `nil` for
    /// other tokens. An unterminated string gives what there is.
    public var stringBody: String? {
        guard kind == .string else { return nil }
        let body = text.drop { $0 != "\"" && $0 != "'" }
        guard let quote = body.first else { return nil }
        let triple = String(repeating: quote, count: 3)
        let width = body.hasPrefix(triple) && body.count >= 6 ? 3 : 1
        let inner = body.dropFirst(width)
        let closing = String(repeating: quote, count: width)
        return String(inner.hasSuffix(closing) ? inner.dropLast(width) : inner)
    }
}
