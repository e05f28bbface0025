import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

#if canImport(Glibc)
import Glibc
#endif

/// `strata serve` killed with SIGKILL while clients write: every write it acknowledged with a
/// 2xx is there after a restart.
@Suite struct ServeCrashTests {
    /// A port the kernel says is free now.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func request(_ url: String, method: String = "GET", body: Any? = nil) async -> (status: Int, data: Data)? {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = 5
        if let body {
            request.httpBody = try? JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        guard let (data, response) = try? await URLSession.shared.data(for: request) else { return nil }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    static func waitUntilServing(_ base: String) async throws {
        for _ in 0..<200 {
            if await request(base + "/healthz")?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("strata serve did not answer /healthz within 10 s")
    }

    @Test(.timeLimit(.minutes(3)))
    func everyAcknowledgedWriteSurvivesKillNine() async throws {
        let store = NSTemporaryDirectory() + "strata-serve-crash-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: store) }
        // Near-duplicate merging off: the generated texts differ in names only, and each must stay its own pattern.
        #expect(try CLI.run("init", "--store", store, "--dim", "64", "--near-duplicate", "off").status == 0)

        var acknowledged = Set<String>()
        for round in 0..<3 {
            let port = Self.freePort()
            let base = "http://127.0.0.1:\(port)"
            let server = try RunningCLI(["serve", "--store", store, "--port", "\(port)"])
            try await Self.waitUntilServing(base)
            // Two writers, each posting small batches until the server dies under them. A writer
            // goes on past the deadline until it has seven acknowledged batches: on a loaded
            // machine, or in a coverage build, a round's time holds fewer, and the test must have
            // written enough (at least 210 over the rounds) to mean something.
            let deadline = ContinuousClock.now + .milliseconds(400 + 300 * round)
            let lastChance = ContinuousClock.now + .seconds(30)
            let written = await withTaskGroup(of: [String].self) { group in
                for writer in 0..<2 {
                    group.addTask {
                        var ids: [String] = []
                        var batch = 0
                        while ContinuousClock.now < deadline || (ids.count < 35 && ContinuousClock.now < lastChance) {
                            let batchIDs = (0..<5).map { "r\(round)-w\(writer)-b\(batch)-\($0)" }
                            let patterns = batchIDs.enumerated().map { offset, id in
                                let n = batch * 5 + offset
                                return ["id": id, "node_type": "effect", "text": """
                                    def handler_\(id.replacingOccurrences(of: "-", with: "_"))(request, limit=\(n)):
                                        rows = fetch_rows_\(n % 17)_\(writer)(request, table_\(n % 13))
                                        return [transform_\(n % 11)(row, scale_\(round)) for row in rows[:limit]]
                                    """]
                            }
                            // The ids the server says hold the patterns (a near-duplicate merges into another).
                            if let answer = await Self.request(base + "/v1/patterns", method: "POST", body: ["patterns": patterns]),
                               (200..<300).contains(answer.status),
                               let object = try? JSONSerialization.jsonObject(with: answer.data) as? [String: Any],
                               let stored = object["ids"] as? [String] {
                                ids += stored
                            }
                            batch += 1
                        }
                        return ids
                    }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
            acknowledged.formUnion(written)
            server.kill()
            #expect(!written.isEmpty, "round \(round): no write was acknowledged")
        }

        let port = Self.freePort()
        let base = "http://127.0.0.1:\(port)"
        let server = try RunningCLI(["serve", "--store", store, "--port", "\(port)"])
        try await Self.waitUntilServing(base)
        var missing: [String] = []
        for id in acknowledged.sorted() where await Self.request(base + "/v1/patterns/\(id)")?.status != 200 {
            missing.append(id)
        }
        server.kill()
        #expect(acknowledged.count >= 200, "only \(acknowledged.count) writes were acknowledged")
        #expect(missing.isEmpty, "\(missing.count) of \(acknowledged.count) acknowledged writes are gone: \(missing.prefix(5))")
        let verify = try CLI.run("verify", "--store", store)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }
}
