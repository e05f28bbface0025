/// Python source as tokens with their text, grouped into logical lines, for code that reasons
/// about statements (the validation gates, the metrics).
///
/// A logical line ends, as in Python, at a line break outside brackets that is not joined by
/// a `\`. Each keeps the indentation width of the physical line it starts on. Comments are
/// kept apart. What is read and its limits are those of ``PythonScanner``.
public enum PythonLexer {
    /// One logical line: its tokens (comments left out), its indentation width, and the
    /// physical line it starts on.
    public struct Line: Sendable, Hashable {
        /// The line's tokens, in order; never empty.
        public var tokens: [PythonToken]
        /// The indentation width of its first physical line (see ``PythonScanner``).
        public var indent: Int
        /// The physical line its first token is on, from 1.
        public var number: Int { tokens[0].line }

        /// Creates a line.
        public init(tokens: [PythonToken], indent: Int) {
            self.tokens = tokens
            self.indent = indent
        }
    }

    /// Reads `text` into logical lines and comments.
    ///
    /// - Returns: The logical lines that hold a token, in order, and every comment, in order.
    /// - Complexity: O(*n*) in the text's size, one string per token.
    public static func lex(_ text: String) -> (lines: [Line], comments: [PythonToken]) {
        var scanner = PythonScanner(text)
        var lines: [Line] = []
        var comments: [PythonToken] = []
        var current: [PythonToken] = []
        var currentIndent = 0
        // The indentation of the last physical line that did not continue another.
        var lineIndent = 0
        while let event = scanner.next() {
            switch event {
            case let .lineStart(start):
                guard !start.isContinuation else { continue }
                if !current.isEmpty { lines.append(Line(tokens: current, indent: currentIndent)) }
                current = []
                lineIndent = start.indent
            case let .token(token):
                let token = PythonToken(token, in: scanner.bytes)
                if token.kind == .comment {
                    comments.append(token)
                } else {
                    if current.isEmpty { currentIndent = lineIndent }
                    current.append(token)
                }
            }
        }
        if !current.isEmpty { lines.append(Line(tokens: current, indent: currentIndent)) }
        return (lines, comments)
    }
}
