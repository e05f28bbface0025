import StrataText

/// A token of a brace language, as far as the splitter cares.
struct BraceToken {
    enum Kind: UInt8 {
        /// An identifier or keyword (`func`, `$0`, `#if`, `#private`, `` `class` ``).
        case word
        /// A bracket, `;`, `,`, or a run of operator characters (`=>`, `->`, `::`, `==`).
        case punct
        /// A whole string, character or regular-expression literal, interpolations included.
        case literal
        /// A number.
        case number
    }

    var kind: Kind
    /// Byte offsets of the token in the file.
    var start: Int
    var end: Int
    /// 0-based line of the token's first byte.
    var line: Int
}

/// Cuts a brace-language file into tokens, skipping comments and swallowing literals whole.
///
/// Literals become one token each so that braces inside them never count:
/// - Swift: `"…"`, `"""…"""`, raw `#"…"#` (any number of `#`), with `\(…)` interpolation
///   (`\#(…)` in raw strings) scanned as nested code.
/// - JavaScript/TypeScript: `'…'`, `"…"`, template literals with `${…}`, and regular
///   expressions, recognised from the previous token (after an operator, `(`, `,` or a
///   keyword like `return`; never after `)`, `]`, `}` or a name).
/// - Go: `"…"`, runes, raw backtick strings. Rust: `"…"` (multi-line), `r#"…"#`, `b"…"`,
///   character literals told apart from lifetimes (`'a'` vs `'a`). Java: `"…"`, text blocks,
///   `'c'`.
///
/// Block comments nest in Swift and Rust. An unterminated single-line string ends at its line
/// break, and an unterminated block comment or multi-line string at the end of the file,
/// so malformed input costs at most the units after it.
struct BraceLexer {
    private let bytes: [UInt8]
    private let language: SourceLanguage
    private var i = 0
    private var line = 0
    private(set) var tokens: [BraceToken] = []
    /// Per line: holds (part of) a token.
    private(set) var lineHasCode: [Bool]
    /// Per line: holds (part of) a comment.
    private(set) var lineHasComment: [Bool]

    /// How deep interpolations may nest before they are read as plain string text.
    private static let maximumNesting = 16

    init(_ bytes: [UInt8], language: SourceLanguage, lineCount: Int) {
        self.bytes = bytes
        self.language = language
        lineHasCode = [Bool](repeating: false, count: lineCount + 1)
        lineHasComment = [Bool](repeating: false, count: lineCount + 1)
        tokens.reserveCapacity(bytes.count / 5)
        scan(until: nil, nesting: 0)
    }

    private var nestedComments: Bool { language == .swift || language == .rust }
    private var isJavaScript: Bool { language == .javascript || language == .typescript }

    private func peek(_ offset: Int) -> UInt8 {
        i + offset < bytes.count ? bytes[i + offset] : 0
    }

    /// Advances one byte, counting lines.
    private mutating func step() {
        if bytes[i] == UInt8(ascii: "\n") { line += 1 }
        i += 1
    }

    private mutating func markCode(from firstLine: Int) {
        for l in firstLine...min(line, lineHasCode.count - 1) { lineHasCode[l] = true }
    }

    private mutating func markComment(from firstLine: Int) {
        for l in firstLine...min(line, lineHasComment.count - 1) { lineHasComment[l] = true }
    }

    /// Scans code, emitting tokens at nesting 0, until `closer` at bracket depth 0 (the end of
    /// an interpolation) or the end of the file.
    private mutating func scan(until closer: UInt8?, nesting: Int) {
        var depth = 0
        let emit = nesting == 0
        while i < bytes.count {
            let byte = bytes[i]
            let start = i
            let startLine = line
            let kind: BraceToken.Kind
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0C:
                step()
                continue
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
                if emit { markComment(from: startLine) }
                continue
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                skipBlockComment()
                if emit { markComment(from: startLine) }
                continue
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                i += 1
                kind = .punct
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                if let closer, byte == closer, depth == 0 { return }
                depth = max(0, depth - 1)
                i += 1
                kind = .punct
            default:
                kind = scanToken(byte, nesting: nesting)
            }
            if emit { append(kind, start, startLine) }
        }
    }

    /// Reads the token at `i`, which is neither white space, a comment nor a bracket, and
    /// returns its kind; literals are skipped whole.
    private mutating func scanToken(_ byte: UInt8, nesting: Int) -> BraceToken.Kind {
        switch byte {
        case UInt8(ascii: "/") where isJavaScript && regexAllowed() && skipRegex():
            return .literal
        case UInt8(ascii: "\""):
            skipQuoted(quote: byte, hashes: 0, raw: false, nesting: nesting)
        case UInt8(ascii: "'") where isJavaScript:
            skipQuoted(quote: byte, hashes: 0, raw: false, nesting: nesting)
        case UInt8(ascii: "'"):
            if !skipCharacterLiteral() {
                i += 1   // a Rust lifetime or label: punctuation
                return .punct
            }
        case UInt8(ascii: "`"):
            if language == .swift {
                // An escaped identifier, `` `class` ``: a word that is no keyword.
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "`"), bytes[i] != UInt8(ascii: "\n") { i += 1 }
                if i < bytes.count, bytes[i] == UInt8(ascii: "`") { i += 1 }
                return .word
            }
            skipBacktickString(nesting: nesting)
        case UInt8(ascii: "#") where language == .swift && rawStringHashes() > 0:
            let hashes = rawStringHashes()
            i += hashes
            skipQuoted(quote: UInt8(ascii: "\""), hashes: hashes, raw: false, nesting: nesting)
        case UInt8(ascii: "#") where ByteClass.isNameByte(peek(1)) && language != .rust:
            // `#if`, `#available` (Swift), `#field` (JavaScript private names).
            i += 1
            while i < bytes.count, ByteClass.isNameByte(bytes[i]) || bytes[i] == UInt8(ascii: "$") { i += 1 }
            return .word
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            while i < bytes.count, ByteClass.isNameByte(bytes[i]) || bytes[i] == UInt8(ascii: ".") {
                // `1..<n` and `0...9` are ranges, not part of the number.
                if bytes[i] == UInt8(ascii: "."), peek(1) == UInt8(ascii: ".") { break }
                i += 1
            }
            return .number
        case _ where ByteClass.isNameByte(byte) || byte == UInt8(ascii: "$"):
            if language == .rust, skipRustPrefixedLiteral(nesting: nesting) { return .literal }
            while i < bytes.count, ByteClass.isNameByte(bytes[i]) || bytes[i] == UInt8(ascii: "$") { i += 1 }
            return .word
        default:
            i += 1
            if BraceLexer.isOperator(byte) {
                while i < bytes.count, BraceLexer.isOperator(bytes[i]) { i += 1 }
                // `a=//comment` and `x=/re/` start something else at the `/`.
            }
            return .punct
        }
        return .literal
    }

    private mutating func append(_ kind: BraceToken.Kind, _ start: Int, _ startLine: Int) {
        tokens.append(BraceToken(kind: kind, start: start, end: i, line: startLine))
        markCode(from: startLine)
    }

    /// Characters that run together into one operator token; `/` is left out because it may
    /// open a comment or a regular expression.
    private static func isOperator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"),
             UInt8(ascii: "|"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: "+"),
             UInt8(ascii: "*"), UInt8(ascii: "%"), UInt8(ascii: "^"), UInt8(ascii: "~"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }

    private mutating func skipBlockComment() {
        i += 2
        var depth = 1
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                i += 2
                depth -= 1
                if depth == 0 || !nestedComments { return }
            } else if nestedComments, bytes[i] == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                i += 2
                depth += 1
            } else {
                step()
            }
        }
    }

    /// The number of `#` before a `"` at `i` (a Swift raw string), or 0.
    private func rawStringHashes() -> Int {
        var j = i
        while j < bytes.count, bytes[j] == UInt8(ascii: "#") { j += 1 }
        return j < bytes.count && bytes[j] == UInt8(ascii: "\"") ? j - i : 0
    }

    /// Skips a Rust `r"…"`, `r#"…"#`, `b"…"`, `br"…"` or `b'…'` at `i`; returns `false`,
    /// with `i` unchanged, at any other word.
    private mutating func skipRustPrefixedLiteral(nesting: Int) -> Bool {
        var j = i
        if bytes[j] == UInt8(ascii: "b") { j += 1 }
        let raw = j < bytes.count && bytes[j] == UInt8(ascii: "r")
        if raw { j += 1 }
        guard j > i, j < bytes.count else { return false }
        var hashes = 0
        while raw, j < bytes.count, bytes[j] == UInt8(ascii: "#") { j += 1; hashes += 1 }
        guard j < bytes.count else { return false }
        if bytes[j] == UInt8(ascii: "\"") {
            i = j
            skipQuoted(quote: UInt8(ascii: "\""), hashes: hashes, raw: raw, nesting: nesting)
            return true
        }
        if !raw, j == i + 1, bytes[j] == UInt8(ascii: "'") {
            let saved = i
            i = j
            if skipCharacterLiteral() { return true }
            i = saved
        }
        return false
    }

    /// Skips a string opening with `quote` at `i`.
    ///
    /// `hashes` > 0 closes on the quote followed by that many `#` (Swift `#"…"#`, whose
    /// escapes and interpolations are `\#`, `\#(`; Rust `r#"…"#`). `raw` strings (Rust)
    /// have no escapes at all. Swift and Java `"""` strings span lines, as do all Rust
    /// strings; the others end at an unescaped line break.
    private mutating func skipQuoted(quote: UInt8, hashes: Int, raw: Bool, nesting: Int) {
        let triple = (language == .swift || language == .java) && quote == UInt8(ascii: "\"")
            && peek(1) == quote && peek(2) == quote
        let multiline = triple || language == .rust
        i += triple ? 3 : 1
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\n"), !multiline { return }
            if byte == UInt8(ascii: "\\"), !raw, hasHashes(hashes, at: i + 1) {
                let next = i + 1 + hashes
                if language == .swift, next < bytes.count, bytes[next] == UInt8(ascii: "(") {
                    i = next + 1
                    interpolate(closer: UInt8(ascii: ")"), nesting: nesting)
                    continue
                }
                i = next
                if i < bytes.count { step() }   // the escaped byte, a line break included
                continue
            }
            if byte == quote {
                if triple {
                    if peek(1) == quote, peek(2) == quote, hasHashes(hashes, at: i + 3) {
                        i += 3 + hashes
                        return
                    }
                } else if hasHashes(hashes, at: i + 1) {
                    i += 1 + hashes
                    return
                }
            }
            step()
        }
    }

    private func hasHashes(_ count: Int, at position: Int) -> Bool {
        guard count > 0 else { return true }
        guard position + count <= bytes.count else { return false }
        return (position..<position + count).allSatisfy { bytes[$0] == UInt8(ascii: "#") }
    }

    /// Reads an interpolation's code up to its closing bracket, without emitting tokens.
    private mutating func interpolate(closer: UInt8, nesting: Int) {
        if nesting >= BraceLexer.maximumNesting { return }
        scan(until: closer, nesting: nesting + 1)
        if i < bytes.count { i += 1 }
    }

    /// A backtick literal: a JavaScript template (with `${…}`), a Go raw string, or (in Rust
    /// and Java, where backticks mean nothing) a single character.
    private mutating func skipBacktickString(nesting: Int) {
        guard isJavaScript || language == .go else { i += 1; return }
        i += 1
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "`") { i += 1; return }
            if isJavaScript, byte == UInt8(ascii: "\\") { i += 1; if i < bytes.count { step() }; continue }
            if isJavaScript, byte == UInt8(ascii: "$"), peek(1) == UInt8(ascii: "{") {
                i += 2
                interpolate(closer: UInt8(ascii: "}"), nesting: nesting)
                continue
            }
            step()
        }
    }

    /// Skips a character literal at `i` (`'a'`, `'\\n'`, `'\\u{1F600}'`) and returns `true`;
    /// returns `false`, with `i` unchanged, when the quote is a Rust lifetime or label
    /// (`'a`, `'outer:`) or a Swift `'` (no delimiter there). In Go and Java a quote that
    /// closes nothing is skipped alone.
    private mutating func skipCharacterLiteral() -> Bool {
        if language == .swift { return false }
        if peek(1) == UInt8(ascii: "\\") {
            var j = i + 3   // past the quote, the backslash and the escaped byte
            while j < bytes.count, j < i + 16, bytes[j] != UInt8(ascii: "'"), bytes[j] != UInt8(ascii: "\n") { j += 1 }
            if j < bytes.count, bytes[j] == UInt8(ascii: "'") { i = j + 1; return true }
        } else {
            // One UTF-8 scalar between quotes.
            let lead = peek(1)
            let width = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            if lead != UInt8(ascii: "\n"), i + 1 + width < bytes.count, bytes[i + 1 + width] == UInt8(ascii: "'") {
                i += 2 + width
                return true
            }
        }
        if language == .rust { return false }
        i += 1
        return true
    }

    /// Whether a `/` here starts a regular expression rather than a division (JavaScript).
    private func regexAllowed() -> Bool {
        guard let previous = tokens.last else { return true }
        switch previous.kind {
        case .literal, .number:
            return false
        case .word:
            let word = bytes[previous.start..<previous.end]
            return BraceLexer.regexKeywords.contains { $0.elementsEqual(word) }
        case .punct:
            let last = bytes[previous.end - 1]
            return last != UInt8(ascii: ")") && last != UInt8(ascii: "]") && last != UInt8(ascii: "}")
        }
    }

    private static let regexKeywords: [[UInt8]] = [
        "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else",
        "yield", "await",
    ].map { Array($0.utf8) }

    /// Skips a regular expression literal at `i`; returns `false` (nothing skipped) when no
    /// closing `/` is on the same line.
    private mutating func skipRegex() -> Bool {
        var j = i + 1
        var inClass = false
        while j < bytes.count {
            let byte = bytes[j]
            if byte == UInt8(ascii: "\n") { return false }
            if byte == UInt8(ascii: "\\") { j += 2; continue }
            if byte == UInt8(ascii: "[") { inClass = true }
            else if byte == UInt8(ascii: "]") { inClass = false }
            else if byte == UInt8(ascii: "/"), !inClass { break }
            j += 1
        }
        guard j < bytes.count else { return false }
        j += 1
        while j < bytes.count, ByteClass.isNameByte(bytes[j]) { j += 1 }   // flags
        i = j
        return true
    }
}
