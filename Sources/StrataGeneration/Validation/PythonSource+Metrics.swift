import Foundation
import StrataText

/// The cyclomatic complexity of one function.
package struct FunctionComplexity: Sendable, Equatable {
    /// Qualified by the enclosing classes and functions: `NodeXEffect.process`.
    package var name: String
    /// The physical line of its `def`, from 1.
    package var line: Int
    package var complexity: Int
}

extension PythonSource {
    /// Every function's McCabe complexity, in source order (see ``CodeMetrics``).
    package var functionComplexities: [FunctionComplexity] {
        lines.indices.compactMap { index -> FunctionComplexity? in
            guard let function = definition(at: index), function.kind == .function else { return nil }
            let scope = [index] + ownScope(of: index)
            let outer = ancestors(of: index).reversed().compactMap { definition(at: $0)?.name }
            return FunctionComplexity(name: (outer + [function.name]).joined(separator: "."), line: function.line,
                                      complexity: 1 + scope.reduce(0) { $0 + decisions(at: $1) })
        }
    }

    /// Decision points outside every function (module and class bodies).
    package var moduleDecisions: Int {
        lines.indices.filter { !isInsideFunction($0) && definition(at: $0)?.kind != .function }
            .reduce(0) { $0 + decisions(at: $1) }
    }

    /// Physical lines that carry code: not blank, not comments, not docstrings. A statement
    /// spanning lines counts each of them.
    package var sourceLineCount: Int {
        var covered = Set<Int>()
        for index in lines.indices where !isDocstring(index) {
            for token in lines[index].tokens {
                let span = token.kind == .string ? token.text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } : 0
                covered.formUnion(token.line...(token.line + span))
            }
        }
        return covered.count
    }

    /// N·log₂(n) over the tokens of every line but docstrings (see ``CodeMetrics``).
    package var halsteadVolume: Double {
        var operators: [String: Int] = [:]
        var operands: [String: Int] = [:]
        for index in lines.indices where !isDocstring(index) {
            for token in lines[index].tokens {
                switch token.kind {
                case .op where [")", "]", "}"].contains(token.text):
                    continue
                case .op:
                    operators[token.text, default: 0] += 1
                case .name where token.isKeyword && !["True", "False", "None"].contains(token.text):
                    operators[token.text, default: 0] += 1
                default:
                    operands[token.text, default: 0] += 1
                }
            }
        }
        let vocabulary = operators.count + operands.count
        let length = operators.values.reduce(0, +) + operands.values.reduce(0, +)
        return vocabulary < 2 ? 0 : Double(length) * log2(Double(vocabulary))
    }

    /// The lines of function `index`'s body, nested functions and classes (and their bodies)
    /// left out.
    private func ownScope(of index: Int) -> [Int] {
        var result: [Int] = []
        var stack = Array(children[index].reversed())
        while let next = stack.popLast() {
            if definition(at: next) != nil { continue }
            result.append(next)
            stack += children[next].reversed()
        }
        return result
    }

    /// The decision points on line `index`.
    private func decisions(at index: Int) -> Int {
        let tokens = lines[index].tokens
        var count = tokens.reduce(0) { $0 + ($1.kind == .name && Self.decisionWords.contains($1.text) ? 1 : 0) }
        // `case` is a soft keyword: a decision only as a clause of a `match` block.
        if tokens.first?.isName("case") == true, let parent = parents[index], lines[parent].tokens.first?.isName("match") == true {
            count += 1
        }
        return count
    }

    private static let decisionWords: Set<String> = ["if", "elif", "for", "while", "except", "and", "or"]
}
