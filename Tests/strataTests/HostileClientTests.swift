import Foundation
import Testing

/// `strata serve` against careless and hostile clients (`Tests/hostile-clients.py`): 40
/// malformed requests sent by Python's urllib, the 64 MiB body among them, and two trickling
/// connections. No 5xx, no hung or dropped request, trickles cut on time, the store unchanged.
@Suite struct HostileClientTests {
    @Test(.timeLimit(.minutes(2)))
    func malformedAndTricklingClientsGetAnswersAndChangeNothing() async throws {
        let store = NSTemporaryDirectory() + "strata-hostile-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: store) }
        #expect(try CLI.run("init", "--store", store, "--dim", "64").status == 0)
        let config = store + "/serve.yaml"
        try "header_timeout: 2\nbody_timeout: 3\nlinger_seconds: 5\n".write(toFile: config, atomically: true, encoding: .utf8)

        let port = ServeCrashTests.freePort()
        let base = "http://127.0.0.1:\(port)"
        let server = try RunningCLI(["serve", "--store", store, "--port", "\(port)", "--config", config])
        defer { server.kill() }
        try await ServeCrashTests.waitUntilServing(base)
        #expect(await ServeCrashTests.request(base + "/v1/patterns", method: "POST", body: ["text": "def keep(): return 1"])?.status == 201)

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("hostile-clients.py").path
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", script, base, "2", "3"]
        let output = Pipe()
        python.standardOutput = output
        python.standardError = output
        try python.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        #expect(python.terminationStatus == 0, "\(text)")
        #expect(text.contains("40 malformed requests, 2 trickling connections: 0 failures"), "\(text)")
    }
}
