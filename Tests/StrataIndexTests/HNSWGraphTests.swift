import Foundation
import StrataIndex
import StrataKernels
import Testing

@Suite struct HNSWGraphTests {
    @Test(arguments: [Metric.cosine, .innerProduct, .l2])
    func recallAgainstExactSearch(metric: Metric) throws {
        let fixture = ClusteredFixture(metric: metric)
        let graph = try fixture.graph()
        #expect(graph.count == fixture.base.count)
        // Distances are reported in the metric's own terms, so they match exact search.
        try fixture.expectRecallAndExactDistances(of: graph)
        #expect(graph.checkIntegrity().isEmpty)
    }
}

@Suite struct HNSWGraphMutationTests {
    @Test func filteredSearchNeverReturnsRejectedIDsAndKeepsRecall() throws {
        let fixture = ClusteredFixture()
        let graph = try fixture.graph()
        // 10 % selectivity, uncorrelated with the clusters.
        let allowed: @Sendable (UInt64) -> Bool = { $0 % 10 == 3 }
        let truth = try fixture.exact(k: 10, filter: allowed)
        var found: [[SearchResult]] = []
        for q in 0..<fixture.queries.count {
            let results = try graph.search(fixture.queries[q], k: 10, ef: 64, filter: allowed)
            #expect(results.allSatisfy { allowed($0.id) })
            #expect(results.count == 10)
            found.append(results)
        }
        let r = recall(found, truth, k: 10)
        #expect(r >= 0.9, "filtered recall@10 = \(r)")
    }

    @Test func deletedVectorsAreNeverReturned() throws {
        let fixture = ClusteredFixture(count: 1500)
        let graph = try fixture.graph()
        let deleted = Set((0..<UInt64(1500)).filter { $0 % 3 == 0 })
        for id in deleted { try graph.delete(id) }
        #expect(graph.count == 1000)
        #expect(graph.deletedCount == 500)
        #expect(!graph.contains(3))
        #expect(throws: IndexError.unknownID(3)) { try graph.delete(3) }
        let flat = try FlatIndex(dimension: fixture.base.dimension, metric: .cosine)
        let live = fixture.ids.filter { !deleted.contains($0) }
        try flat.add(contentsOf: live.flatMap { fixture.base[Int($0)] }, ids: live)
        var found: [[SearchResult]] = [], truth: [[SearchResult]] = []
        for q in 0..<fixture.queries.count {
            let results = try graph.search(fixture.queries[q], k: 10, ef: 64)
            #expect(results.allSatisfy { !deleted.contains($0.id) })
            found.append(results)
            truth.append(try flat.search(fixture.queries[q], k: 10))
        }
        #expect(recall(found, truth, k: 10) >= 0.95)
        // A deleted vector is not found even by its own vector.
        let own = try graph.search(fixture.base[0], k: 1)
        #expect(own.first?.id != 0)
    }

    @Test func deletedSlotsAreReusedByNewIDs() throws {
        let fixture = ClusteredFixture(count: 1000)
        let graph = try fixture.graph()
        for id in UInt64(0)..<100 { try graph.delete(id) }
        let slotsBefore = graph.slotCount
        for id in UInt64(0)..<100 { try graph.insert(fixture.base[Int(id)], id: 10_000 + id) }
        #expect(graph.slotCount == slotsBefore)
        #expect(graph.deletedCount == 0)
        #expect(graph.count == 1000)
        for id in UInt64(0)..<100 {
            let top = try graph.search(fixture.base[Int(id)], k: 1, ef: 64)
            #expect(top.first?.id == 10_000 + id)
        }
        #expect(graph.checkIntegrity().isEmpty)
    }

    @Test func updateInPlaceMovesTheVector() throws {
        let fixture = ClusteredFixture(count: 1000)
        let graph = try fixture.graph()
        // Give id 5 the vector of id 900: a search for that vector now finds both at distance 0.
        try graph.insert(fixture.base[900], id: 5)
        #expect(graph.count == 1000)
        #expect(graph.slotCount == 1000)
        let top = try graph.search(fixture.base[900], k: 2, ef: 64)
        #expect(Set(top.map(\.id)) == [5, 900])
        #expect(top.allSatisfy { abs($0.distance) < 1e-5 })
        let old = try graph.search(fixture.base[5], k: 10, ef: 64)
        #expect(!old.contains { $0.id == 5 && abs($0.distance) < 1e-5 })
        #expect(graph.checkIntegrity().isEmpty)
    }

    @Test func compactionDropsTombstonesAndKeepsRecall() throws {
        let fixture = ClusteredFixture(count: 2000)
        let graph = try HNSWGraph(configuration: HNSWConfiguration(dimension: 32, m: 12, efConstruction: 100, reuseDeletedSlots: false))
        try graph.insert(contentsOf: fixture.base.values, ids: fixture.ids, threads: 2)
        let deleted = Set(fixture.ids.filter { $0 % 10 < 4 })
        for id in deleted { try graph.delete(id) }
        let compact = try graph.compacted()
        #expect(compact.slotCount == 1200)
        #expect(compact.count == 1200)
        #expect(compact.deletedCount == 0)
        #expect(compact.checkIntegrity().isEmpty)
        let live = fixture.ids.filter { !deleted.contains($0) }
        let flat = try FlatIndex(dimension: 32, metric: .cosine)
        try flat.add(contentsOf: live.flatMap { fixture.base[Int($0)] }, ids: live)
        let found = try (0..<fixture.queries.count).map { try compact.search(fixture.queries[$0], k: 10, ef: 64) }
        let truth = try (0..<fixture.queries.count).map { try flat.search(fixture.queries[$0], k: 10) }
        #expect(recall(found, truth, k: 10) >= 0.95)
        #expect(compact.vector(for: live[7]) == graph.vector(for: live[7]))
    }

    @Test func growsWithoutAFixedCapacity() throws {
        let data = SyntheticDataset(dimension: 16, centres: 5, seed: 3).base(count: 5000)
        let graph = try HNSWGraph(configuration: HNSWConfiguration(dimension: 16, m: 8, efConstruction: 40))
        for i in 0..<data.count { try graph.insert(data[i], id: UInt64(i)) }
        #expect(graph.count == 5000)
        #expect(graph.slotCount == 5000)
        #expect(try graph.search(data[4321], k: 1).first?.id == 4321)
    }

    @Test func concurrentSearchesWhileAnotherThreadInserts() async throws {
        let fixture = ClusteredFixture(count: 3000)
        let graph = try HNSWGraph(configuration: HNSWConfiguration(dimension: 32, m: 12, efConstruction: 80))
        try graph.insert(contentsOf: Array(fixture.base.values.prefix(1000 * 32)), ids: Array(fixture.ids.prefix(1000)), threads: 1)
        let base = fixture.base, queries = fixture.queries
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for i in 1000..<3000 { try graph.insert(base[i], id: UInt64(i)) }
                return 0
            }
            for worker in 0..<3 {
                group.addTask {
                    var checked = 0
                    for round in 0..<60 {
                        let q = (worker * 60 + round) % queries.count
                        let results = try graph.search(queries[q], k: 10, ef: 32)
                        #expect(results.count == 10)
                        #expect(results.allSatisfy { $0.id < 3000 })
                        #expect(zip(results, results.dropFirst()).allSatisfy { $0.distance <= $1.distance })
                        checked += 1
                    }
                    return checked
                }
            }
            var total = 0
            for try await n in group { total += n }
            #expect(total == 180)
        }
        #expect(graph.count == 3000)
        #expect(graph.checkIntegrity().isEmpty)
        let truth = try fixture.exact(k: 10)
        let found = try (0..<fixture.queries.count).map { try graph.search(fixture.queries[$0], k: 10, ef: 64) }
        #expect(recall(found, truth, k: 10) >= 0.95)
    }

    /// A large float32 batch links on int8 build codes; single inserts from another thread at
    /// the same time take slots the codes were not sized for, and the batch must still link
    /// every node soundly (falling back to float32 past the codes) and keep recall.
    @Test(arguments: [Metric.cosine, .innerProduct])
    func batchBesideSingleInsertsKeepsRecall(metric: Metric) async throws {
        let fixture = ClusteredFixture(count: 3500, metric: metric)
        let graph = try HNSWGraph(configuration: HNSWConfiguration(dimension: 32, metric: metric, m: 12, efConstruction: 100))
        let base = fixture.base
        try graph.insert(contentsOf: Array(base.values.prefix(1000 * 32)), ids: Array(fixture.ids.prefix(1000)), threads: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try graph.insert(contentsOf: Array(base.values[(1000 * 32)..<(3000 * 32)]), ids: Array(1000..<3000), threads: 2)
            }
            group.addTask {
                for i in 3000..<3500 { try graph.insert(base[i], id: UInt64(i)) }
            }
            try await group.waitForAll()
        }
        #expect(graph.count == 3500)
        #expect(graph.checkIntegrity().isEmpty)
        try fixture.expectRecallAndExactDistances(of: graph)
    }

    @Test func buildIsReproducibleWithOneThread() throws {
        let fixture = ClusteredFixture(count: 800)
        let a = try fixture.graph(threads: 1), b = try fixture.graph(threads: 1)
        for q in 0..<20 {
            #expect(try a.search(fixture.queries[q], k: 10) == b.search(fixture.queries[q], k: 10))
        }
    }
}

@Suite struct HNSWGraphErrorTests {
    let graph: HNSWGraph

    init() throws {
        graph = try HNSWGraph(configuration: HNSWConfiguration(dimension: 4))
        try graph.insert([1, 0, 0, 0], id: 1)
    }

    @Test func rejectsVectorsOutsideTheSpace() {
        #expect(throws: IndexError.dimensionMismatch(expected: 4, got: 3)) { try graph.insert([1, 2, 3], id: 2) }
        #expect(throws: IndexError.nonFiniteComponent(position: 2)) { try graph.insert([1, 2, .nan, 0], id: 2) }
        #expect(throws: IndexError.nonFiniteComponent(position: 0)) { try graph.insert([.infinity, 0, 0, 0], id: 2) }
        #expect(throws: IndexError.zeroVector) { try graph.insert([0, 0, 0, 0], id: 2) }
        #expect(throws: IndexError.dimensionMismatch(expected: 4, got: 5)) { try graph.search([1, 2, 3, 4, 5], k: 1) }
        #expect(throws: IndexError.invalidArgument(name: "k", value: "0", expected: "≥ 1")) { try graph.search([1, 0, 0, 0], k: 0) }
        #expect(graph.count == 1)
    }

    @Test func aBadVectorInABatchAddsNothing() {
        #expect(throws: IndexError.nonFiniteComponent(position: 1)) {
            try graph.insert(contentsOf: [0, 1, 0, 0, 1, .nan, 0, 0], ids: [7, 8])
        }
        #expect(graph.count == 1)
        #expect(throws: IndexError.self) { try graph.insert(contentsOf: [0, 1, 0], ids: [7]) }
    }

    @Test func rejectsConfigurationsOutOfRange() {
        #expect(throws: IndexError.self) { try HNSWGraph(configuration: HNSWConfiguration(dimension: 0)) }
        #expect(throws: IndexError.self) { try HNSWGraph(configuration: HNSWConfiguration(dimension: 8, m: 1)) }
        #expect(throws: IndexError.self) { try HNSWGraph(configuration: HNSWConfiguration(dimension: 8, efConstruction: 0)) }
        let message = "\(IndexError.invalidConfiguration(parameter: "M", value: "1", expected: "2...256"))"
        #expect(message.contains("M = 1"))
    }

    @Test func emptyGraphAnswersNothing() throws {
        let empty = try HNSWGraph(configuration: HNSWConfiguration(dimension: 4))
        #expect(try empty.search([1, 0, 0, 0], k: 3).isEmpty)
        #expect(empty.checkIntegrity().isEmpty)
    }
}

@Suite struct QuantizedTraversalTests {
    @Test(arguments: [Metric.cosine, .innerProduct])
    func int8TraversalWithFloatRerankKeepsRecall(metric: Metric) throws {
        let fixture = ClusteredFixture(metric: metric)
        let graph = try HNSWGraph(configuration: HNSWConfiguration(dimension: 32, metric: metric, m: 12, efConstruction: 100, quantization: .int8))
        try graph.insert(contentsOf: fixture.base.values, ids: fixture.ids, threads: 2)
        let truth = try fixture.exact(k: 10)
        let found = try (0..<fixture.queries.count).map { try graph.search(fixture.queries[$0], k: 10, ef: 64) }
        #expect(recall(found, truth, k: 10) >= 0.95)
        // Re-ranked distances are the exact float32 ones.
        for (f, t) in zip(found, truth) where f.first?.id == t.first?.id {
            #expect(abs(f[0].distance - t[0].distance) < 1e-4)
        }
        // Updates rewrite the codes as well as the floats.
        try graph.insert(fixture.base[10], id: 3)
        #expect(Set(try graph.search(fixture.base[10], k: 2).map(\.id)) == [3, 10])
    }

    @Test func quantizedSegmentAnswersAsTheGraph() throws {
        let fixture = ClusteredFixture(count: 1500)
        let graph = try HNSWGraph(configuration: HNSWConfiguration(dimension: 32, m: 12, efConstruction: 100, quantization: .int8))
        try graph.insert(contentsOf: fixture.base.values, ids: fixture.ids, threads: 2)
        let scratch = try ScratchDirectory()
        try graph.writeSegment(to: scratch.file("q.segment"))
        let segment = try Segment(path: scratch.file("q.segment"), verification: .full)
        for q in 0..<fixture.queries.count {
            #expect(try segment.search(fixture.queries[q], k: 10, ef: 48) == graph.search(fixture.queries[q], k: 10, ef: 48))
        }
    }

    @Test func int8IsRefusedForL2() {
        #expect(throws: IndexError.self) {
            try HNSWGraph(configuration: HNSWConfiguration(dimension: 8, metric: .l2, quantization: .int8))
        }
    }
}
