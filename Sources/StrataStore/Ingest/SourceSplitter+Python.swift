extension SourceSplitter {
    /// What a physical line of Python is, as far as block structure goes.
    private enum PythonLine: UInt8 {
        /// Inside a string, brackets or a `\` continuation: part of the line above.
        case continuation
        /// Empty or white space only.
        case blank
        /// A comment and nothing else.
        case comment
        /// The start of a logical line (a statement).
        case statement
    }

    /// Finds `def`, `async def` and `class` blocks by indentation.
    ///
    /// One pass over the bytes classifies every physical line (``PythonLine``) and records the
    /// indentation of those that start a logical line; strings (single, triple, any prefix),
    /// comments, brackets and backslash continuations are tracked so that a `def` at the start
    /// of a line inside a docstring or a multi-line call is not a declaration. Tabs advance to
    /// the next multiple of 8, as CPython does.
    ///
    /// A block ends before the next statement indented no deeper than its header; trailing
    /// blank and comment lines are left out. Decorators and comment lines at the header's
    /// indentation directly above it (no blank line) are included.
    ///
    /// The class unit spans the whole class; its methods are units too (`Class.method`), and
    /// nested classes qualify their members (`Outer.Inner.method`). Functions and classes
    /// defined inside a function body are part of that function, not units of their own.
    static func pythonDeclarations(_ bytes: [UInt8], lines: LineTable) -> [Declaration] {
        let (kinds, indents) = classifyPythonLines(bytes, lineCount: lines.count)
        let statements = kinds.indices.filter { kinds[$0] == .statement }

        struct Open {
            var endStatement: Int
            var name: String
            var isClass: Bool
            var reportsMembers: Bool
        }
        var open: [Open] = []
        var declarations: [Declaration] = []

        for (position, line) in statements.enumerated() {
            while let top = open.last, position >= top.endStatement { open.removeLast() }
            guard let (isClass, name) = pythonHeader(bytes, at: lines.starts[line] + indentWidthInBytes(bytes, from: lines.starts[line]))
            else { continue }
            let indent = indents[line]

            var endStatement = position + 1
            while endStatement < statements.count, indents[statements[endStatement]] > indent { endStatement += 1 }
            var lastLine = endStatement < statements.count ? statements[endStatement] - 1 : lines.count - 1
            while lastLine > line, kinds[lastLine] == .blank || kinds[lastLine] == .comment { lastLine -= 1 }

            let parent = open.last
            let reported = parent == nil || (parent!.isClass && parent!.reportsMembers)
            let qualified = parent.map { $0.isClass ? "\($0.name).\(name)" : name } ?? name
            open.append(Open(endStatement: endStatement, name: qualified, isClass: isClass, reportsMembers: reported))
            guard reported else { continue }

            var firstLine = line
            // Decorators: statements at the same indentation starting with `@`, with nothing
            // but comments and continuation lines between them and the header.
            var previous = position - 1
            while previous >= 0 {
                let candidate = statements[previous]
                guard indents[candidate] == indent,
                      bytes[lines.starts[candidate] + indentWidthInBytes(bytes, from: lines.starts[candidate])] == UInt8(ascii: "@"),
                      !(candidate + 1..<firstLine).contains(where: { kinds[$0] == .blank })
                else { break }
                firstLine = candidate
                previous -= 1
            }
            while firstLine > 0, kinds[firstLine - 1] == .comment, indents[firstLine - 1] == indent { firstLine -= 1 }

            let kind: SourceUnit.Kind = isClass ? .class : (parent?.isClass == true ? .method : .function)
            declarations.append(Declaration(name: qualified, kind: kind, lineStart: firstLine, lineEnd: lastLine, declarationLine: line))
        }
        return declarations
    }

    /// Classifies each physical line and measures the indentation of blank-free lines.
    private static func classifyPythonLines(_ bytes: [UInt8], lineCount: Int) -> ([PythonLine], [Int]) {
        var kinds = [PythonLine](repeating: .continuation, count: lineCount)
        var indents = [Int](repeating: 0, count: lineCount)
        let n = bytes.count
        var i = 0
        var line = 0
        var depth = 0
        var quote: UInt8 = 0          // 0 outside strings
        var triple = false
        var continued = false         // the previous line ended with `\`

        // Called at the first byte of each physical line.
        func startLine() {
            guard line < lineCount else { return }
            guard quote == 0, depth == 0, !continued else { kinds[line] = .continuation; return }
            var column = 0
            var j = i
            while j < n {
                switch bytes[j] {
                case UInt8(ascii: " "): column += 1
                case UInt8(ascii: "\t"): column = (column / 8 + 1) * 8
                case 0x0C: column = 0   // form feed resets the column, as in CPython
                default: break
                }
                guard bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t") || bytes[j] == 0x0C else { break }
                j += 1
            }
            indents[line] = column
            if j >= n || bytes[j] == UInt8(ascii: "\n") || bytes[j] == UInt8(ascii: "\r") {
                kinds[line] = .blank
            } else if bytes[j] == UInt8(ascii: "#") {
                kinds[line] = .comment
            } else {
                kinds[line] = .statement
            }
        }

        startLine()
        while i < n {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\n") {
                // An unterminated single-quoted string ends at the line break.
                if quote != 0, !triple { quote = 0 }
                i += 1
                line += 1
                startLine()
                continued = false
                continue
            }
            if quote != 0 {
                if byte == UInt8(ascii: "\\") {
                    // An escaped line break keeps the string open on the next line.
                    if i + 1 < n, bytes[i + 1] == UInt8(ascii: "\n") {
                        i += 2
                        line += 1
                        startLine()
                    } else {
                        i += 2
                    }
                    continue
                }
                if byte == quote {
                    if !triple { quote = 0; i += 1; continue }
                    if i + 2 < n, bytes[i + 1] == quote, bytes[i + 2] == quote { quote = 0; i += 3; continue }
                }
                i += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "#"):
                while i < n, bytes[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                quote = byte
                if i + 2 < n, bytes[i + 1] == byte, bytes[i + 2] == byte {
                    triple = true
                    i += 3
                } else {
                    triple = false
                    i += 1
                }
                continue
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            case UInt8(ascii: "\\"):
                var j = i + 1
                if j < n, bytes[j] == UInt8(ascii: "\r") { j += 1 }
                if j < n, bytes[j] == UInt8(ascii: "\n") { continued = true; i = j; continue }
            default:
                break
            }
            i += 1
        }
        return (kinds, indents)
    }

    /// Bytes of indentation at the start of a line.
    private static func indentWidthInBytes(_ bytes: [UInt8], from start: Int) -> Int {
        var j = start
        while j < bytes.count, bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t") || bytes[j] == 0x0C { j += 1 }
        return j - start
    }

    /// Whether a statement starting at `start` is a `def`, `async def` or `class` header, and
    /// its name.
    private static func pythonHeader(_ bytes: [UInt8], at start: Int) -> (isClass: Bool, name: String)? {
        var i = start
        func keyword(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard i + count < bytes.count else { return false }
            let matches = word.withUTF8Buffer { buffer in
                (0..<count).allSatisfy { bytes[i + $0] == buffer[$0] }
            }
            guard matches, bytes[i + count] == UInt8(ascii: " ") || bytes[i + count] == UInt8(ascii: "\t") else { return false }
            i += count
            while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
            return true
        }
        let isClass: Bool
        if keyword("def") {
            isClass = false
        } else if keyword("class") {
            isClass = true
        } else if keyword("async"), keyword("def") {
            isClass = false
        } else {
            return nil
        }
        let nameStart = i
        while i < bytes.count, isIdentifierByte(bytes[i]) { i += 1 }
        guard i > nameStart, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[nameStart]) else { return nil }
        return (isClass, String(decoding: bytes[nameStart..<i], as: UTF8.self))
    }

    /// Letters, digits, `_`, and any byte of a multi-byte UTF-8 sequence (identifiers may be
    /// non-ASCII in every language here).
    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), 0x80...0xFF:
            true
        default:
            false
        }
    }
}
