import StrataIndex
import StrataKernels
import Testing

/// The byte layout, stated a third time (after the diagram and `strata verify`).
@Suite struct SegmentHeaderTests {
    let header = SegmentHeader(
        dimension: 384, metric: .innerProduct, slotCount: 1000, liveCount: 990, m: 16, maxLinks0: 32,
        entrySlot: 17, maxLevel: 3, quantized: false,
        sections: (0..<7).map { SegmentHeader.SectionEntry(offset: 256 + $0 * 64, length: 0, checksum: UInt32($0)) })

    @Test func layoutSizes() {
        #expect(SegmentHeader.size == 256)
        #expect(SegmentHeader.sectionTableOffset + SegmentSection.allCases.count * SegmentHeader.sectionEntrySize <= SegmentHeader.checksumOffset)
        #expect(MemoryLayout<NodeMeta>.stride == 24)
        #expect(MemoryLayout<Candidate>.stride == 8)
        #expect(header.encoded().count == 256)
        #expect(Array(header.encoded().prefix(8)) == Array("STRATSEG".utf8))
    }

    @Test func encodeThenDecodeIsTheIdentity() throws {
        let bytes = header.encoded()
        // Sections are empty here, so only the header's own consistency checks apply.
        var sized = header
        sized.sections = SegmentSection.allCases.map { section in
            let length = section.expectedLength(header) ?? 0
            return SegmentHeader.SectionEntry(offset: 0, length: length, checksum: 0)
        }
        var offset = 256
        for i in sized.sections.indices {
            sized.sections[i].offset = offset
            offset = (offset + sized.sections[i].length + 63) / 64 * 64
        }
        let encoded = sized.encoded()
        let decoded = try encoded.withUnsafeBytes { raw in
            try Result { () throws(IndexError) in try SegmentHeader.decode(raw, fileSize: offset, path: "h") }.get()
        }
        #expect(decoded == sized)
        #expect(bytes != encoded)
    }

    @Test func arenaRecordsAreCacheLineAligned() throws {
        for (dimension, quantized) in [(384, false), (384, true), (7, false), (1536, true)] {
            let arena = try NodeArena(dimension: dimension, m: 16, quantized: quantized)
            #expect(arena.stride % 64 == 0)
            #expect(arena.stride >= dimension * 4 + 4 * 33 + (quantized ? 4 + dimension : 0))
            #expect(Int(bitPattern: arena.records) % (2 << 20) == 0)
            #expect(arena.capacity > 1_000_000)
        }
    }
}
