import Foundation
import StrataIndex
import StrataKernels
import Testing

/// A fresh directory per test, removed afterwards.
final class ScratchDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "strata-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { path + "/" + name }
}

@Suite struct SegmentTests {
    @Test(arguments: [Metric.cosine, .l2])
    func mappedSegmentAnswersExactlyAsTheGraph(metric: Metric) throws {
        let fixture = ClusteredFixture(count: 2000, metric: metric)
        let graph = try fixture.graph()
        for id in UInt64(0)..<50 { try graph.delete(id * 7) }
        let scratch = try ScratchDirectory()
        let path = scratch.file("a.segment")
        let bytes = try graph.writeSegment(to: path)
        let segment = try Segment(path: path, verification: .full)
        #expect(segment.fileBytes == bytes)
        #expect(segment.count == graph.count)
        #expect(segment.slotCount == graph.slotCount)
        #expect(segment.metric == metric)
        #expect(segment.verify().isEmpty)
        let filter: @Sendable (UInt64) -> Bool = { $0 % 4 != 1 }
        for q in 0..<fixture.queries.count {
            let query = fixture.queries[q]
            #expect(try segment.search(query, k: 10, ef: 40) == graph.search(query, k: 10, ef: 40))
            #expect(try segment.search(query, k: 5, ef: 40, filter: filter) == graph.search(query, k: 5, ef: 40, filter: filter))
        }
        // No leftover temporary files beside the segment.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["a.segment"])
    }

    @Test func emptyGraphRoundTrips() throws {
        let scratch = try ScratchDirectory()
        let graph = try HNSWGraph(configuration: HNSWConfiguration(dimension: 8))
        try graph.writeSegment(to: scratch.file("empty.segment"))
        let segment = try Segment(path: scratch.file("empty.segment"), verification: .full)
        #expect(segment.count == 0)
        #expect(try segment.search([1, 0, 0, 0, 0, 0, 0, 0], k: 3).isEmpty)
    }

    @Test func rewritingReplacesTheFileAtomically() throws {
        let fixture = ClusteredFixture(count: 300)
        let scratch = try ScratchDirectory()
        let path = scratch.file("s.segment")
        let small = try HNSWGraph(configuration: HNSWConfiguration(dimension: 32))
        try small.insert(fixture.base[0], id: 42)
        try small.writeSegment(to: path)
        let open = try Segment(path: path)
        try fixture.graph().writeSegment(to: path)
        // The mapping made before the rename still reads the old file.
        #expect(try open.search(fixture.base[0], k: 1).first?.id == 42)
        #expect(try Segment(path: path).count == 300)
    }

    func writtenSegment() throws -> (ScratchDirectory, String, [UInt8]) {
        let fixture = ClusteredFixture(count: 600)
        let scratch = try ScratchDirectory()
        let path = scratch.file("x.segment")
        try fixture.graph().writeSegment(to: path)
        return (scratch, path, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test func truncatedFilesAreErrorsNamingTheFile() throws {
        let (scratch, _, bytes) = try writtenSegment()
        for length in [0, 10, 255, 256, 5000, bytes.count - 1] {
            let cut = scratch.file("cut-\(length).segment")
            try Data(bytes.prefix(length)).write(to: URL(fileURLWithPath: cut))
            let error = #expect(throws: IndexError.self) { try Segment(path: cut) }
            guard case let .file(errorPath, problem) = error else {
                Issue.record("expected a file error for a \(length)-byte prefix, got \(String(describing: error))")
                continue
            }
            #expect(errorPath == cut)
            #expect(problem.contains("truncated"), "\(problem)")
        }
    }

    @Test func foreignFilesAreErrors() throws {
        let scratch = try ScratchDirectory()
        let foreign = scratch.file("notes.txt")
        try Data(String(repeating: "not a segment ", count: 40).utf8).write(to: URL(fileURLWithPath: foreign))
        #expect(throws: IndexError.file(path: foreign, problem: "not a Strata segment file (its first bytes are not the magic \"STRATSEG\")")) {
            try Segment(path: foreign)
        }
        #expect(throws: IndexError.self) { try Segment(path: scratch.file("missing.segment")) }
    }

    @Test func flippedHeaderBitsFailTheHeaderChecksum() throws {
        let (scratch, _, bytes) = try writtenSegment()
        for position in [9, 17, 25, 41, 49, 70, 100, 200] {
            var flipped = bytes
            flipped[position] ^= 0x10
            let path = scratch.file("h\(position).segment")
            try Data(flipped).write(to: URL(fileURLWithPath: path))
            #expect(throws: IndexError.self) { try Segment(path: path) }
        }
    }

    @Test func flippedSectionBitsAreFoundByVerifyAndNeverCrashASearch() throws {
        let (scratch, _, bytes) = try writtenSegment()
        let fixture = ClusteredFixture(count: 600)
        var random = SeededRandom(seed: 11)
        for trial in 0..<40 {
            var flipped = bytes
            let position = Int.random(in: 256..<bytes.count, using: &random)
            flipped[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            let path = scratch.file("b\(trial).segment")
            try Data(flipped).write(to: URL(fileURLWithPath: path))
            // Every byte is covered: the header and each section by a checksum, the padding
            // between sections by verify's check that it is zero. So a flip either fails the
            // header check at open or is reported by verify; searches stay in bounds anyway.
            guard let segment = try? Segment(path: path) else { continue }
            #expect(!segment.verify().isEmpty, "flip at byte \(position) went unnoticed")
            for q in 0..<5 { _ = try segment.search(fixture.queries[q], k: 5, ef: 32) }
        }
        // A flip inside the vectors section is reported, naming the section.
        var flipped = bytes
        flipped[300] ^= 0x01
        let path = scratch.file("vectors.segment")
        try Data(flipped).write(to: URL(fileURLWithPath: path))
        let segment = try Segment(path: path)
        #expect(segment.verify().first?.contains("section vectors checksum mismatch") == true)
        #expect(throws: IndexError.self) { try Segment(path: path, verification: .full) }
    }
}
