import Foundation
import StrataIndex
import Testing

/// Runs the built `strata` binary, as a user would.
struct CLI {
    static let executable: URL = {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return me.deletingLastPathComponent().appendingPathComponent("strata")
    }()

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: String...) throws -> Output {
        try run(arguments, environment: [:])
    }

    /// Runs with `environment` added to this process's.
    static func run(_ arguments: [String], environment: [String: String]) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite final class CLITests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "strata-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    @Test func versionNamesTheBLASAndItsThreads() throws {
        let output = try CLI.run("version")
        #expect(output.status == 0)
        #expect(output.stdout.contains("blas: OpenBLAS"))
        #expect(output.stdout.contains("threads per call: 1"))
        #expect(output.stdout.contains("simd: "))
    }

    @Test func helpListsTheCommands() throws {
        let output = try CLI.run("--help")
        #expect(output.status == 0)
        for command in ["version", "bench", "verify"] { #expect(output.stdout.contains("  \(command)")) }
    }

    @Test func benchWritesTheJSONContract() throws {
        let json = directory + "/bench.json"
        let output = try CLI.run("bench", "--synthetic", "1500", "--dim", "16", "--queries", "50", "--ef", "16,64",
                                 "--m", "8", "--ef-construction", "64", "--threads", "2", "--passes", "1", "--json", json, "--quiet")
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("recall@10"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any]
        for key in ["n", "dim", "metric", "m", "ef_construction", "build", "memory", "open", "exact", "search"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["n"] as? Int == 1500)
        #expect((object["build"] as! [String: Any]).keys.sorted() == ["seconds", "threads"])
        #expect(Set((object["memory"] as! [String: Any]).keys) == ["bytes", "file_bytes"])
        #expect(Set((object["open"] as! [String: Any]).keys).isSuperset(of: ["ms", "first_query_ms"]))
        #expect((object["exact"] as! [String: Any])["qps_batch"] as! Double > 0)
        let search = object["search"] as! [[String: Any]]
        #expect(search.map { $0["ef"] as! Int } == [16, 64])
        for key in ["ef", "recall_at_10", "qps", "p50_us", "p95_us", "p99_us", "qps_batch"] { #expect(search[1][key] != nil, "missing search.\(key)") }
        #expect(search[1]["recall_at_10"] as! Double >= 0.9)
        #expect(object["segment_matches_graph"] as? Bool == true)
    }

    @Test func benchReadsFilesAndRejectsBadInput() throws {
        let data = SyntheticDataset(dimension: 8, centres: 4, seed: 2)
        try TexmexFile.write(data.base(count: 400), to: directory + "/b.fvecs")
        try NumpyFile.write(data.queries(count: 20), to: directory + "/q.npy")
        let ok = try CLI.run("bench", "--base", directory + "/b.fvecs", "--query", directory + "/q.npy", "--ef", "32", "--passes", "1", "--quiet")
        #expect(ok.status == 0, "\(ok.stderr)")
        let missing = try CLI.run("bench")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("give --base and --query files, or --synthetic N"))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: directory + "/bad.fvecs"))
        let bad = try CLI.run("bench", "--base", directory + "/bad.fvecs", "--query", directory + "/q.npy")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("bad.fvecs"))
    }

    @Test func verifyAcceptsASoundSegmentAndNamesTheProblemInABadOne() throws {
        let graph = try HNSWGraph(configuration: HNSWConfiguration(dimension: 8, m: 4))
        let vectors = SyntheticDataset(dimension: 8, centres: 3, seed: 1).base(count: 300)
        try graph.insert(contentsOf: vectors.values, ids: (0..<300).map { UInt64($0) })
        let good = directory + "/good.segment"
        try graph.writeSegment(to: good)
        let ok = try CLI.run("verify", good)
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("ok — 300 live of 300 slots"))

        var bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        bytes[bytes.count - 400] ^= 0x40
        let bad = directory + "/bad.segment"
        try bytes.write(to: URL(fileURLWithPath: bad))
        let failed = try CLI.run("verify", bad)
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("bad.segment: section"))
        #expect(failed.stdout.contains("checksum mismatch"))

        let missing = try CLI.run("verify", directory + "/none.segment")
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("none.segment"))
    }
}
