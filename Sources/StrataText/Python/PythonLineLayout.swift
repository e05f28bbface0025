/// What each physical line of a Python file is, as far as block structure goes: enough to find
/// `def` and `class` blocks by indentation without building tokens.
///
/// Built on ``PythonScanner``: a line that starts inside a string, inside brackets or after a
/// `\` join is a ``Kind/continuation``; any other line is blank, a comment, or the start of a
/// statement, and its indentation is measured. So a `def` at the start of a line inside a
/// docstring or a multi-line call is never taken for a declaration.
///
/// There is one entry per line; a final line break does not open a line (`"a\n"` has one line,
/// an empty text has one empty line).
///
/// - Complexity: O(*n*) in the file's size; three arrays of one entry per line.
public struct PythonLineLayout: Sendable, Hashable {
    /// What a physical line is.
    public enum Kind: UInt8, Sendable, Hashable {
        /// Inside a string, brackets or a `\` continuation: part of the line above.
        case continuation
        /// Empty or white space only.
        case blank
        /// A comment and nothing else.
        case comment
        /// The start of a logical line (a statement).
        case statement
    }

    /// What each line is, by line index from 0.
    public private(set) var kinds: [Kind] = []
    /// Each line's indentation width (tabs to the next multiple of 8); 0 for continuation lines.
    public private(set) var indents: [Int] = []
    /// Offset of each line's first byte after its indentation; the line's start for
    /// continuation lines.
    public private(set) var contentStarts: [Int] = []

    /// The number of physical lines.
    public var count: Int { kinds.count }

    /// Reads the lines of `bytes` (UTF-8 Python source).
    public init(_ bytes: [UInt8]) {
        // About one line per 32 bytes of code; growing past it costs little.
        let estimate = bytes.count / 32 + 1
        kinds.reserveCapacity(estimate)
        indents.reserveCapacity(estimate)
        contentStarts.reserveCapacity(estimate)
        var scanner = PythonScanner(bytes)
        while let event = scanner.next() {
            guard case let .lineStart(start) = event else { continue }
            kinds.append(Self.kind(of: start, in: bytes))
            indents.append(start.indent)
            contentStarts.append(start.contentStart)
        }
    }

    /// Reads the lines of `text`.
    public init(_ text: String) {
        self.init(Array(text.utf8))
    }

    private static func kind(of start: PythonScanner.LineStart, in bytes: [UInt8]) -> Kind {
        if start.isContinuation { return .continuation }
        let first = start.contentStart
        if first >= bytes.count || bytes[first] == 10 || bytes[first] == 13 { return .blank }
        return bytes[first] == 35 ? .comment : .statement
    }
}
