import Foundation
import StrataIndex
import StrataKernels
import Testing

/// A segment whose file is on disk asks for its pages ahead while it searches; whether it
/// does or not, and while a preload runs, it answers exactly as the graph it was written from.
@Suite struct SegmentResidencyTests {
    @Test(arguments: [VectorQuantization.none, .int8])
    func coldAndPreloadedSegmentsAnswerAsTheGraph(quantization: VectorQuantization) throws {
        let fixture = ClusteredFixture(count: 12000, queries: 50, dimension: 96)
        let graph = try HNSWGraph(configuration: HNSWConfiguration(dimension: 96, m: 12, efConstruction: 60, quantization: quantization))
        try graph.insert(contentsOf: fixture.base.values, ids: fixture.ids, threads: 2)
        let scratch = try ScratchDirectory()
        let path = scratch.file("cold.segment")
        _ = try graph.writeSegment(to: path)
        let expected = try (0..<fixture.queries.count).map { try graph.search(fixture.queries[$0], k: 10, ef: 48) }

        // Dropped from the page cache (the file is written and synced, so its pages are clean).
        // The kernel may keep pages it has not yet put on its lists while other tests run, so
        // the drop is retried; the answers must match whether or not it took.
        var cold = try Segment(path: path)
        for _ in 0..<40 where cold.residentFraction() == 1 {
            let fd = open(path, O_RDONLY)
            try #require(fd >= 0)
            sync()
            _ = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)
            close(fd)
            usleep(25_000)
            cold = try Segment(path: path)
        }
        for q in 0..<fixture.queries.count {
            #expect(try cold.search(fixture.queries[q], k: 10, ef: 48) == expected[q])
        }

        let preloaded = try Segment(path: path)
        preloaded.preload()
        let deadline = Date().addingTimeInterval(10)
        while preloaded.residentFraction() < 1, Date() < deadline { usleep(1_000) }
        #expect(preloaded.residentFraction() == 1)
        for q in 0..<fixture.queries.count {
            #expect(try preloaded.search(fixture.queries[q], k: 10, ef: 48) == expected[q])
        }
    }

    /// Closing a segment while its preload runs stops the preload; nothing crashes.
    @Test func aSegmentClosedDuringItsPreloadIsReleased() throws {
        let fixture = ClusteredFixture(count: 2000, dimension: 64)
        let graph = try fixture.graph()
        let scratch = try ScratchDirectory()
        let path = scratch.file("closing.segment")
        _ = try graph.writeSegment(to: path)
        weak var released: Segment?
        do {
            let segment = try Segment(path: path)
            released = segment
            segment.preload()
        }
        let deadline = Date().addingTimeInterval(10)
        while released != nil, Date() < deadline { usleep(1_000) }
        #expect(released == nil)
    }
}
