import Foundation

extension ValidationGates {
    /// Every function's cyclomatic complexity and every file's maintainability index against
    /// the configured limits; the worst offender is named first.
    static func complexityGate(_ parsed: ParsedNode, metrics: [CodeMetrics], configuration: Configuration) -> GateResult {
        var tooComplex: [(issue: ValidationIssue, complexity: Int)] = []
        for file in parsed.node.files where file.isPython {
            for function in parsed.sources[file.path]!.functionComplexities where function.complexity > configuration.maxComplexity {
                tooComplex.append((.init(path: file.path, line: function.line,
                                         message: "\(function.name) has cyclomatic complexity \(function.complexity), above the limit of \(configuration.maxComplexity); split it into smaller functions"),
                                   function.complexity))
            }
        }
        let hardToMaintain = metrics.filter { $0.maintainabilityIndex < configuration.minMaintainability }
            .sorted { $0.maintainabilityIndex < $1.maintainabilityIndex }
            .map { ValidationIssue(path: $0.path, message: String(format: "maintainability index %.1f is below the limit of %.1f", $0.maintainabilityIndex, configuration.minMaintainability)) }
        let issues = tooComplex.sorted { $0.complexity > $1.complexity }.map(\.issue) + hardToMaintain
        let worst = metrics.max { $0.maxComplexity < $1.maxComplexity }
        let lowest = metrics.min { $0.maintainabilityIndex < $1.maintainabilityIndex }
        var checked = "Every function is within complexity \(configuration.maxComplexity) and every file within maintainability \(configuration.minMaintainability)"
        if let worst, let name = worst.mostComplexFunction, let lowest {
            checked += String(format: " (most complex: %@ in %@ with %d; least maintainable: %@ at %.1f)", name, worst.path, worst.maxComplexity, lowest.path, lowest.maintainabilityIndex)
        }
        return .from(.complexity, issues: issues, checked: checked + ".")
    }
}
