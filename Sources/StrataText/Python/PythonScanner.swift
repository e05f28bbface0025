/// One pass over Python source as UTF-8 bytes: tokens as byte ranges, and the start of every
/// physical line with what it continues and how deep it is indented.
///
/// It reads the way Python's tokenizer does, tolerantly: comments; strings with single,
/// double and triple quotes and up to two prefix letters (`r`, `b`, `u`, `f` in any case and
/// mix); numbers; names (non-ASCII bytes included); operators of up to three characters;
/// brackets; and line joining. A physical line *continues* the one above when it starts
/// inside a string, inside brackets or after a `\` line join; otherwise it starts a logical
/// line (or is blank or a comment), and its indentation is measured: a space counts 1, a tab
/// advances to the next multiple of 8, a form feed resets to 0, as in CPython.
///
/// Events come in source order. A string spanning lines is reported first, then the starts
/// of the lines inside it. Line 1 starts at offset 0 (an empty text has one, empty, line);
/// every other line starts after a line feed, except after a final one: `"a\n"` has one line.
///
/// Two views are built on it: ``PythonLexer`` (tokens with text, grouped into logical lines)
/// and ``PythonLineLayout`` (what each physical line is, for splitting a file into blocks).
///
/// - Note: It is tolerant, not a validator; it never fails and never stops early. Its limits:
///   an f-string is one opaque token, so names and operators inside `{...}` are not seen (and
///   Python 3.12's reuse of the same quote inside the braces ends the token early); a string
///   left open ends at its line (single quotes) or at the end of the text (triple quotes); a
///   backslash escapes the next byte in raw strings too (as Python's tokenizer does for
///   quotes); characters Python would reject become operator tokens; columns count bytes; a
///   bracket closed too often is ignored; inconsistent dedents are not detected. Only line
///   feeds end lines (a `\r\n` file reads as Python reads it; a lone `\r` is white space).
///
/// - Complexity: O(*n*) in the text's size; no allocation while scanning.
public struct PythonScanner: IteratorProtocol, Sendable {
    /// A token: its kind and where it is. `bytes[start..<end]` is its exact text.
    public struct Token: Sendable, Hashable {
        /// What the token is.
        public var kind: PythonToken.Kind
        /// Offset of the token's first byte (a string's prefix included).
        public var start: Int
        /// Offset one past the token's last byte.
        public var end: Int
        /// The physical line the token starts on, from 1.
        public var line: Int
        /// The byte offset of the token in its line, from 0.
        public var column: Int

        /// Creates a token.
        public init(kind: PythonToken.Kind, start: Int, end: Int, line: Int, column: Int) {
            self.kind = kind
            self.start = start
            self.end = end
            self.line = line
            self.column = column
        }
    }

    /// The start of a physical line.
    public struct LineStart: Sendable, Hashable {
        /// The line number, from 1.
        public var line: Int
        /// Offset of the line's first byte.
        public var offset: Int
        /// Whether the line continues the logical line above: it starts inside a string,
        /// inside brackets, or after a `\` line join.
        public var isContinuation: Bool
        /// The indentation width in columns (tabs to the next multiple of 8, a form feed
        /// resets to 0); 0 for a continuation line, which has no indentation of its own.
        public var indent: Int
        /// Offset of the first byte after the indentation (spaces, tabs, form feeds); the
        /// line's `offset` for a continuation line.
        public var contentStart: Int

        /// Creates a line start.
        public init(line: Int, offset: Int, isContinuation: Bool, indent: Int, contentStart: Int) {
            self.line = line
            self.offset = offset
            self.isContinuation = isContinuation
            self.indent = indent
            self.contentStart = contentStart
        }
    }

    /// What ``next()`` reports.
    public enum Event: Sendable, Hashable {
        /// A physical line starts.
        case lineStart(LineStart)
        /// A token, comments included.
        case token(Token)
    }

    /// The text, as UTF-8.
    public let bytes: [UInt8]
    // Scanning state, shared with the token readers in PythonScanner+Tokens.swift.
    var position = 0
    var lineNumber = 0
    var lineOffset = 0
    var bracketDepth = 0
    // Line feeds inside the last string token, not yet reported: `pending..<pendingEnd`.
    var pending = 0
    var pendingEnd = 0

    /// Creates a scanner over UTF-8 bytes.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Creates a scanner over a string's UTF-8.
    public init(_ text: String) {
        self.init(Array(text.utf8))
    }

    /// The next line start or token, or `nil` at the end of the text.
    public mutating func next() -> Event? {
        if lineNumber == 0 { return .lineStart(startLine(at: 0, isContinuation: false)) }
        while pending < pendingEnd {
            let index = pending
            pending += 1
            if bytes[index] == 10, index + 1 < bytes.count {
                return .lineStart(startLine(at: index + 1, isContinuation: true))
            }
        }
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case 32, 9, 12, 13:  // space, tab, form feed, carriage return
                position += 1
            case 10:
                position += 1
                guard position < bytes.count else { return nil }
                return .lineStart(startLine(at: position, isContinuation: bracketDepth > 0))
            case 92 where isLineBreak(at: position + 1):  // `\`: an explicit line join
                position += bytes[position + 1] == 13 ? 3 : 2
                guard position < bytes.count else { return nil }
                return .lineStart(startLine(at: position, isContinuation: true))
            case 35:  // #
                let start = position
                var end = position + 1
                while end < bytes.count, bytes[end] != 10 { end += 1 }
                position = end
                return .token(token(.comment, from: start))
            case 34, 39:  // " '
                return .token(string(from: position, quoteAt: position))
            case 48...57:
                return .token(number())
            case 46 where position + 1 < bytes.count && ByteClass.isDigit(bytes[position + 1]):  // .5
                return .token(number())
            default:
                return .token(ByteClass.isNameStart(byte) ? name() : op())
            }
        }
        return nil
    }

    // MARK: Lines

    private mutating func startLine(at offset: Int, isContinuation: Bool) -> LineStart {
        lineNumber += 1
        lineOffset = offset
        guard !isContinuation else {
            return LineStart(line: lineNumber, offset: offset, isContinuation: true, indent: 0, contentStart: offset)
        }
        var width = 0
        var index = offset
        scan: while index < bytes.count {
            switch bytes[index] {
            case 32: width += 1
            case 9: width = (width / 8 + 1) * 8
            case 12: width = 0
            default: break scan
            }
            index += 1
        }
        return LineStart(line: lineNumber, offset: offset, isContinuation: false, indent: width, contentStart: index)
    }

    func isLineBreak(at index: Int) -> Bool {
        guard index < bytes.count else { return false }
        return bytes[index] == 10 || (bytes[index] == 13 && index + 1 < bytes.count && bytes[index + 1] == 10)
    }

    func token(_ kind: PythonToken.Kind, from start: Int) -> Token {
        Token(kind: kind, start: start, end: position, line: lineNumber, column: start - lineOffset)
    }
}
