import StrataText

/// Finds `def`, `async def` and `class` blocks by indentation.
///
/// StrataText's `PythonLineLayout` classifies every physical line (continuation, blank,
/// comment, statement) and measures the indentation of those that start a logical line;
/// its scanner tracks strings (single, triple, any prefix), comments, brackets and
/// backslash continuations, so that a `def` at the start of a line inside a docstring or a
/// multi-line call is not a declaration. Tabs advance to the next multiple of 8, as
/// CPython does.
///
/// A block ends before the next statement indented no deeper than its header; trailing
/// blank and comment lines are left out. Decorators and comment lines at the header's
/// indentation directly above it (no blank line) are included.
///
/// The class unit spans the whole class; its methods are units too (`Class.method`), and
/// nested classes qualify their members (`Outer.Inner.method`). Functions and classes
/// defined inside a function body are part of that function, not units of their own.
enum PythonSplitter {
    /// The declarations of a Python file, 0-based lines.
    static func declarations(in bytes: [UInt8], lines: LineTable) -> [Declaration] {
        let layout = PythonLineLayout(bytes)
        // Both count lines the same way (a final line break opens none).
        assert(layout.count == lines.count, "PythonLineLayout has \(layout.count) lines, LineTable \(lines.count)")
        let kinds = layout.kinds
        let indents = layout.indents
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
            guard let (isClass, name) = header(bytes, at: layout.contentStarts[line]) else { continue }
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
                      bytes[layout.contentStarts[candidate]] == UInt8(ascii: "@"),
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

    /// Whether a statement starting at `start` is a `def`, `async def` or `class` header, and
    /// its name.
    private static func header(_ bytes: [UInt8], at start: Int) -> (isClass: Bool, name: String)? {
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
        while i < bytes.count, ByteClass.isNameByte(bytes[i]) { i += 1 }
        guard i > nameStart, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[nameStart]) else { return nil }
        return (isClass, String(decoding: bytes[nameStart..<i], as: UTF8.self))
    }
}
