import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A `strata` process whose standard output is collected line by line while it runs.
final class RunningCLI: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var buffer = Data()

    init(_ arguments: [String]) throws {
        process.executableURL = CLI.executable
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.withLock { self.buffer.append(data) }
        }
        try process.run()
    }

    var lines: [String] {
        lock.withLock { String(decoding: buffer, as: UTF8.self).split(separator: "\n").map(String.init) }
    }

    func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

@Suite struct CrashRecoveryTests {
    /// Records with distinct texts, so no merge hides an id.
    static func writeRecords(_ path: String, count: Int) throws {
        var lines: [String] = []
        for index in 0..<count {
            let text = "def handler_\(index)(request, limit=\(index)):\n    rows = fetch_rows_\(index % 17)(request)\n    return [transform_\(index % 11)(row) for row in rows[:limit]]\n"
            let object: [String: Any] = ["id": "r\(index)", "text": text, "name": "handler_\(index)", "node_type": ["effect", "compute", "reducer"][index % 3], "quality": Double(index % 10) / 10]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func exportedIDs(_ store: String) throws -> [String] {
        let output = try CLI.run("export", "-", "--store", store)
        #expect(output.status == 0, "\(output.stderr)")
        return try output.stdout.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return object["id"] as! String
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func everyAcknowledgedWriteSurvivesKillNine() throws {
        let directory = NSTemporaryDirectory() + "strata-crash-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = directory + "/store"
        let records = directory + "/records.jsonl"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.writeRecords(records, count: 3_000)
        let created = try CLI.run("init", "--store", store, "--dim", "64", "--near-duplicate", "off", "--flush-threshold", "400")
        #expect(created.status == 0, "\(created.stderr)")

        var random = SystemRandomNumberGenerator()
        var acknowledged = 0
        for round in 0..<20 {
            let arguments: [String]
            if round % 5 == 4 {
                // Kill maintenance too: compaction writes and swaps segments.
                arguments = ["compact", "--force", "--store", store]
            } else {
                arguments = ["import", records, "--store", store, "--batch", "40", "--json"]
            }
            let running = try RunningCLI(arguments)
            usleep(UInt32.random(in: 30_000...400_000, using: &random))
            running.kill()
            // The last batch the process reported as committed, if any, is acknowledged.
            for line in running.lines {
                if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let committed = object["committed"] as? Int {
                    acknowledged = max(acknowledged, committed)
                }
            }
            print("round \(round) \(arguments[0]): acknowledged \(acknowledged)")
            let verify = try CLI.run("verify", "--store", store)
            #expect(verify.status == 0, "round \(round): \(verify.stdout) \(verify.stderr)")
            let ids = try Self.exportedIDs(store)
            #expect(Set(ids).count == ids.count, "round \(round): duplicate ids")
            let present = Set(ids)
            let missing = (0..<acknowledged).filter { !present.contains("r\($0)") }
            #expect(missing.isEmpty, "round \(round): \(missing.count) acknowledged records lost, first r\(missing.first ?? -1)")
        }
        let finished = try CLI.run("import", records, "--store", store, "--batch", "500")
        #expect(finished.status == 0, "\(finished.stderr)")
        let ids = try Self.exportedIDs(store)
        #expect(ids.count == 3_000)
        #expect(Set(ids).count == 3_000)
        #expect(try CLI.run("verify", "--store", store).status == 0)
    }
}
