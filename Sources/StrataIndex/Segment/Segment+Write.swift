#if canImport(Glibc)
import Glibc
#endif
import CStrataShims
import StrataKernels

extension HNSWGraph {
    /// Writes the graph as an immutable segment file, atomically: a temporary file beside
    /// `path` is written and fsynced, renamed over `path`, and the directory is fsynced, so
    /// after a crash `path` holds either the old file or the whole new one.
    ///
    /// Tombstoned slots are written with their flag set; ``compacted()`` first to drop them.
    ///
    /// - Returns: the size of the file in bytes.
    /// - Important: Do not insert or delete while writing; concurrent searches are fine.
    @discardableResult
    public func writeSegment(to path: String) throws(IndexError) -> Int {
        try SegmentWriter(graph: self).write(to: path)
    }
}

/// Streams an ``HNSWGraph`` into the segment format, section by section, checksumming as it
/// writes; memory use stays at one buffer however large the graph.
struct SegmentWriter {
    let graph: HNSWGraph
    let arena: NodeArena
    let slotCount: Int

    init(graph: HNSWGraph) {
        self.graph = graph
        arena = graph.arena
        slotCount = graph.slotCount
    }

    func write(to path: String) throws(IndexError) -> Int {
        try FileDescriptor.writeAtomically(path) { (fd) throws(IndexError) -> Int in try write(into: fd) }
    }

    private func write(into fd: FileDescriptor) throws(IndexError) -> Int {
        var output = SectionOutput(fd: fd, offset: SegmentHeader.size)
        try fd.write([UInt8](repeating: 0, count: SegmentHeader.size))
        var sections: [SegmentHeader.SectionEntry] = []
        for section in SegmentSection.allCases {
            try output.begin()
            try emit(section, into: &output)
            sections.append(try output.end())
        }
        let entry = graph.entry
        let header = SegmentHeader(
            dimension: graph.dimension, metric: graph.metric, slotCount: slotCount,
            liveCount: slotCount - graph.deletedCount, m: graph.configuration.m,
            maxLinks0: graph.configuration.maxNeighborsLevel0,
            entrySlot: entry?.slot ?? SegmentHeader.noEntry, maxLevel: entry?.level ?? 0,
            quantized: arena.quantized, sections: sections)
        try fd.write(header.encoded(), at: 0)
        return output.offset
    }

    private func emit(_ section: SegmentSection, into output: inout SectionOutput) throws(IndexError) {
        let dimension = graph.dimension
        let m = graph.configuration.m
        switch section {
        case .vectors:
            for slot in 0..<UInt32(slotCount) {
                try output.append(UnsafeRawPointer(arena.vector(slot)), count: dimension * 4)
            }
        case .quantizedVectors:
            guard arena.quantized else { break }
            for slot in 0..<UInt32(slotCount) {
                try output.append(UnsafeRawPointer(arena.codes(slot)), count: 4 + dimension)
            }
        case .levelZeroLinks:
            for slot in 0..<UInt32(slotCount) {
                try output.append(UnsafeRawPointer(arena.links(slot, level: 0)), count: (1 + arena.maxLinks0) * 4)
            }
        case .upperOffsets:
            var offset: UInt64 = 0
            try output.append(offset)
            for slot in 0..<UInt32(slotCount) {
                offset += UInt64(Int(arena.meta(slot).pointee.level) * (1 + m))
                try output.append(offset)
            }
        case .upperLinks:
            for slot in 0..<UInt32(slotCount) {
                let node = arena.meta(slot).pointee
                if node.level > 0, let upper = node.upper {
                    try output.append(UnsafeRawPointer(upper), count: Int(node.level) * (1 + m) * 4)
                }
            }
        case .ids:
            for slot in 0..<UInt32(slotCount) { try output.append(arena.meta(slot).pointee.label) }
        case .flags:
            for slot in 0..<UInt32(slotCount) { try output.append(arena.meta(slot).pointee.deleted != 0 ? UInt8(1) : UInt8(0)) }
        }
    }
}

/// Buffered, checksummed output of one section after another, each 64-byte aligned.
struct SectionOutput {
    let fd: FileDescriptor
    private(set) var offset: Int
    private var buffer: [UInt8] = []
    private var sectionStart = 0
    private var checksum: UInt32 = 0
    static let flushBytes = 1 << 20

    init(fd: FileDescriptor, offset: Int) {
        self.fd = fd
        self.offset = offset
        buffer.reserveCapacity(Self.flushBytes + 65_536)
    }

    /// Pads to the next 64-byte boundary and starts a section there.
    mutating func begin() throws(IndexError) {
        let padding = (64 - offset % 64) % 64
        buffer.append(contentsOf: repeatElement(0, count: padding))
        offset += padding
        try flush()
        sectionStart = offset
        checksum = 0
    }

    mutating func append(_ bytes: UnsafeRawPointer, count: Int) throws(IndexError) {
        checksum = strata_crc32c(checksum, bytes, count)
        buffer.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: count))
        offset += count
        if buffer.count >= Self.flushBytes { try flush() }
    }

    mutating func append<T: FixedWidthInteger>(_ value: T) throws(IndexError) {
        withUnsafeBytes(of: value.littleEndian) { bytes in
            checksum = strata_crc32c(checksum, bytes.baseAddress!, bytes.count)
            buffer.append(contentsOf: bytes)
        }
        offset += MemoryLayout<T>.size
        if buffer.count >= Self.flushBytes { try flush() }
    }

    /// Ends the current section: its place, length and checksum.
    mutating func end() throws(IndexError) -> SegmentHeader.SectionEntry {
        try flush()
        return SegmentHeader.SectionEntry(offset: sectionStart, length: offset - sectionStart, checksum: checksum)
    }

    private mutating func flush() throws(IndexError) {
        guard !buffer.isEmpty else { return }
        try fd.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
