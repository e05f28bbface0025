import StrataText

/// A Python file as a tree of logical lines: each line knows the block it sits in, found from
/// indentation the way Python reads it. The gates and the metrics work on this tree.
///
/// - Note: A block opened and closed on one line (`if ready: return x`) is one line with no
///   children. Limits are those of StrataText's `PythonScanner`.
package struct PythonSource: Sendable {
    package let lines: [PythonLexer.Line]
    package let comments: [PythonToken]
    /// For each line, the index of the line that opens its block (`nil` at module level).
    package let parents: [Int?]
    /// For each line, the lines directly inside its block, in order.
    package let children: [[Int]]
    /// The module-level lines, in order.
    package let topLevel: [Int]

    package init(_ text: String) {
        (lines, comments) = PythonLexer.lex(text)
        var parents: [Int?] = []
        var children = Array(repeating: [Int](), count: lines.count)
        var topLevel: [Int] = []
        var open: [(indent: Int, index: Int)] = []
        for (index, line) in lines.enumerated() {
            while let last = open.last, last.indent >= line.indent { open.removeLast() }
            let parent = open.last?.index
            parents.append(parent)
            if let parent { children[parent].append(index) } else { topLevel.append(index) }
            open.append((line.indent, index))
        }
        self.parents = parents
        self.children = children
        self.topLevel = topLevel
    }

    /// The lines enclosing line `index`, innermost first.
    package func ancestors(of index: Int) -> [Int] {
        var result: [Int] = []
        var next = parents[index]
        while let parent = next {
            result.append(parent)
            next = parents[parent]
        }
        return result
    }

    /// The lines directly inside `parent`'s block, or the module-level lines for `nil`.
    package func lines(in parent: Int?) -> [Int] {
        parent.map { children[$0] } ?? topLevel
    }

    /// Every line inside `index`'s block, at any depth, in order.
    package func descendants(of index: Int) -> [Int] {
        var result: [Int] = []
        var stack = Array(children[index].reversed())
        while let next = stack.popLast() {
            result.append(next)
            stack += children[next].reversed()
        }
        return result
    }

    /// Whether line `index` is a string on its own: a docstring, or a string used as a
    /// comment.
    package func isDocstring(_ index: Int) -> Bool {
        lines[index].tokens.allSatisfy { $0.kind == .string }
    }
}
