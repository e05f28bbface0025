/// A tokenizer for Python, good enough for structure and metrics: comments, strings (single,
/// double and triple quotes, any mix of the `r`, `b`, `u` and `f` prefixes), numbers, names,
/// operators, indentation and line joining.
///
/// It groups tokens into logical lines, as Python does: a newline ends a statement only
/// outside brackets and when the line does not end with a backslash. Each logical line keeps
/// the width of its indentation (a tab advances to the next multiple of 8, as in CPython).
///
/// - Note: It is tolerant, not a validator (the `syntax` gate asks Python itself). Its limits:
///   an f-string is one opaque token, so names and operators inside `{...}` are not seen (and
///   Python 3.12's reuse of the same quote inside the braces ends the token early); a
///   string left open ends at its line (single quotes) or at the end of the text (triple
///   quotes); characters Python would reject become operator tokens; non-ASCII letters are
///   name characters and columns count bytes, not characters; a bracket closed too often is
///   ignored; inconsistent dedents are not detected.
package struct PythonLexer {
    /// One logical line: its tokens (comments left out), its indentation width, and the
    /// physical line it starts on.
    package struct Line: Sendable, Equatable {
        package var tokens: [PythonToken]
        package var indent: Int
        package var number: Int { tokens[0].line }
    }

    private let bytes: [UInt8]
    private var position = 0
    private var lineNumber = 1
    private var lineStart = 0
    private var bracketDepth = 0
    private var pendingIndent = 0
    private var current: [PythonToken] = []
    private var currentIndent = 0
    private(set) var lines: [Line] = []
    private(set) var comments: [PythonToken] = []

    /// Reads `text` into logical lines and comments.
    package static func lex(_ text: String) -> (lines: [Line], comments: [PythonToken]) {
        var lexer = PythonLexer(bytes: Array(text.utf8))
        lexer.run()
        return (lexer.lines, lexer.comments)
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func run() {
        measureIndent()
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), 0x0C, UInt8(ascii: "\r"):
                position += 1
            case UInt8(ascii: "\n"):
                position += 1
                startPhysicalLine()
                if bracketDepth == 0 {
                    endLogicalLine()
                    measureIndent()
                }
            case UInt8(ascii: "\\") where isLineBreak(at: position + 1):
                // An explicit line join: the statement goes on.
                position += bytes[position + 1] == UInt8(ascii: "\r") ? 3 : 2
                startPhysicalLine()
            case UInt8(ascii: "#"):
                let start = position
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
                comments.append(token(.comment, from: start))
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                lexString(from: position, quoteAt: position)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                lexNumber()
            case UInt8(ascii: ".") where isDigit(at: position + 1):
                lexNumber()
            default:
                if Self.isNameStart(byte) {
                    lexName()
                } else {
                    lexOperator()
                }
            }
        }
        endLogicalLine()
    }

    // MARK: Lines

    private mutating func startPhysicalLine() {
        lineNumber += 1
        lineStart = position
    }

    private mutating func endLogicalLine() {
        if !current.isEmpty { lines.append(Line(tokens: current, indent: currentIndent)) }
        current = []
    }

    /// Reads the indentation at the start of a physical line without consuming it; blank and
    /// comment-only lines measure too, but no token records their width.
    private mutating func measureIndent() {
        var width = 0
        var index = position
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "): width += 1
            case UInt8(ascii: "\t"): width = (width / 8 + 1) * 8
            case 0x0C: width = 0
            default: pendingIndent = width; return
            }
            index += 1
        }
        pendingIndent = width
    }

    private mutating func append(_ token: PythonToken) {
        if current.isEmpty { currentIndent = pendingIndent }
        current.append(token)
    }

    private func token(_ kind: PythonToken.Kind, from start: Int, line: Int? = nil, column: Int? = nil) -> PythonToken {
        PythonToken(kind: kind, text: String(decoding: bytes[start..<position], as: UTF8.self),
                    line: line ?? lineNumber, column: column ?? start - lineStart)
    }

    // MARK: Tokens

    private mutating func lexName() {
        let start = position
        while position < bytes.count, Self.isNameContinuation(bytes[position]) { position += 1 }
        // `rb"..."`, `f'...'`: a short run of prefix letters directly before a quote.
        if position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'"),
           position - start <= 2, bytes[start..<position].allSatisfy({ Self.prefixLetters.contains($0) }) {
            lexString(from: start, quoteAt: position)
            return
        }
        append(token(.name, from: start))
    }

    private mutating func lexString(from start: Int, quoteAt quoteIndex: Int) {
        let startLine = lineNumber
        let startColumn = start - lineStart
        let quote = bytes[quoteIndex]
        let triple = quoteIndex + 2 < bytes.count && bytes[quoteIndex + 1] == quote && bytes[quoteIndex + 2] == quote
        position = quoteIndex + (triple ? 3 : 1)
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\\") {
                // An escaped character (in raw strings too, where a backslash still keeps a
                // quote from closing the string).
                if isLineBreak(at: position + 1) {
                    position += bytes[position + 1] == UInt8(ascii: "\r") ? 3 : 2
                    startPhysicalLine()
                } else {
                    position = min(position + 2, bytes.count)
                }
            } else if byte == UInt8(ascii: "\n") {
                if !triple { break }
                position += 1
                startPhysicalLine()
            } else if byte == quote, !triple || (position + 2 < bytes.count && bytes[position + 1] == quote && bytes[position + 2] == quote) {
                position += triple ? 3 : 1
                break
            } else {
                position += 1
            }
        }
        append(token(.string, from: start, line: startLine, column: startColumn))
    }

    private mutating func lexNumber() {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            let isExponentSign = (byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-"))
                && position > start && (bytes[position - 1] | 0x20) == UInt8(ascii: "e")
                && !(bytes[start] == UInt8(ascii: "0") && position > start + 1 && (bytes[start + 1] | 0x20) == UInt8(ascii: "x"))
            guard Self.isNameContinuation(byte) || byte == UInt8(ascii: ".") || isExponentSign else { break }
            position += 1
        }
        append(token(.number, from: start))
    }

    private mutating func lexOperator() {
        let start = position
        for width in [3, 2] where position + width <= bytes.count {
            if Self.operators[width]!.contains(bytes[position..<position + width].map { $0 }) {
                position += width
                append(token(.op, from: start))
                return
            }
        }
        let byte = bytes[position]
        position += 1
        if byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
            bracketDepth += 1
        } else if byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
            bracketDepth = max(0, bracketDepth - 1)
        }
        append(token(.op, from: start))
    }

    // MARK: Character classes

    private func isLineBreak(at index: Int) -> Bool {
        guard index < bytes.count else { return false }
        return bytes[index] == UInt8(ascii: "\n")
            || (bytes[index] == UInt8(ascii: "\r") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"))
    }

    private func isDigit(at index: Int) -> Bool {
        index < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private static func isNameContinuation(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static let prefixLetters: Set<UInt8> = Set("rRbBuUfF".utf8)

    private static let operators: [Int: Set<[UInt8]>] = [
        3: Set(["**=", "//=", ">>=", "<<=", "..."].map { Array($0.utf8) }),
        2: Set(["**", "//", "<<", ">>", "<=", ">=", "==", "!=", "->", ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@="]
            .map { Array($0.utf8) }),
    ]
}
