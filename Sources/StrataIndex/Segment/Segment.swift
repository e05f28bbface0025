#if canImport(Glibc)
import Glibc
#endif
import StrataKernels

/// An immutable HNSW graph in a memory-mapped file: the cold tier's unit.
///
/// Opening maps the file and checks its header and section table; nothing is copied or
/// decoded, so a segment of a million vectors opens in microseconds and pages come in as
/// searches touch them. Searches run the same code as ``HNSWGraph`` on the mapped bytes and
/// return exactly what the graph written to the file returned.
///
/// Bulk sections are checksummed but, to keep opening instant, only ``Verification/full``
/// (or ``verify()``) reads them all. A corrupted section can make a header-checked segment
/// answer wrongly, never read outside its mapping: every neighbour id and upper-level offset
/// is bounds-checked as the search follows it.
///
/// - Important: Searches may run from many threads at once. The mapping lives as long as the
///   `Segment`; pointers into it must not escape it.
public final class Segment: @unchecked Sendable {
    /// How much of a file is checked when it is opened.
    public enum Verification: Sendable {
        /// Header checksum, counts and section bounds: constant time.
        case header
        /// The header, every section's checksum and the graph's structure: reads the whole file.
        case full
    }

    /// The file this segment was opened from.
    public let path: String
    /// Bytes in the file.
    public let fileBytes: Int
    let header: SegmentHeader
    let mapping: UnsafeRawPointer
    let view: SegmentView
    let contexts: SearchContextPool
    let residency = SegmentResidency()

    /// Maps the segment at `path`.
    ///
    /// - Throws: ``IndexError/file(path:problem:)`` for a missing, truncated, foreign or
    ///   corrupted file, naming what is wrong.
    public init(path: String, verification: Verification = .header) throws(IndexError) {
        self.path = path
        let fd = try FileDescriptor.open(path, flags: O_RDONLY)
        defer { fd.close() }
        fileBytes = try fd.size()
        guard fileBytes >= SegmentHeader.size else {
            throw .file(path: path, problem: "truncated: \(fileBytes) bytes, smaller than the \(SegmentHeader.size)-byte segment header")
        }
        guard let mapped = mmap(nil, fileBytes, PROT_READ, MAP_SHARED, fd.raw, 0), mapped != MAP_FAILED else {
            throw .file(path: path, problem: "mmap failed: \(String(cString: strerror(errno)))")
        }
        mapping = UnsafeRawPointer(mapped)
        do {
            header = try SegmentHeader.decode(UnsafeRawBufferPointer(start: mapping, count: fileBytes), fileSize: fileBytes, path: path)
        } catch {
            munmap(mapped, fileBytes)
            throw error
        }
        view = SegmentView(mapping: mapping, header: header)
        contexts = SearchContextPool(dimension: header.dimension, maxNeighbors: header.maxLinks0)
        adviseUpperLevels()
        if verification == .full, let problem = verify().first {
            throw .file(path: path, problem: problem)
        }
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: mapping), fileBytes)
    }

    /// Vector length.
    public var dimension: Int { header.dimension }
    /// The metric the graph was built with.
    public var metric: Metric { header.metric }
    /// `M` of the graph.
    public var m: Int { header.m }
    /// Slots in the file, deleted ones included.
    public var slotCount: Int { header.slotCount }
    /// Live (not deleted) vectors.
    public var count: Int { header.liveCount }

    /// The caller's id of every slot, in slot order (deleted slots included).
    public var ids: [UInt64] { (0..<UInt32(slotCount)).map { view.label($0) } }

    /// The float32 vector in `slot`, which must be below ``slotCount``.
    ///
    /// - Important: The buffer points into the mapping; it is valid only while this segment
    ///   is alive.
    public func vector(atSlot slot: Int) -> UnsafeBufferPointer<Float> {
        precondition(slot >= 0 && slot < slotCount, "slot \(slot) outside the segment's \(slotCount) slots")
        return UnsafeBufferPointer(start: view.vector(UInt32(slot)), count: dimension)
    }

    /// The caller's id stored for `slot`, which must be below ``slotCount``.
    public func id(atSlot slot: Int) -> UInt64 {
        precondition(slot >= 0 && slot < slotCount, "slot \(slot) outside the segment's \(slotCount) slots")
        return view.label(UInt32(slot))
    }

    /// True when `slot` was deleted before the segment was written.
    public func isDeleted(slot: Int) -> Bool {
        precondition(slot >= 0 && slot < slotCount, "slot \(slot) outside the segment's \(slotCount) slots")
        return view.isDeleted(UInt32(slot))
    }

    /// The `k` nearest live vectors to `query`, nearest first; see ``HNSWGraph/search(_:k:ef:filter:)``.
    ///
    /// - Parameter ef: candidates examined; default 64, raised to `k`.
    /// - Complexity: about O(ef × M × log n) distance computations.
    public func search(_ query: [Float], k: Int, ef: Int? = nil, filter: ((UInt64) -> Bool)? = nil) throws(IndexError) -> [SearchResult] {
        try query.withUnsafeBufferPointer { (buffer) throws(IndexError) in
            try IndexError.validate(buffer, dimension: dimension)
            let request = try KNNRequest(k: k, ef: ef, defaultEF: 64, predicate: filter)
            let entry = slotCount > 0 ? (slot: header.entrySlot, level: header.maxLevel) : nil
            let hasDeletions = header.liveCount < header.slotCount
            var view = self.view
            view.advisesPages = residency.isCold { residentFraction() }
            return contexts.withContext(slots: slotCount) { context in
                view.nearest(to: buffer.baseAddress!, entry: entry, request: request, metric: metric, quantized: header.quantized, hasDeletions: hasDeletions, context: context)
            }
        }
    }
}

/// A list with no neighbours, handed out for an upper-level list a corrupted offset table
/// would place outside the mapping.
nonisolated(unsafe) private let emptyLinks: UnsafeMutablePointer<UInt32> = {
    let list = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    list.initialize(to: 0)
    return list
}()

/// ``GraphLayout`` over a mapped segment.
///
/// Layout and lifetime: every pointer below points into the mapping owned by the ``Segment``
/// that made this view, at offsets the header checked to lie inside the file; the view never
/// outlives its segment. Sections are 64-byte aligned, so the typed pointers are aligned.
struct SegmentView: GraphLayout {
    let vectors: UnsafePointer<Float>
    let levelZero: UnsafePointer<UInt32>
    let upperOffsets: UnsafePointer<UInt64>
    let upperLinks: UnsafePointer<UInt32>
    let upperWords: UInt64
    let labels: UnsafePointer<UInt64>
    let quantizedCodes: UnsafeRawPointer
    let flags: UnsafePointer<UInt8>
    let slotCount: Int
    let dimension: Int
    let m: Int
    let levelZeroStride: Int
    /// Whether searches ask for their pages ahead (``adviseNeeded(_:count:codes:)``): set per
    /// search while the file is mostly on disk.
    var advisesPages = false

    init(mapping: UnsafeRawPointer, header: SegmentHeader) {
        func start(_ section: SegmentSection) -> UnsafeRawPointer { mapping + header.sections[section.rawValue].offset }
        vectors = start(.vectors).assumingMemoryBound(to: Float.self)
        levelZero = start(.levelZeroLinks).assumingMemoryBound(to: UInt32.self)
        upperOffsets = start(.upperOffsets).assumingMemoryBound(to: UInt64.self)
        upperLinks = start(.upperLinks).assumingMemoryBound(to: UInt32.self)
        upperWords = UInt64(header.sections[SegmentSection.upperLinks.rawValue].length / 4)
        labels = start(.ids).assumingMemoryBound(to: UInt64.self)
        quantizedCodes = start(.quantizedVectors)
        flags = start(.flags).assumingMemoryBound(to: UInt8.self)
        slotCount = header.slotCount
        dimension = header.dimension
        m = header.m
        levelZeroStride = 1 + header.maxLinks0
    }

    @inline(__always)
    func vector(_ slot: UInt32) -> UnsafePointer<Float> { vectors + Int(slot) &* dimension }

    @inline(__always)
    func links(_ slot: UInt32, level: Int) -> UnsafePointer<UInt32> {
        if level == 0 { return levelZero + Int(slot) &* levelZeroStride }
        let begin = upperOffsets[Int(slot)], end = upperOffsets[Int(slot) + 1]
        let first = begin &+ UInt64((level - 1) * (m + 1))
        guard begin <= end, end <= upperWords, first &+ UInt64(m + 1) <= end else { return UnsafePointer(emptyLinks) }
        return upperLinks + Int(first)
    }

    @inline(__always)
    func maxLinks(level: Int) -> Int { level == 0 ? levelZeroStride - 1 : m }
    @inline(__always)
    func isDeleted(_ slot: UInt32) -> Bool { flags[Int(slot)] & 1 != 0 }
    @inline(__always)
    func label(_ slot: UInt32) -> UInt64 { UInt64(littleEndian: labels[Int(slot)]) }
    /// Only called for segments whose header says they carry codes.
    @inline(__always)
    func codes(_ slot: UInt32) -> UnsafeRawPointer { quantizedCodes + Int(slot) &* (4 &+ dimension) }

    /// While the file is mostly on disk, a search would fault in each neighbour's page one
    /// after another, a disk round trip each (a first query on a 1M-vector file took a second).
    /// Advising the pages of every neighbour about to be scored lets the disk read them
    /// together: one round trip per expanded node instead of one per neighbour.
    func adviseNeeded(_ slots: UnsafePointer<UInt32>, count: Int, codes: Bool) {
        guard advisesPages else { return }
        let bytes = codes ? 4 &+ dimension : dimension &* 4
        for i in 0..<count where Int(slots[i]) < slotCount {
            let slot = slots[i]
            Self.advise(codes ? self.codes(slot) : UnsafeRawPointer(vector(slot)), bytes: bytes)
            Self.advise(UnsafeRawPointer(links(slot, level: 0)), bytes: levelZeroStride &* 4)
        }
    }

    /// `madvise(WILLNEED)` over the pages holding `bytes` bytes at `address`.
    static func advise(_ address: UnsafeRawPointer, bytes: Int) {
        let start = Int(bitPattern: address) & ~(pageSize - 1)
        let end = Int(bitPattern: address) + bytes
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_WILLNEED)
    }

    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// The level of a slot from its share of the upper-link words, or 0 when the offsets
    /// are inconsistent.
    func level(_ slot: UInt32) -> Int {
        let begin = upperOffsets[Int(slot)], end = upperOffsets[Int(slot) + 1]
        guard begin <= end, end <= upperWords else { return 0 }
        return Int((end - begin) / UInt64(m + 1))
    }
}
