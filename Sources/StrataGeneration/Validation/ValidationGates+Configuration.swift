extension ValidationGates {
    /// How the gates run; every field has a default.
    public struct Configuration: Sendable, Equatable {
        /// The interpreter the `syntax` gate runs. Default `nil`: the first `python3` on
        /// `PATH`. When there is none (or this path is not executable) the gate is skipped.
        public var python: String?
        /// How long the interpreter may take to check every file, in seconds, before it is
        /// killed and the gate fails. Default 10.
        public var syntaxTimeout: Double
        /// The highest cyclomatic complexity a function may have. Default 10 (McCabe's own
        /// suggestion, and radon's boundary between "B" and "C").
        public var maxComplexity: Int
        /// The lowest maintainability index (0–100) a file may have. Default 20, Visual
        /// Studio's boundary between green and yellow.
        public var minMaintainability: Double
        /// The gates to run; the others are reported `skipped`. Default: all of them.
        public var gates: Set<ValidationGate>
        /// Whether the `syntax` gate keeps its interpreter running for the next node (a
        /// worker per node checked at once, at most one per core), instead of starting one
        /// per node. Default true: a start costs about 30 ms, a check about 1 ms.
        public var keepsInterpreter: Bool

        /// - Parameters:
        ///   - python: The interpreter for `syntax`; `nil` (default) looks up `python3` on `PATH`.
        ///   - syntaxTimeout: Seconds the interpreter may take (default 10).
        ///   - maxComplexity: The highest complexity of a function (default 10).
        ///   - minMaintainability: The lowest maintainability index of a file (default 20).
        ///   - gates: The gates to run (default all).
        ///   - keepsInterpreter: Whether `syntax` reuses its interpreter (default true).
        public init(
            python: String? = nil, syntaxTimeout: Double = 10, maxComplexity: Int = 10, minMaintainability: Double = 20,
            gates: Set<ValidationGate> = Set(ValidationGate.allCases), keepsInterpreter: Bool = true
        ) {
            self.keepsInterpreter = keepsInterpreter
            self.python = python
            self.syntaxTimeout = syntaxTimeout
            self.maxComplexity = maxComplexity
            self.minMaintainability = minMaintainability
            self.gates = gates
        }

        /// Checks that the values make sense together.
        ///
        /// - Throws: ``GenerationError/invalidArgument(name:value:expected:)`` naming the
        ///   first field out of range.
        public func validate() throws(GenerationError) {
            if !(syntaxTimeout > 0 && syntaxTimeout.isFinite) {
                throw .invalidArgument(name: "syntax timeout", value: "\(syntaxTimeout)", expected: "a positive number of seconds, e.g. 10")
            }
            if maxComplexity < 1 {
                throw .invalidArgument(name: "maximum complexity", value: "\(maxComplexity)", expected: "at least 1 (a function without branches has complexity 1)")
            }
            if !(0...100).contains(minMaintainability) {
                throw .invalidArgument(name: "minimum maintainability", value: "\(minMaintainability)", expected: "a number from 0 to 100")
            }
        }
    }
}
