import Foundation
import StrataIndex
import Testing

@Suite struct ClusterCLITests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "strata-cluster-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func object(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] ?? [:]
    }

    /// A float32 `.npy` file (format 1.0), as NumPy writes one.
    static func writeNumpy(_ set: VectorSet, to path: String) throws {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(set.count), \(set.dimension)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        data.append(contentsOf: [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(contentsOf: Array(header.utf8))
        set.values.withUnsafeBytes { data.append(contentsOf: $0) }
        try data.write(to: URL(fileURLWithPath: path))
    }

    @Test func vectorsGiveExactlyTheSummaryKeysAndAnInertiaTheCentroidsReproduce() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let set = SyntheticDataset(dimension: 16, centres: 10, seed: 7).base(count: 1_500)
        try TexmexFile.write(set, to: directory + "/base.fvecs")
        try Self.writeNumpy(set, to: directory + "/base.npy")

        let run = try CLI.run("cluster", "--vectors", directory + "/base.fvecs", "--k", "8", "--max-iter", "25", "--seed", "1",
                              "--json", directory + "/out.json", "--centroids", directory + "/centroids.fvecs")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("k 8  n 1500"))
        let summary = try object(directory + "/out.json")
        #expect(Set(summary.keys) == ["k", "n", "iterations", "seconds", "inertia", "sizes"])
        #expect(summary["k"] as? Int == 8 && summary["n"] as? Int == 1_500)
        let iterations = try #require(summary["iterations"] as? Int)
        #expect((1...25).contains(iterations))
        #expect((summary["seconds"] as? Double ?? -1) >= 0)
        let sizes = try #require(summary["sizes"] as? [Int])
        let inertia = try #require(summary["inertia"] as? Double)

        // Every vector's squared distance to its nearest centroid, summed: what --json claims.
        let centroids = try TexmexFile.readFloats(directory + "/centroids.fvecs")
        #expect(centroids.count == 8 && centroids.dimension == 16)
        var recomputed = 0.0
        var counts = [Int](repeating: 0, count: 8)
        for row in 0..<set.count {
            let vector = set.values[row * 16 ..< (row + 1) * 16]
            let distances = (0..<8).map { c in
                zip(vector, centroids.values[c * 16 ..< (c + 1) * 16]).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
            }
            let nearest = distances.indices.min { distances[$0] < distances[$1] }!
            recomputed += distances[nearest]
            counts[nearest] += 1
        }
        #expect(abs(recomputed - inertia) <= 1e-4 * max(inertia, 1), "inertia \(inertia), recomputed \(recomputed)")
        #expect(counts == sizes)

        // The same floats from a .npy file cluster the same way.
        let numpy = try CLI.run("cluster", "--vectors", directory + "/base.npy", "--k", "8", "--max-iter", "25", "--seed", "1", "--json", directory + "/npy.json")
        #expect(numpy.status == 0, "\(numpy.stderr)")
        let fromNumpy = try object(directory + "/npy.json")
        #expect(fromNumpy["sizes"] as? [Int] == sizes)
        #expect(fromNumpy["inertia"] as? Double == inertia)

        // Without --k, k is one of the silhouette candidates.
        let chosen = try CLI.run("cluster", "--vectors", directory + "/base.npy", "--json", directory + "/chosen.json")
        #expect(chosen.status == 0, "\(chosen.stderr)")
        #expect(chosen.stdout.contains("silhouette"))
        #expect([4, 6, 8, 12, 16, 24, 32, 48, 64].contains(try object(directory + "/chosen.json")["k"] as? Int ?? 0))
    }

    @Test func aStoreReportIsWrittenRecordedAndListed() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = directory + "/store"
        let records = directory + "/patterns.jsonl"
        let bodies = [
            ("logging", { (i: Int) in "def log_event_\(i)(logger, event):\n    logger.info(\"event %s\", event.name)\n    logger.debug(\"payload %r\", event.payload)\n" }),
            ("sorting", { (i: Int) in "def sort_items_\(i)(items):\n    ordered = sorted(items, key=lambda item: item.rank)\n    return list(reversed(ordered))\n" }),
            ("sockets", { (i: Int) in "def open_socket_\(i)(host, port):\n    sock = socket.create_connection((host, port), timeout=3)\n    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)\n    return sock\n" }),
        ]
        var lines: [String] = []
        for (domain, body) in bodies {
            for i in 0..<40 {
                let record: [String: Any] = ["id": "\(domain)-\(i)", "text": body(i), "name": "\(domain)_\(i)", "domain": domain, "node_type": "compute", "quality": 0.6]
                lines.append(String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self))
            }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: records, atomically: true, encoding: .utf8)
        #expect(try CLI.run("init", "--store", store, "--dim", "128", "--near-duplicate", "off").status == 0)
        #expect(try CLI.run("import", records, "--store", store).status == 0)

        let first = try CLI.run("cluster", "--store", store, "--k", "3", "--report", directory + "/report.html", "--json", directory + "/report.json")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("clustered 120 patterns into 3 clusters (spherical k-means"))
        #expect(first.stdout.contains("run #1"))
        #expect(first.stderr.contains("timings: snapshot"))
        let html = try String(contentsOfFile: directory + "/report.html", encoding: .utf8)
        #expect(html.contains("<svg id=\"map\""))
        let report = try object(directory + "/report.json")
        #expect(report["run_id"] as? Int == 1)
        #expect(report["changes"] is NSNull)
        #expect((report["clusters"] as? [[String: Any]])?.map { $0["size"] as? Int } == [40, 40, 40])

        let second = try CLI.run("cluster", "--store", store, "--k", "3", "--json", directory + "/again.json")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("since run #1: 0 moved, 0 new, 0 gone"))
        let changes = try #require(try object(directory + "/again.json")["changes"] as? [String: Any])
        #expect(changes["previous_run_id"] as? Int == 1)
        #expect(changes["moved"] as? Int == 0)

        let history = try CLI.run("cluster", "--store", store, "--history", "--json", directory + "/history.json")
        #expect(history.status == 0, "\(history.stderr)")
        let rows = history.stdout.split(separator: "\n")
        #expect(rows.count == 3 && rows[1].hasPrefix("#2") && rows[2].hasPrefix("#1"), "\(history.stdout)")
        #expect((try object(directory + "/history.json")["runs"] as? [[String: Any]])?.map { $0["id"] as? Int } == [2, 1])

        let mixed = try CLI.run("cluster", "--vectors", directory + "/x.fvecs", "--report", directory + "/r.html")
        #expect(mixed.status != 0)
        #expect(mixed.stderr.contains("--vectors clusters a file"))
        let filtered = try CLI.run("cluster", "--store", store, "--filter", "domain=nowhere", "--k", "2")
        #expect(filtered.status != 0)
        #expect(filtered.stderr.contains("patterns to cluster matching 'domain=nowhere'"))
    }
}
