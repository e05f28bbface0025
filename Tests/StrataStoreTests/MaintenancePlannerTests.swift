import Foundation
import StrataStore
import Testing

/// Compaction's choices from occupancy alone, then the merge down to `maxSegments` carried
/// out on a real store.
@Suite struct MaintenancePlannerTests {
    static func planner(maxSegments: Int = 3, deadRatio: Double = 0.2) -> MaintenancePlanner {
        var configuration = StoreConfiguration()
        configuration.maxSegments = maxSegments
        configuration.compactDeadRatio = deadRatio
        return MaintenancePlanner(configuration: configuration)
    }

    typealias Occupancy = MaintenancePlanner.Occupancy

    @Test func deadHeavyAndEmptySegmentsAreRewrittenAndACleanOneAloneIsLeft() {
        let planner = Self.planner()
        #expect(planner.compaction(of: [Occupancy(id: 1, live: 100, dead: 0)], force: false).isEmpty)
        #expect(planner.compaction(of: [Occupancy(id: 1, live: 100, dead: 10)], force: false).isEmpty)
        #expect(planner.compaction(of: [Occupancy(id: 1, live: 80, dead: 20), Occupancy(id: 2, live: 100, dead: 0)], force: false) == [1])
        #expect(planner.compaction(of: [Occupancy(id: 1, live: 0, dead: 7), Occupancy(id: 2, live: 5, dead: 0)], force: false) == [1])
        #expect(planner.compaction(of: [Occupancy(id: 1, live: 100, dead: 1), Occupancy(id: 2, live: 9, dead: 0)], force: true) == [1, 2])
        #expect(planner.compaction(of: [Occupancy(id: 1, live: 100, dead: 0)], force: true).isEmpty)
    }

    /// Six segments and a limit of three: the four smallest merge into one, three remain.
    @Test func theSmallestSegmentsMergeUntilMaxSegmentsRemain() {
        let planner = Self.planner(maxSegments: 3)
        let segments = [50, 10, 40, 20, 60, 30].enumerated().map { Occupancy(id: Int64($0.offset + 1), live: $0.element, dead: 0) }
        let chosen = planner.compaction(of: segments, force: false)
        #expect(Set(chosen) == [2, 4, 6, 3])
        #expect(segments.count - chosen.count + 1 == 3)
        // A dead-heavy segment joins the merge and counts toward the output.
        var withDead = segments
        withDead[4].dead = 40
        let chosenWithDead = planner.compaction(of: withDead, force: false)
        #expect(Set(chosenWithDead) == [5, 2, 4, 6])
        #expect(withDead.count - chosenWithDead.count + 1 == 3)
        #expect(planner.compaction(of: Array(segments.prefix(3)), force: false).isEmpty)
    }

    @Test func windowsCountBackFromNow() {
        var configuration = StoreConfiguration()
        configuration.promoteWindowDays = 7
        configuration.demoteIdleDays = 30
        configuration.pruneIdleDays = 90
        let planner = MaintenancePlanner(configuration: configuration)
        let now = Date(timeIntervalSince1970: 100 * 86_400)
        #expect(planner.busySince(now) == Date(timeIntervalSince1970: 93 * 86_400))
        #expect(planner.idleSince(now) == Date(timeIntervalSince1970: 70 * 86_400))
        #expect(planner.prunableSince(now) == Date(timeIntervalSince1970: 10 * 86_400))
    }

    /// Six flushed segments on a store allowing three: one compaction leaves three, and every
    /// pattern is still found, before and after reopening.
    @Test func compactionMergesAStoreDownToMaxSegments() throws {
        let directory = temporaryStoreDirectory()
        defer { cleanup(directory) }
        let vectors = clusteredVectors(count: 300, dimension: 32, seed: 21)
        let store = try makeVectorStore(directory) {
            $0.maxSegments = 3
            $0.bulkSegmentMinimum = 10_000
            $0.flushThreshold = 10_000
        }
        let patterns = samplePatterns(vectors)
        for start in stride(from: 0, to: 300, by: 50) {
            try store.add(Array(patterns[start..<start + 50]))
            try store.flush()
        }
        #expect(try store.stats().segments.count == 6)
        let report = try store.compact()
        #expect(report.segmentsRemoved == 4 && report.segmentsWritten == 1)
        let stats = try store.stats()
        #expect(stats.segments.count == 3 && stats.patterns == 300)
        #expect(try store.verify() == [])
        for index in stride(from: 0, to: 300, by: 7) {
            #expect(try store.search(SearchRequest(query: .vector(vectors[index]), k: 1)).hits.first?.pattern.id == "p\(index)")
        }
        try store.close()
        let reopened = try PatternStore.open(at: directory)
        defer { try? reopened.close() }
        #expect(try reopened.stats().segments.count == 3 && reopened.count() == 300)
    }
}
