#if canImport(Glibc)
import Glibc
#endif
import CStrataShims

/// The cold tier's BM25 index: an immutable inverted index in a memory-mapped file, written
/// beside a vector segment for the same rows, so that every cold segment answers lexical
/// queries as well as vector ones.
///
/// File layout (little-endian, every section 8-byte aligned):
///
/// | offset | contents |
/// |---|---|
/// | 0 | header, 64 bytes: magic `STRBM25\0`, version, header CRC-32C, document, term and posting counts, total length, body CRC-32C |
/// | 64 | rows: `UInt64` × documents (the catalog row of each ordinal) |
/// | | lengths: `UInt32` × documents, padded to 8 bytes |
/// | | terms: (key `UInt64`, first posting `UInt32`, postings `UInt32`) × terms, ascending by key |
/// | | postings: (ordinal `UInt32`, count `UInt32`) × postings, grouped by term |
///
/// Opening checks the header, that the file's size is exactly what the counts promise, and the
/// body's checksum (hardware CRC-32C: milliseconds for a million documents), so that a torn or
/// corrupted file is refused, and the store rebuilds it from the catalog, instead of answering
/// wrongly. Lookups are bounds-checked against the counts all the same.
public final class LexicalSegment: @unchecked Sendable {
    static let magic: [UInt8] = Array("STRBM25\0".utf8)
    // 2: no plural rule in word keys; adjacent-word phrase terms (LexicalTerms).
    static let version: UInt32 = 2
    static let headerSize = 64

    /// The file this index was opened from.
    public let path: String
    /// Bytes in the file.
    public let fileBytes: Int
    /// Documents (rows) in the file.
    public let documentCount: Int
    let termCount: Int
    let postingCount: Int
    let totalLength: Int
    // Pointers into the mapping, at offsets `Layout` derived from the checked counts; valid
    // while this object lives.
    private let mapping: UnsafeRawPointer
    let rows: UnsafePointer<UInt64>
    let lengths: UnsafePointer<UInt32>
    let terms: UnsafePointer<UInt64>
    let postings: UnsafePointer<LexicalPosting>

    /// Maps and checks the index at `path`.
    ///
    /// - Throws: ``IndexError/file(path:problem:)`` for a missing, truncated, foreign or
    ///   corrupted file, naming what is wrong.
    public init(path: String) throws(IndexError) {
        self.path = path
        let fd = try FileDescriptor.open(path, flags: O_RDONLY)
        defer { fd.close() }
        fileBytes = try fd.size()
        guard fileBytes >= Self.headerSize else {
            throw .file(path: path, problem: "truncated: \(fileBytes) bytes, smaller than the \(Self.headerSize)-byte lexical index header")
        }
        guard let mapped = mmap(nil, fileBytes, PROT_READ, MAP_SHARED, fd.raw, 0), mapped != MAP_FAILED else {
            throw .file(path: path, problem: "mmap failed: \(String(cString: strerror(errno)))")
        }
        mapping = UnsafeRawPointer(mapped)
        let header: Header
        do {
            header = try Header.decode(UnsafeRawBufferPointer(start: mapping, count: fileBytes), path: path)
        } catch {
            munmap(mapped, fileBytes)
            throw error
        }
        let layout = Layout(documents: header.documents, terms: header.terms, postings: header.postings)
        documentCount = header.documents
        termCount = header.terms
        postingCount = header.postings
        totalLength = header.totalLength
        rows = (mapping + layout.rows).assumingMemoryBound(to: UInt64.self)
        lengths = (mapping + layout.lengths).assumingMemoryBound(to: UInt32.self)
        terms = (mapping + layout.terms).assumingMemoryBound(to: UInt64.self)
        postings = (mapping + layout.postings).assumingMemoryBound(to: LexicalPosting.self)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: mapping), fileBytes)
    }

    /// Documents and words in the file.
    public var statistics: LexicalStatistics { LexicalStatistics(documents: documentCount, totalLength: totalLength) }

    /// The catalog row of every document, in ordinal order.
    public var documentRows: [UInt64] { Array(UnsafeBufferPointer(start: rows, count: documentCount)) }

    /// Documents holding `term`.
    public func documentFrequency(_ term: UInt64) -> Int { postingRange(term)?.count ?? 0 }

    /// The `k` best documents for `query` that `accept` lets through, best first.
    public func search(_ query: BM25Query, k: Int, accept: ((UInt64) -> Bool)? = nil) -> [LexicalHit] {
        LexicalScorer(query: query).best(k: k, in: self, accept: accept)
    }

    /// Where `term`'s postings lie, found by binary search over the sorted term table; nil
    /// when the file holds no such term or its entry points outside the postings.
    func postingRange(_ term: UInt64) -> Range<Int>? {
        var low = 0, high = termCount
        while low < high {
            let middle = (low + high) / 2
            let key = terms[middle * 2]
            if key == term {
                let packed = terms[middle * 2 + 1]
                let start = Int(packed & 0xFFFF_FFFF), count = Int(packed >> 32)
                return start + count <= postingCount ? start..<start + count : nil
            }
            if key < term { low = middle + 1 } else { high = middle }
        }
        return nil
    }
}

extension LexicalSegment: LexicalPostingsSource {
    var ordinalCount: Int { documentCount }

    func withPostings(_ term: UInt64, _ body: (UnsafeBufferPointer<LexicalPosting>) -> Void) {
        if let range = postingRange(term) { body(UnsafeBufferPointer(start: postings + range.lowerBound, count: range.count)) }
    }

    func length(_ ordinal: UInt32) -> UInt32 { lengths[Int(ordinal)] }

    func row(_ ordinal: UInt32) -> UInt64? { rows[Int(ordinal)] }
}

extension LexicalSegment {
    /// Where each section starts, from the counts alone.
    struct Layout {
        let rows: Int
        let lengths: Int
        let terms: Int
        let postings: Int
        let end: Int

        init(documents: Int, terms termCount: Int, postings postingCount: Int) {
            rows = LexicalSegment.headerSize
            lengths = rows + documents * 8
            terms = lengths + (documents * 4 + 7) / 8 * 8
            postings = terms + termCount * 16
            end = postings + postingCount * 8
        }
    }

    /// The fixed-size header.
    struct Header {
        var documents: Int
        var terms: Int
        var postings: Int
        var totalLength: Int
        var bodyChecksum: UInt32

        func encoded() -> [UInt8] {
            var bytes = LexicalSegment.magic
            func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
            put(LexicalSegment.version)
            put(UInt32(0))  // the header checksum, filled below
            put(UInt32(documents))
            put(UInt32(terms))
            put(UInt64(postings))
            put(UInt64(totalLength))
            put(bodyChecksum)
            bytes += [UInt8](repeating: 0, count: LexicalSegment.headerSize - bytes.count)
            let checksum = bytes.withUnsafeBytes { strata_crc32c(0, $0.baseAddress, $0.count) }
            withUnsafeBytes(of: checksum.littleEndian) { bytes.replaceSubrange(12..<16, with: $0) }
            return bytes
        }

        static func decode(_ file: UnsafeRawBufferPointer, path: String) throws(IndexError) -> Header {
            func fail(_ problem: String) -> IndexError { .file(path: path, problem: problem) }
            func read<T: FixedWidthInteger>(_ offset: Int, as _: T.Type) -> T { T(littleEndian: file.loadUnaligned(fromByteOffset: offset, as: T.self)) }
            guard Array(file[0..<8]) == LexicalSegment.magic else { throw fail("not a Strata lexical index (no STRBM25 magic)") }
            let version = read(8, as: UInt32.self)
            guard version == LexicalSegment.version else { throw fail("lexical index format \(version); this build reads format \(LexicalSegment.version)") }
            var headerBytes = Array(file[0..<LexicalSegment.headerSize])
            headerBytes.replaceSubrange(12..<16, with: [0, 0, 0, 0])
            let expected = headerBytes.withUnsafeBytes { strata_crc32c(0, $0.baseAddress, $0.count) }
            guard read(12, as: UInt32.self) == expected else { throw fail("the header's checksum does not match: the file is corrupted") }
            let header = Header(
                documents: Int(read(16, as: UInt32.self)), terms: Int(read(20, as: UInt32.self)),
                postings: Int(read(24, as: UInt64.self)), totalLength: Int(read(32, as: UInt64.self)),
                bodyChecksum: read(40, as: UInt32.self))
            guard header.postings < Int(UInt32.max) else { throw fail("the header promises \(header.postings) postings, more than the format addresses") }
            let layout = Layout(documents: header.documents, terms: header.terms, postings: header.postings)
            guard layout.end == file.count else {
                throw fail("\(file.count) bytes, but its header promises \(layout.end) (\(header.documents) documents, \(header.terms) terms, \(header.postings) postings): the file is truncated or torn")
            }
            let body = UnsafeRawBufferPointer(rebasing: file[LexicalSegment.headerSize...])
            guard strata_crc32c(0, body.baseAddress, body.count) == header.bodyChecksum else { throw fail("the body's checksum does not match: the file is corrupted") }
            return header
        }
    }
}

extension LexicalSegment {
    /// Every document, in ordinal order, read back from the postings (no tokenizer): what a
    /// compaction carries into the segment it writes.
    public func documents() -> [LexicalDocument] {
        var terms = [[TermFrequency]](repeating: [], count: documentCount)
        for index in 0..<termCount {
            let term = self.terms[index * 2]
            guard let range = postingRange(term) else { continue }
            for posting in UnsafeBufferPointer(start: postings + range.lowerBound, count: range.count) where Int(posting.ordinal) < documentCount {
                terms[Int(posting.ordinal)].append(TermFrequency(term: term, count: posting.count))
            }
        }
        return (0..<documentCount).map { LexicalDocument(row: rows[$0], terms: terms[$0], length: lengths[$0]) }
    }
}
