import Foundation
import StrataIndex
import StrataStore

// The scale-out targets, measured in one process against a PostgreSQL server:
//
//   search   the same store (same vectors, same metadata) searched through an embedded
//            SQLite catalog and through a replica over PostgreSQL, alternating rounds;
//   lag      a writer replica adds patterns at a fixed rate while a second replica searches
//            for each one until it finds it: commit to searchable, per write;
//   failover the maintainer replica closes its connections (as a killed process does) and
//            the time until the other holds the maintainer lock.
//
// strata-replication-bench --catalog postgres://user@host:port/db [--patterns 25000] [--dim 384]
//     [--queries 500] [--rounds 5] [--rate 200] [--seconds 20] [--failovers 5]

struct Arguments {
    var catalog = ""
    var patterns = 25_000
    var dimension = 384
    var queries = 500
    var rounds = 5
    var rate = 200.0
    var seconds = 20.0
    var failovers = 5

    init() {
        var iterator = CommandLine.arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { fatalError("\(flag) needs a value") }
            switch flag {
            case "--catalog": catalog = value
            case "--patterns": patterns = Int(value)!
            case "--dim": dimension = Int(value)!
            case "--queries": queries = Int(value)!
            case "--rounds": rounds = Int(value)!
            case "--rate": rate = Double(value)!
            case "--seconds": seconds = Double(value)!
            case "--failovers": failovers = Int(value)!
            default: fatalError("unknown option \(flag)")
            }
        }
        if catalog.isEmpty { fatalError("--catalog postgres://… is required") }
    }
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

func row(_ vectors: VectorSet, _ index: Int) -> [Float] {
    Array(vectors.values[index * vectors.dimension..<(index + 1) * vectors.dimension])
}

func pattern(_ index: Int, _ vector: [Float], prefix: String = "p") -> NewPattern {
    let types: [NodeType] = [.effect, .compute, .reducer, .orchestrator]
    return NewPattern(
        id: "\(prefix)\(index)", text: "def handler_\(prefix)_\(index)(request):\n    return fetch_\(index % 97)(request, limit=\(index))\n",
        name: "handler_\(index)", nodeType: types[index % 4], domain: index % 2 == 0 ? "database" : "http", language: "python",
        tags: index % 3 == 0 ? ["io", "db"] : ["pure"], quality: Double(index % 10) / 10, vector: vector,
        payload: #"{"team":"t\#(index % 5)","n":\#(index)}"#)
}

let arguments = Arguments()
let folder = NSTemporaryDirectory() + "strata-replication-bench-\(UUID().uuidString.prefix(8))"
defer { try? FileManager.default.removeItem(atPath: folder) }
let schema = "bench_" + UUID().uuidString.prefix(8).lowercased()
let shared = CatalogLocation.postgres(url: arguments.catalog + (arguments.catalog.contains("?") ? "&" : "?") + "schema=" + schema)
var configuration = StoreConfiguration()
configuration.dimension = arguments.dimension
configuration.nearDuplicateSimilarity = nil
let data = SyntheticDataset(dimension: arguments.dimension, centres: 200, seed: 7)
let base = data.base(count: arguments.patterns)
let queries = data.queries(count: arguments.queries)

// MARK: search latency, embedded against replica

print("building two stores of \(arguments.patterns) patterns (\(arguments.dimension)-d): SQLite, and PostgreSQL (\(shared))")
let embedded = try PatternStore.create(at: folder + "/sqlite", configuration: configuration, embedder: nil, settings: .external(identifier: "bench"))
try PatternStore.create(at: folder + "/shared", catalog: shared, configuration: configuration, embedder: nil, settings: .external(identifier: "bench")).close()
let writer = try PatternStore.open(at: folder + "/shared", follow: true)
for start in stride(from: 0, to: arguments.patterns, by: 5_000) {
    let batch = (start..<min(start + 5_000, arguments.patterns)).map { pattern($0, row(base, $0)) }
    _ = try embedded.add(batch)
    _ = try writer.add(batch)
}
let replica = try PatternStore.open(at: folder + "/shared", follow: true)

var perStore: [String: [Double]] = ["sqlite": [], "postgres": []]
var roundMedians: [String: [Double]] = ["sqlite": [], "postgres": []]
for round in 0..<arguments.rounds {
    let order = round % 2 == 0 ? [("sqlite", embedded), ("postgres", replica)] : [("postgres", replica), ("sqlite", embedded)]
    for (name, store) in order {
        var times: [Double] = []
        for query in 0..<arguments.queries {
            let started = DispatchTime.now().uptimeNanoseconds
            _ = try store.search(SearchRequest(query: .vector(row(queries, query)), k: 10))
            times.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000)
        }
        perStore[name]! += times
        roundMedians[name]!.append(median(times))
    }
}
let sqliteMedian = median(roundMedians["sqlite"]!), postgresMedian = median(roundMedians["postgres"]!)
print(String(format: "search k=10, %d queries x %d rounds, median of round medians: SQLite %.0f µs, PostgreSQL replica %.0f µs (ratio %.3f); p99 %.0f / %.0f µs",
             arguments.queries, arguments.rounds, sqliteMedian, postgresMedian, postgresMedian / sqliteMedian,
             percentile(perStore["sqlite"]!, 0.99), percentile(perStore["postgres"]!, 0.99)))
try embedded.close()

// MARK: replication lag under a steady write rate

final class Pending: @unchecked Sendable {
    let lock = NSLock()
    var items: [(id: String, vector: [Float], committed: DispatchTime)] = []
    var done = false
}
let pending = Pending()
let total = Int(arguments.rate * arguments.seconds)
let fresh = data.queries(count: total + arguments.queries).values
print("writing \(total) patterns at \(Int(arguments.rate))/s through one replica; the other searches for each")
let writerThread = Thread {
    let start = DispatchTime.now().uptimeNanoseconds
    for index in 0..<total {
        // Paced by schedule, not by sleep after each write: a slow write does not lower the rate.
        let due = start + UInt64(Double(index) / arguments.rate * 1e9)
        while DispatchTime.now().uptimeNanoseconds < due { usleep(200) }
        let vector = Array(fresh[(arguments.queries + index) * arguments.dimension..<(arguments.queries + index + 1) * arguments.dimension])
        do {
            try writer.add(pattern(index, vector, prefix: "w"))
        } catch {
            print("write \(index) failed: \(error)")
            continue
        }
        let committed = DispatchTime.now()
        pending.lock.withLock { pending.items.append(("w\(index)", vector, committed)) }
    }
    pending.lock.withLock { pending.done = true }
}
var lags: [Double] = []
var lost = 0
writerThread.start()
var next = 0
while true {
    let (item, finished) = pending.lock.withLock { () -> ((id: String, vector: [Float], committed: DispatchTime)?, Bool) in
        (next < pending.items.count ? pending.items[next] : nil, pending.done && next >= pending.items.count)
    }
    if finished { break }
    guard let item else { usleep(200); continue }
    next += 1
    var seen: Double?
    while seen == nil {
        let hits = try replica.search(SearchRequest(query: .vector(item.vector), k: 3)).hits
        let now = DispatchTime.now().uptimeNanoseconds
        if hits.contains(where: { $0.pattern.id == item.id }) {
            seen = Double(now - item.committed.uptimeNanoseconds) / 1e9
        } else if Double(now - item.committed.uptimeNanoseconds) > 10e9 {
            lost += 1
            break
        } else {
            usleep(100)
        }
    }
    if let seen { lags.append(seen) }
}
print(String(format: "lag (commit on one replica → found by search on the other), %d writes: p50 %.1f ms, p99 %.1f ms, max %.1f ms; not found within 10 s: %d",
             lags.count, median(lags) * 1000, percentile(lags, 0.99) * 1000, (lags.max() ?? .nan) * 1000, lost))

// MARK: maintainer failover

var current = (writer, replica)
var failovers: [Double] = []
for _ in 0..<arguments.failovers {
    let (a, b) = current
    let start = Date()
    while a.replicationStatus?.isMaintainer != true && b.replicationStatus?.isMaintainer != true {
        if Date().timeIntervalSince(start) > 10 { fatalError("no maintainer within 10 s") }
        usleep(10_000)
    }
    let (holder, other) = a.replicationStatus?.isMaintainer == true ? (a, b) : (b, a)
    try holder.close()
    let lost = Date()
    while other.replicationStatus?.isMaintainer != true {
        if Date().timeIntervalSince(lost) > 30 { fatalError("no takeover within 30 s") }
        usleep(5_000)
    }
    failovers.append(Date().timeIntervalSince(lost))
    current = (other, try PatternStore.open(at: folder + "/shared", follow: true))
}
print(String(format: "maintainer failover (holder's connections closed → other holds the lock), %d runs: median %.2f s, max %.2f s",
             failovers.count, median(failovers), failovers.max() ?? .nan))
try current.0.close()
try current.1.close()
