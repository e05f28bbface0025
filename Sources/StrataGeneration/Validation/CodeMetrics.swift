import Foundation

/// Size and complexity of one Python file: what the `complexity` gate judges, and what
/// scoring and reports show.
///
/// - Cyclomatic complexity is McCabe's, per function: 1 plus one per decision point (`if`,
///   `elif`, `for`, `while`, `except`, `and`, `or`, `case`, conditional expressions and the
///   `for`s and `if`s of comprehensions), close to what radon reports (radon also counts the
///   `else` of loops and `try`). A nested function is measured on its own, not in its parent.
/// - The Halstead volume is N·log₂(n) over the file's tokens: keywords and operators are the
///   operators (a bracket pair counts once), names, numbers and strings the operands.
/// - The maintainability index is Visual Studio's normalized form,
///   max(0, (171 − 5.2·ln V − 0.23·G − 16.2·ln L)·100/171), with V the Halstead volume, G the
///   file's total complexity (its functions' plus the decisions outside them) and L its
///   source lines: 100 for an empty file, above 60 for small plain code, under 20 for code
///   that is hard to maintain.
///
/// Docstrings and comments count neither as source lines nor in the volume: documentation
/// does not make code harder to maintain.
public struct CodeMetrics: Codable, Sendable, Equatable {
    /// The file, relative to the node folder.
    public var path: String
    /// Source lines: physical lines that carry code, neither blank, comment nor docstring.
    public var sloc: Int
    /// Functions and methods, nested ones included.
    public var functions: Int
    /// The highest cyclomatic complexity of a function; 0 without functions.
    public var maxComplexity: Int
    /// The mean cyclomatic complexity of the functions; 0 without functions.
    public var meanComplexity: Double
    /// The most complex function, qualified by its class (`NodeXEffect.process`); `nil`
    /// without functions.
    public var mostComplexFunction: String?
    /// The Halstead volume, in bits.
    public var halsteadVolume: Double
    /// The maintainability index, 0–100, higher is better.
    public var maintainabilityIndex: Double

    public init(
        path: String, sloc: Int, functions: Int, maxComplexity: Int, meanComplexity: Double, mostComplexFunction: String?,
        halsteadVolume: Double, maintainabilityIndex: Double
    ) {
        self.path = path
        self.sloc = sloc
        self.functions = functions
        self.maxComplexity = maxComplexity
        self.meanComplexity = meanComplexity
        self.mostComplexFunction = mostComplexFunction
        self.halsteadVolume = halsteadVolume
        self.maintainabilityIndex = maintainabilityIndex
    }

    /// Measures the Python source `text`.
    ///
    /// - Parameters:
    ///   - path: The file's path, carried into the result.
    ///   - text: Python source; it need not be valid (the lexer is tolerant).
    /// - Complexity: O(n) in the length of `text`.
    public init(path: String, text: String) {
        self.init(path: path, source: PythonSource(text))
    }

    init(path: String, source: PythonSource) {
        let functions = source.functionComplexities
        let worst = functions.max { $0.complexity < $1.complexity }
        let total = functions.reduce(0) { $0 + $1.complexity } + source.moduleDecisions
        let volume = source.halsteadVolume
        let sloc = source.sourceLineCount
        self.init(
            path: path,
            sloc: sloc,
            functions: functions.count,
            maxComplexity: worst?.complexity ?? 0,
            meanComplexity: functions.isEmpty ? 0 : Double(functions.reduce(0) { $0 + $1.complexity }) / Double(functions.count),
            mostComplexFunction: worst?.name,
            halsteadVolume: volume,
            maintainabilityIndex: Self.maintainabilityIndex(volume: volume, complexity: total, sloc: sloc)
        )
    }

    /// Visual Studio's normalized maintainability index; volume and lines below 1 count as 1
    /// so that an empty file scores 100.
    static func maintainabilityIndex(volume: Double, complexity: Int, sloc: Int) -> Double {
        let raw = 171 - 5.2 * log(max(volume, 1)) - 0.23 * Double(complexity) - 16.2 * log(Double(max(sloc, 1)))
        return max(0, raw * 100 / 171)
    }

    enum CodingKeys: String, CodingKey {
        case path, sloc, functions
        case maxComplexity = "max_complexity"
        case meanComplexity = "mean_complexity"
        case mostComplexFunction = "most_complex_function"
        case halsteadVolume = "halstead_volume"
        case maintainabilityIndex = "maintainability_index"
    }
}
