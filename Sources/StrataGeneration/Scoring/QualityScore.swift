import Foundation

/// A node's quality, 0–1: a weighted sum of named dimensions, each with the evidence behind
/// its value in plain words.
///
/// | dimension | weight | 1.0 means |
/// |---|---|---|
/// | `gates` | 0.30 | every validation gate that ran passed |
/// | `contract` | 0.15 | the contract gate found nothing to fix |
/// | `maintainability` | 0.15 | node.py's maintainability index is 40 or more (0 at 10); radon ranks 20 and up "A" |
/// | `complexity` | 0.10 | no function of node.py above 5 branches (0 at 15) |
/// | `tests` | 0.10 | at least 3 generated tests plus one per operation |
/// | `documentation` | 0.05 | every class and function of node.py has a docstring |
/// | `grounding` | 0.15 | a retrieved pattern of the same type as close as the same node, of quality 1 |
///
/// Grounding is how much proven code the node stands on: the nearest same-type pattern's
/// similarity, scaled over `groundingSimilarity` (its low end: nothing in common; its high
/// end: the same node), times the mean of 0.5 and the pattern's quality. It is why a store
/// that has learned from earlier generations scores the next ones higher.
public struct QualityScore: Sendable, Equatable {
    public struct Dimension: Sendable, Equatable {
        public var name: String
        public var weight: Double
        /// 0–1.
        public var value: Double
        /// The evidence, e.g. "6 of 6 gates passed".
        public var explanation: String

        /// `weight × value`: what the dimension adds to the score.
        public var contribution: Double { weight * value }
    }

    public var dimensions: [Dimension]

    /// The weighted sum, 0–1.
    public var value: Double { dimensions.reduce(0) { $0 + $1.contribution } }

    public init(dimensions: [Dimension]) {
        self.dimensions = dimensions
    }

    /// The dimension named `name`, or `nil`.
    public func dimension(_ name: String) -> Dimension? { dimensions.first { $0.name == name } }
}

extension QualityScore {
    /// Scores a validated node.
    ///
    /// - Parameters:
    ///   - patterns: the retrieved patterns; only those of the node's type count for grounding.
    public static func score(
        _ node: RenderedNode, report: ValidationReport, patterns: [RetrievedPattern], groundingSimilarity: ClosedRange<Double> = 0.2...0.5
    ) -> QualityScore {
        let ran = report.gates.filter { $0.status != .skipped }
        let passed = ran.filter { $0.status == .passed }.count
        let skipped = report.gates.filter { $0.status == .skipped }.map(\.name)
        let gates = Dimension(
            name: "gates", weight: 0.30, value: ran.isEmpty ? 0 : Double(passed) / Double(ran.count),
            explanation: "\(passed) of \(ran.count) gates passed" + (skipped.isEmpty ? "" : "; skipped: \(skipped.joined(separator: ", "))"))

        let contractGate = report.gates.first { $0.gate == .contract }
        let problems = contractGate?.issues.count ?? 0
        let promises = node.contract.actions.count + node.contract.input.fields.count + node.contract.output.fields.count + node.contract.publishes.count
        let contract = Dimension(
            name: "contract", weight: 0.15,
            value: contractGate?.status == .passed ? 1 : max(0, 1 - Double(max(problems, 1)) / Double(max(promises, 1))),
            explanation: contractGate?.status == .passed ? "code and contract.yaml agree on all \(promises) promises"
                : "\(max(problems, 1)) of \(promises) promises of the contract are not kept")

        let metrics = report.metrics.first { $0.path == node.nodePath }
        let index = metrics?.maintainabilityIndex ?? 0
        let maintainability = Dimension(
            name: "maintainability", weight: 0.15, value: clamp((index - 10) / 30),
            explanation: String(format: "node.py's maintainability index is %.0f (0 at 10, 40 or more counts in full)", index))

        let branches = metrics?.maxComplexity ?? 0
        let complexity = Dimension(
            name: "complexity", weight: 0.10, value: metrics == nil ? 0 : clamp(Double(15 - branches) / 10),
            explanation: metrics.map { "the most complex function, \($0.mostComplexFunction ?? "-"), has cyclomatic complexity \(branches) (5 or less counts in full)" }
                ?? "node.py was not measured")

        let testText = node.files.first { $0.path.hasSuffix("tests/test_node.py") }?.text ?? ""
        let testCount = testText.components(separatedBy: "\ndef test_").count - 1
        let wanted = 3 + node.contract.actions.count
        let tests = Dimension(
            name: "tests", weight: 0.10, value: clamp(Double(testCount) / Double(wanted)),
            explanation: "\(testCount) generated tests for \(node.contract.actions.count) operations (\(wanted) count in full)")

        let code = node.file(node.nodePath)?.text ?? ""
        let documented = docstringCoverage(code)
        let documentation = Dimension(
            name: "documentation", weight: 0.05, value: documented.total == 0 ? 0 : Double(documented.withDocstring) / Double(documented.total),
            explanation: "\(documented.withDocstring) of \(documented.total) classes and functions of node.py have a docstring")

        let sameType = patterns.filter { $0.nodeType == node.contract.nodeType }.max { $0.similarity < $1.similarity }
        let grounding = Dimension(
            name: "grounding", weight: 0.15,
            value: sameType.map {
                clamp(($0.similarity - groundingSimilarity.lowerBound) / (groundingSimilarity.upperBound - groundingSimilarity.lowerBound))
                    * (0.5 + 0.5 * clamp($0.quality))
            } ?? 0,
            explanation: sameType.map { String(format: "nearest %@ pattern %@ at similarity %.2f, quality %.2f", node.contract.nodeType.rawValue, $0.id, $0.similarity, $0.quality) }
                ?? "no \(node.contract.nodeType.rawValue) pattern was retrieved")

        return QualityScore(dimensions: [gates, contract, maintainability, complexity, tests, documentation, grounding])
    }

    private static func clamp(_ value: Double) -> Double { min(1, max(0, value)) }

    /// Classes and functions and how many open with a docstring, read by the validation
    /// gates' Python structure reader.
    static func docstringCoverage(_ code: String) -> (withDocstring: Int, total: Int) {
        let source = PythonSource(code)
        let definitions = source.lines.indices.filter { source.definition(at: $0) != nil }
        let documented = definitions.filter { source.children[$0].first.map(source.isDocstring) ?? false }
        return (documented.count, definitions.count)
    }
}
