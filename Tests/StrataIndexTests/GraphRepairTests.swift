import Foundation
import StrataIndex
import StrataKernels
import Testing

/// A node no search reaches is a stored vector that is never found: the repair links every
/// such node back, after batches and compaction and on demand.
@Suite struct GraphRepairTests {
    /// A sparse graph (M = 4, small efConstruction) over tight clusters, built one vector at
    /// a time (no repair runs), strands nodes as lists overflow; the repair reaches them all.
    @Test func reconnectsEveryStrandedNodeAndKeepsTheGraphSound() throws {
        let data = SyntheticDataset(dimension: 8, centres: 40, seed: 11).base(count: 6000)
        let graph = try HNSWGraph(configuration: HNSWConfiguration(dimension: 8, m: 4, efConstruction: 16))
        for i in 0..<data.count { try graph.insert(data[i], id: UInt64(i)) }
        let stranded = graph.unreachableCount()
        try #require(stranded > 0, "the fixture should strand some nodes before the repair")
        // A search for a stored vector should find it (or an identical one) at distance 0.
        func missed() throws -> Int {
            try (0..<data.count).filter { try graph.search(data[$0], k: 1, ef: 64).first.map { $0.distance > 1e-4 } ?? true }.count
        }
        let missedBefore = try missed()
        let linked = graph.reconnectUnreachable()
        #expect(linked >= stranded)
        #expect(graph.unreachableCount() == 0)
        #expect(graph.checkIntegrity().isEmpty)
        let missedAfter = try missed()
        #expect(missedAfter < missedBefore, "\(missedAfter) stored vectors not found after the repair, \(missedBefore) before")
        #expect(graph.reconnectUnreachable() == 0)
    }

    @Test func batchesAndCompactionLeaveNoNodeUnreachable() throws {
        let data = SyntheticDataset(dimension: 8, centres: 40, seed: 11).base(count: 6000)
        let graph = try HNSWGraph(configuration: HNSWConfiguration(dimension: 8, m: 4, efConstruction: 16))
        try graph.insert(contentsOf: data.values, ids: (0..<UInt64(data.count)).map { $0 }, threads: 2)
        #expect(graph.unreachableCount() == 0)
        for id in stride(from: 0, to: 6000, by: 3) { try graph.delete(UInt64(id)) }
        let compacted = try graph.compacted()
        #expect(compacted.count == 4000)
        #expect(compacted.unreachableCount() == 0)
        #expect(compacted.checkIntegrity().isEmpty)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("repair-\(UUID().uuidString).seg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try compacted.writeSegment(to: path)
        let segment = try Segment(path: path, verification: .full)
        #expect(segment.unreachableCount() == 0)
    }
}
