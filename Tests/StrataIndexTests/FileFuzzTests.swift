import Foundation
import StrataIndex
import StrataKernels
import StrataTestSupport
import Testing

/// Damaged files (``FileMutation``: flips, zeroed and garbage runs, truncation, huge header
/// words, appended bytes) given to every reader of the index: no crash, no hang, every refusal
/// naming the file, and every changed byte of a segment caught at open or by `verify`.
/// `make fuzz` runs 10,000 of each (`STRATA_FUZZ_COUNT`); `make test` a few hundred.
@Suite struct FileFuzzTests {
    @Test func everyChangedSegmentByteIsCaughtAndSearchesStayInBounds() throws {
        let scratch = try ScratchDirectory()
        let fixture = ClusteredFixture(count: 300, queries: 3, dimension: 16)
        let graph = try fixture.graph(m: 6, efConstruction: 32)
        let original = scratch.file("original.segment")
        try graph.writeSegment(to: original)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: original)))
        let seed = FileMutation.seed(default: 18)
        var random = SeededRandom(seed: seed)
        var changed = 0, caught = 0
        let path = scratch.file("fuzzed.segment")
        for trial in 0..<FileMutation.count(default: 300) {
            let (mutated, what) = FileMutation.apply(to: bytes, using: &random)
            guard mutated != bytes else { continue }
            changed += 1
            try Data(mutated).write(to: URL(fileURLWithPath: path))
            let segment: Segment
            do {
                segment = try Segment(path: path)
            } catch {
                caught += 1
                #expect(error.description.contains(path), "trial \(trial) (seed \(seed)), \(what): \(error)")
                continue
            }
            if segment.verify().isEmpty {
                Issue.record("trial \(trial) (seed \(seed)): \(what) went unnoticed by verify")
            } else {
                caught += 1
            }
            // A damaged segment may answer wrongly, never outside its mapping.
            for q in 0..<fixture.queries.count { _ = try segment.search(fixture.queries[q], k: 5, ef: 16) }
            _ = segment.unreachableCount()
        }
        #expect(changed > 0 && caught == changed, "\(caught) of \(changed) damaged segments caught (seed \(seed))")
    }

    @Test func damagedVectorFilesAreRefusedNamingTheFile() throws {
        let scratch = try ScratchDirectory()
        let vectors = SyntheticDataset(dimension: 8, centres: 4, seed: 2).base(count: 40)
        let fvecs = scratch.file("v.fvecs"), npy = scratch.file("v.npy")
        try TexmexFile.write(vectors, to: fvecs)
        try NumpyFile.write(vectors, to: npy)
        let seed = FileMutation.seed(default: 19)
        var random = SeededRandom(seed: seed)
        for (original, read) in [(fvecs, TexmexFile.readFloats), (npy, NumpyFile.readFloats)] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: original)))
            let path = original + ".fuzzed"
            for trial in 0..<FileMutation.count(default: 300) {
                let (mutated, what) = FileMutation.apply(to: bytes, using: &random)
                try Data(mutated).write(to: URL(fileURLWithPath: path))
                do {
                    let set = try read(path)
                    #expect(set.values.count == set.count * set.dimension, "trial \(trial) (seed \(seed)), \(what)")
                } catch {
                    #expect(error.description.contains(path), "trial \(trial) (seed \(seed)), \(what): \(error)")
                }
            }
        }
    }
}
