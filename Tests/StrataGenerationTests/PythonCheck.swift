import Foundation
import StrataGeneration
import Testing

/// Python, when installed, as the judge of generated code.
enum PythonCheck {
    /// The first python3 on PATH, as a shell would run it.
    static let python: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        .split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    static let hasPytest: Bool = {
        guard python != nil else { return false }
        return (try? run(["-c", "import pytest"]).status) == 0
    }()

    /// Runs python3 with `arguments` and `input` on stdin.
    static func run(_ arguments: [String], input: String = "", directory: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(python))
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
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
        try run(["-m", "pytest", "-q", "-p", "no:cacheprovider", directory], directory: directory)
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
