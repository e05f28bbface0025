/// One token of Python source, as ``PythonLexer`` reads it.
package struct PythonToken: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// An identifier or a keyword (``PythonToken/isKeyword`` tells them apart).
        case name
        case number
        /// A string literal with its prefix and quotes; an f-string is one token.
        case string
        /// An operator or a delimiter: `+`, `**=`, `->`, `(`, `,`, `.`, ...; also any
        /// character Python would reject (`$`, `?`), so that the lexer never stops.
        case op
        case comment
    }

    package var kind: Kind
    /// The exact source text.
    package var text: String
    /// The physical line the token starts on, from 1.
    package var line: Int
    /// The byte offset of the token in its line, from 0.
    package var column: Int

    package init(kind: Kind, text: String, line: Int, column: Int) {
        self.kind = kind
        self.text = text
        self.line = line
        self.column = column
    }

    /// Python's hard keywords, `True`, `False` and `None` included. The soft keywords
    /// (`match`, `case`, `_`, `type`) are ordinary names.
    package static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
        "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    package var isKeyword: Bool { kind == .name && Self.keywords.contains(text) }

    /// Whether this is the name token `word`.
    package func isName(_ word: String) -> Bool { kind == .name && text == word }

    /// Whether this is the operator `symbol`.
    package func isOp(_ symbol: String) -> Bool { kind == .op && text == symbol }

    /// For a string token, what lies between the quotes, escapes left as written; `nil` for
    /// other tokens. An unterminated string gives what there is.
    package var stringBody: String? {
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
