import Foundation
import StrataGeneration
import Testing

/// Python, when installed, as the judge of generated code.
enum PythonCheck {
    /// The interpreter the syntax gate runs: the first python3 on PATH, behind any shim.
    static let python: String? = PythonProcess.locate().map(PythonProcess.interpreter(behind:))

    static let hasPytest: Bool = {
        guard python != nil else { return false }
        return (try? run(["-c", "import pytest"]).status) == 0
    }()

    /// Runs python3 with `arguments` and `input` on stdin; the output is stdout then stderr.
    static func run(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String) {
        switch PythonProcess.run(try #require(python), arguments: arguments, input: Data(input.utf8), timeout: 120) {
        case let .finished(status, stdout, stderr):
            return (status, String(decoding: stdout + stderr, as: UTF8.self))
        case let .timedOut(seconds):
            return (-1, "python3 \(arguments) ran past \(seconds) s")
        case let .failedToStart(problem):
            return (-1, problem)
        }
    }

    /// Every Python file of `node` parses with `ast`; the failure names the file and line.
    static func parse(_ node: RenderedNode, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard python != nil else { return }
        let files = node.files.filter(\.isPython).map { ["path": $0.path, "text": $0.text] }
        let input = String(decoding: try JSONSerialization.data(withJSONObject: files), as: UTF8.self)
        let script = """
            import ast, json, sys
            for f in json.load(sys.stdin):
                try:
                    ast.parse(f["text"], f["path"])
                except SyntaxError as e:
                    print(f"{f['path']}:{e.lineno}: {e.msg}: {e.text!r}")
            """
        let result = try run(["-c", script], input: input)
        #expect(result.status == 0 && result.output.isEmpty, "\(node.intent.folderName): \(result.output)", sourceLocation: sourceLocation)
    }

    /// pytest over every node under `directory`.
    static func pytest(_ directory: String) throws -> (status: Int32, output: String) {
        try run(["-m", "pytest", "-q", "-p", "no:cacheprovider", directory])
    }
}

/// A folder removed when the value goes away.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "strata-generation-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
