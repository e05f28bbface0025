import ArgumentParser
import Foundation
import StrataGeneration

extension Strata {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hold generated nodes (or hand-edited ones) to the generator's bar: every gate, the score, the tests.",
            discussion: """
            Finds every node_*/v*/contract.yaml under FOLDER (a node, a feature, or any folder of them), reads each \
            node back from disk, runs the validation gates (syntax, naming, required methods, imports, contract, \
            complexity) and the quality score (without retrieved patterns, so grounding counts 0), then runs \
            `python3 -m pytest FOLDER`. Exits 1 when a gate fails, a score is below --min-quality or a test fails, \
            so a team's CI can keep generated code to the bar after people change it.
            """)

        @Argument(help: "A node folder, a feature folder, or any folder holding them.") var folder: String
        @Option(name: .customLong("min-quality"), help: "Fail a node scoring below this, 0-1.") var minimumQuality: Double = 0
        @Flag(name: .customLong("no-tests"), help: "Skip pytest.") var noTests = false
        @Flag(help: "Print JSON for tools instead of a table.") var json = false

        func validate() throws {
            guard (0...1).contains(minimumQuality) else { throw ValidationError("--min-quality takes 0 to 1; got \(minimumQuality)") }
        }

        func run() throws {
            let nodes = try NodeReader.nodes(under: folder)
            guard !nodes.isEmpty else {
                throw ValidationError("no node under \(folder): a node folder holds <version>/contract.yaml (node_<domain>_<name>_<type>/v1_0_0/)")
            }
            var failed = false
            var rows: [[String: Any]] = []
            for (path, node) in nodes {
                let report = ValidationGates.validate(node)
                let score = QualityScore.score(node, report: report, patterns: [])
                let failures = report.gates.filter { $0.status == .failed }
                failed = failed || !failures.isEmpty || score.value < minimumQuality
                rows.append([
                    "path": path, "class_name": node.contract.className, "quality": score.value,
                    "gates": ["passed": report.passed, "total": report.total],
                    "failures": failures.map { ["gate": $0.name, "detail": $0.detail] },
                ])
                if !json {
                    print("\(failures.isEmpty && score.value >= minimumQuality ? "ok  " : "FAIL") \(node.contract.className)  quality \(format(score.value, digits: 3))  gates \(report.passed)/\(report.total)  \(path)")
                    for failure in failures { print("       \(failure.name): \(failure.detail)") }
                }
            }
            var tests: [String: Any] = ["ran": false]
            if !noTests {
                let outcome = pytest()
                tests = outcome
                failed = failed || (outcome["passed"] as? Bool == false)
                if !json { print("tests: \(outcome["summary"] as? String ?? "")") }
            }
            if json { printJSON(["nodes": rows, "tests": tests, "passed": !failed]) }
            if failed { throw ExitCode(1) }
        }

        /// pytest over the folder: whether it passed and its last line; not run without
        /// python3 and pytest.
        private func pytest() -> [String: Any] {
            guard let python = PythonProcess.locate().map(PythonProcess.interpreter(behind:)) else { return ["ran": false, "summary": "skipped: no python3"] }
            switch PythonProcess.run(python, arguments: ["-m", "pytest", "-q", "-p", "no:cacheprovider", folder], input: Data(), timeout: 600) {
            case let .finished(status, stdout, stderr):
                let output = String(decoding: stdout + stderr, as: UTF8.self)
                if output.contains("No module named pytest") { return ["ran": false, "summary": "skipped: pytest is not installed"] }
                let summary = output.split(separator: "\n").last.map(String.init) ?? ""
                return ["ran": true, "passed": status == 0, "summary": summary]
            case let .timedOut(seconds):
                return ["ran": true, "passed": false, "summary": "ran past \(seconds) s"]
            case let .failedToStart(problem):
                return ["ran": false, "summary": "skipped: \(problem)"]
            }
        }
    }
}
