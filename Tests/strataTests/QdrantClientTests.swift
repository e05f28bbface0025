import Foundation
import Testing

/// The official Python client, qdrant-client from PyPI, in REST mode against `strata serve`:
/// collections, upserts of 1,000 points, filtered and unfiltered queries with recall against
/// exact cosine, retrieve, scroll through every page, count, delete by filter and by id,
/// collection info, and a Qdrant-shaped error (`qdrant_client_check.py` says each step).
@Suite struct QdrantClientTests {
    /// The client version the subset is tested with.
    static let clientVersion = "1.20.0"

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Runs a program to its end; its status and both outputs.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A virtual environment under `.build/` with the client installed (made once, reused).
    static func clientPython() throws -> String {
        let environment = packageRoot + "/.build/qdrant-client-\(clientVersion)"
        let python = environment + "/bin/python"
        if FileManager.default.fileExists(atPath: python), try run(python, ["-c", "import qdrant_client"]).status == 0 {
            return python
        }
        let made = try run("/usr/bin/env", ["python3", "-m", "venv", "--clear", environment])
        #expect(made.status == 0, "python3 -m venv failed (install python3-venv): \(made.output)")
        let installed = try run(environment + "/bin/pip", ["install", "--disable-pip-version-check", "-q", "qdrant-client==\(clientVersion)"])
        #expect(installed.status == 0, "pip install qdrant-client failed: \(installed.output)")
        return python
    }

    @Test(.timeLimit(.minutes(5)))
    func officialClientWorksAgainstServe() async throws {
        let python = try Self.clientPython()
        let store = NSTemporaryDirectory() + "strata-qdrant-client-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: store) }
        #expect(try CLI.run("init", "--store", store, "--dim", "64").status == 0)
        let port = ServeCrashTests.freePort()
        let server = try RunningCLI(["serve", "--store", store, "--port", "\(port)"])
        defer { server.kill() }
        try await ServeCrashTests.waitUntilServing("http://127.0.0.1:\(port)")
        let check = try Self.run(python, [Self.packageRoot + "/Tests/strataTests/qdrant_client_check.py", "http://127.0.0.1:\(port)"])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("ok: all qdrant-client checks passed"), "\(check.output)")
    }
}
