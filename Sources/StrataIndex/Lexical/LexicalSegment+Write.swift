#if canImport(Glibc)
import Glibc
#endif
import CStrataShims

extension LexicalSegment {
    /// Writes `documents` (their order is the ordinal order) as a lexical index file,
    /// atomically: a temporary file beside `path` is written and fsynced, renamed over `path`,
    /// and the directory fsynced, so that after a crash `path` holds the old file or the whole
    /// new one.
    ///
    /// - Returns: the size of the file in bytes.
    /// - Throws: ``IndexError/capacityExceeded(limit:)`` past 2³² − 1 documents or postings;
    ///   ``IndexError/file(path:problem:)`` when writing fails.
    @discardableResult
    public static func write(_ documents: [LexicalDocument], to path: String) throws(IndexError) -> Int {
        let limit = Int(UInt32.max) - 1
        guard documents.count <= limit else { throw .capacityExceeded(limit: limit) }
        var entries: [(term: UInt64, ordinal: UInt32, count: UInt32)] = []
        entries.reserveCapacity(documents.reduce(0) { $0 + $1.terms.count })
        var totalLength = 0
        for (ordinal, document) in documents.enumerated() {
            totalLength += Int(document.length)
            for term in document.terms { entries.append((term.term, UInt32(ordinal), term.count)) }
        }
        guard entries.count <= limit else { throw .capacityExceeded(limit: limit) }
        // Grouped by term, ordinals ascending within a term (the documents' order is kept).
        entries.sort { $0.term < $1.term || ($0.term == $1.term && $0.ordinal < $1.ordinal) }
        var body: [UInt8] = []
        let layout = Layout(documents: documents.count, terms: 0, postings: 0)
        body.reserveCapacity(layout.terms + entries.count * 24)
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { body += $0 } }
        for document in documents { put(document.row) }
        for document in documents { put(document.length) }
        while body.count % 8 != 0 { body.append(0) }
        var termCount = 0
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count && entries[end].term == entries[start].term { end += 1 }
            put(entries[start].term)
            put(UInt32(start))
            put(UInt32(end - start))
            termCount += 1
            start = end
        }
        for entry in entries {
            put(entry.ordinal)
            put(entry.count)
        }
        let checksum = body.withUnsafeBytes { strata_crc32c(0, $0.baseAddress, $0.count) }
        let header = Header(documents: documents.count, terms: termCount, postings: entries.count, totalLength: totalLength, bodyChecksum: checksum)
        let bytes = header.encoded() + body
        try FileDescriptor.writeAtomically(path) { (fd) throws(IndexError) in try fd.write(bytes) }
        return bytes.count
    }
}
