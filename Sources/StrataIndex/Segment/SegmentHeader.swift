import CStrataShims
import StrataKernels

/// The fixed 256-byte header at the start of every segment file. All integers little-endian.
///
/// ```
/// byte 0        8         12          16          20        24              32             40    44     48          52         56          60
///      ┌────────┬─────────┬───────────┬───────────┬─────────┬───────────────┬──────────────┬─────┬──────┬───────────┬──────────┬───────────┬─────────────┐
///      │ magic  │ version │ headerLen │ dimension │ metric  │ slotCount u64 │ liveCount u64│ M   │ M0   │ entrySlot │ maxLevel │ encoding  │ sectionCount│
///      │STRATSEG│ u32 = 1 │ u32 = 256 │ u32       │ u32     │               │              │ u32 │ u32  │ u32       │ u32      │ u32 0 / 1 │ u32 = 7     │
///      └────────┴─────────┴───────────┴───────────┴─────────┴───────────────┴──────────────┴─────┴──────┴───────────┴──────────┴───────────┴─────────────┘
/// byte 64 ... 231   7 section entries × 24 bytes: offset u64 │ length u64 │ CRC-32C u32 │ reserved u32
/// byte 232 ... 251  reserved, zero
/// byte 252 ... 255  CRC-32C of bytes 0 ..< 252
/// ```
///
/// `entrySlot` is `0xFFFF_FFFF` in an empty segment. `encoding` is 0 for float32 vectors
/// only, 1 when the `quantizedVectors` section holds int8 codes for traversal as well. Sections start on 64-byte boundaries, in
/// the order of ``SegmentSection``.
package struct SegmentHeader: Equatable {
    static let magic: [UInt8] = Array("STRATSEG".utf8)
    static let formatVersion: UInt32 = 1
    package static let size = 256
    package static let sectionTableOffset = 64
    package static let sectionEntrySize = 24
    package static let checksumOffset = 252
    static let noEntry = UInt32.max

    package var dimension: Int
    package var metric: Metric
    package var slotCount: Int
    package var liveCount: Int
    package var m: Int
    package var maxLinks0: Int
    package var entrySlot: UInt32
    package var maxLevel: Int
    /// Whether the file carries int8 codes (`encoding` 1).
    package var quantized: Bool
    package var sections: [SectionEntry]

    package init(dimension: Int, metric: Metric, slotCount: Int, liveCount: Int, m: Int, maxLinks0: Int,
                 entrySlot: UInt32, maxLevel: Int, quantized: Bool, sections: [SectionEntry]) {
        self.dimension = dimension
        self.metric = metric
        self.slotCount = slotCount
        self.liveCount = liveCount
        self.m = m
        self.maxLinks0 = maxLinks0
        self.entrySlot = entrySlot
        self.maxLevel = maxLevel
        self.quantized = quantized
        self.sections = sections
    }

    package struct SectionEntry: Equatable {
        package var offset: Int
        package var length: Int
        package var checksum: UInt32
        package init(offset: Int, length: Int, checksum: UInt32) {
            self.offset = offset
            self.length = length
            self.checksum = checksum
        }
    }

    /// The header's 256 bytes, its own checksum included.
    package func encoded() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.size)
        bytes.withUnsafeMutableBytes { raw in
            raw.copyBytes(from: Self.magic)
            func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
                raw.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
            }
            put(Self.formatVersion, at: 8)
            put(UInt32(Self.size), at: 12)
            put(UInt32(dimension), at: 16)
            put(metric.code, at: 20)
            put(UInt64(slotCount), at: 24)
            put(UInt64(liveCount), at: 32)
            put(UInt32(m), at: 40)
            put(UInt32(maxLinks0), at: 44)
            put(entrySlot, at: 48)
            put(UInt32(maxLevel), at: 52)
            put(UInt32(quantized ? 1 : 0), at: 56)
            put(UInt32(SegmentSection.allCases.count), at: 60)
            for (i, section) in sections.enumerated() {
                let base = Self.sectionTableOffset + i * Self.sectionEntrySize
                put(UInt64(section.offset), at: base)
                put(UInt64(section.length), at: base + 8)
                put(section.checksum, at: base + 16)
            }
            put(strata_crc32c(0, raw.baseAddress!, Self.checksumOffset), at: Self.checksumOffset)
        }
        return bytes
    }

    /// Parses and checks a header; `fileSize` bounds every section.
    ///
    /// - Throws: ``IndexError/file(path:problem:)`` saying what is wrong.
    package static func decode(_ raw: UnsafeRawBufferPointer, fileSize: Int, path: String) throws(IndexError) -> SegmentHeader {
        func fail(_ problem: String) -> IndexError { .file(path: path, problem: problem) }
        guard raw.count >= size else {
            throw fail("truncated: \(raw.count) bytes, smaller than the \(size)-byte segment header")
        }
        guard Array(raw.prefix(8)) == magic else {
            throw fail("not a Strata segment file (its first bytes are not the magic \"STRATSEG\")")
        }
        func get<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
        let version = get(8, UInt32.self)
        guard version == formatVersion else {
            throw fail("segment format version \(version); this build reads version \(formatVersion): open it with a matching strata")
        }
        let stored = get(checksumOffset, UInt32.self)
        let computed = strata_crc32c(0, raw.baseAddress!, checksumOffset)
        guard stored == computed else {
            throw fail("header checksum mismatch (stored \(hex(stored)), computed \(hex(computed))): the header is corrupted")
        }
        guard get(12, UInt32.self) == UInt32(size), get(60, UInt32.self) == UInt32(SegmentSection.allCases.count),
              get(56, UInt32.self) <= 1 else {
            throw fail("header declares a layout this build does not know (header size, section count or encoding)")
        }
        guard let metric = Metric(code: get(20, UInt32.self)) else {
            throw fail("unknown metric code \(get(20, UInt32.self)); expected 0 (cosine), 1 (ip) or 2 (l2)")
        }
        var header = SegmentHeader(
            dimension: Int(get(16, UInt32.self)), metric: metric,
            slotCount: Int(get(24, UInt64.self)), liveCount: Int(get(32, UInt64.self)),
            m: Int(get(40, UInt32.self)), maxLinks0: Int(get(44, UInt32.self)),
            entrySlot: get(48, UInt32.self), maxLevel: Int(get(52, UInt32.self)),
            quantized: get(56, UInt32.self) == 1, sections: [])
        for i in 0..<SegmentSection.allCases.count {
            let base = sectionTableOffset + i * sectionEntrySize
            let offset = get(base, UInt64.self), length = get(base + 8, UInt64.self)
            guard offset <= UInt64(Int.max / 2), length <= UInt64(Int.max / 2) else {
                throw fail("section \(SegmentSection.allCases[i]) has an impossible offset or length")
            }
            header.sections.append(SectionEntry(offset: Int(offset), length: Int(length), checksum: get(base + 16, UInt32.self)))
        }
        try header.validate(fileSize: fileSize, path: path)
        return header
    }

    /// Checks the counts against each other and every section against the file.
    func validate(fileSize: Int, path: String) throws(IndexError) {
        func fail(_ problem: String) -> IndexError { .file(path: path, problem: problem) }
        // The graph's own rules for dimension and M, so a file cannot hold what no graph can.
        do { try HNSWConfiguration(dimension: dimension, metric: metric, m: m).validate() }
        catch { throw fail("header holds an impossible graph: \(error)") }
        guard maxLinks0 == 2 * m else { throw fail("M0 = \(maxLinks0) but M = \(m): expected M0 = 2M") }
        guard slotCount < Int(UInt32.max), liveCount <= slotCount else {
            throw fail("slot count \(slotCount) and live count \(liveCount) are inconsistent")
        }
        if slotCount == 0 {
            guard entrySlot == Self.noEntry else { throw fail("an empty segment has an entry point") }
        } else {
            guard Int(entrySlot) < slotCount else { throw fail("entry point \(entrySlot) is past the last slot \(slotCount - 1)") }
            guard maxLevel <= 64 else { throw fail("top level \(maxLevel) is implausible (> 64)") }
        }
        var previousEnd = Self.size
        for section in SegmentSection.allCases {
            let entry = sections[section.rawValue]
            if let expected = section.expectedLength(self), entry.length != expected {
                throw fail("section \(section) is \(entry.length) bytes; \(slotCount) slots of dimension \(dimension) need \(expected)")
            }
            if section == .upperLinks, entry.length % 4 != 0 {
                throw fail("section upperLinks is \(entry.length) bytes, not a whole number of 32-bit ids")
            }
            guard entry.offset % 64 == 0, entry.offset >= previousEnd else {
                throw fail("section \(section) starts at byte \(entry.offset): not 64-byte aligned or overlapping the previous section")
            }
            guard entry.offset + entry.length <= fileSize else {
                throw fail("truncated: section \(section) ends at byte \(entry.offset + entry.length) but the file has \(fileSize) bytes")
            }
            previousEnd = entry.offset + entry.length
        }
    }
}

/// The sections of a segment file, in file order.
package enum SegmentSection: Int, CaseIterable, CustomStringConvertible {
    /// `slotCount × dimension` Float32, row-major (normalized for cosine).
    case vectors
    /// With `encoding` 1, `slotCount × (4 + dimension)` bytes: per slot a Float32 scale and
    /// `dimension` int8 codes (see `ScalarQuantizer`); empty otherwise.
    case quantizedVectors
    /// `slotCount × (1 + M0)` UInt32: `[count, ids...]` per slot, fixed stride.
    case levelZeroLinks
    /// `slotCount + 1` UInt64 word offsets into ``upperLinks``: slot `i` owns words
    /// `offsets[i] ..< offsets[i + 1]`, `level × (1 + M)` of them, level 1 first.
    case upperOffsets
    /// UInt32 `[count, ids...]` runs of `1 + M` words.
    case upperLinks
    /// `slotCount` UInt64: the caller's id of each slot.
    case ids
    /// `slotCount` bytes: bit 0 set for a deleted slot.
    case flags

    package var description: String {
        switch self {
        case .vectors: "vectors"
        case .quantizedVectors: "quantizedVectors"
        case .levelZeroLinks: "levelZeroLinks"
        case .upperOffsets: "upperOffsets"
        case .upperLinks: "upperLinks"
        case .ids: "ids"
        case .flags: "flags"
        }
    }

    /// The exact length the counts imply, or `nil` where it varies.
    package func expectedLength(_ header: SegmentHeader) -> Int? {
        let n = header.slotCount
        switch self {
        case .vectors: return n * header.dimension * 4
        case .quantizedVectors: return header.quantized ? n * (4 + header.dimension) : 0
        case .levelZeroLinks: return n * (1 + header.maxLinks0) * 4
        case .upperOffsets: return (n + 1) * 8
        case .upperLinks: return nil
        case .ids: return n * 8
        case .flags: return n
        }
    }
}

func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
