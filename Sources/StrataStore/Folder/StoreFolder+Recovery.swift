import Logging
import StrataIndex

/// What an open finds in the folder: the segments the catalog lists, and those it does not.
extension StoreFolder {
    /// Deletes segment files the catalog does not reference: a flush or compaction that
    /// died after writing its file and before its transaction committed.
    func removeOrphanSegments(listedIn catalog: Catalog, logger: Logger) throws(StoreError) {
        let removed = removeSegments(notIn: Set(try catalog.segments().map(\.file)))
        if !removed.isEmpty {
            logger.notice("removed orphan segment files", metadata: ["files": "\(removed)"])
            try catalog.log("orphans", "removed \(removed.count) uncommitted segment file(s): \(removed.joined(separator: ", "))")
        }
    }

    /// Every cold segment `catalog` lists, mapped and checked, with its lexical index and its
    /// dead rows.
    func coldSegments(listedIn catalog: Catalog, dimension: Int, logger: Logger) throws(StoreError) -> [ColdSegment] {
        var segments: [ColdSegment] = []
        for record in try catalog.segments() {
            segments.append(try coldSegment(record, listedIn: catalog, dimension: dimension, logger: logger))
        }
        return segments
    }

    /// The cold segment `record` names, its lexical index rebuilt from `catalog` if need be.
    func coldSegment(_ record: SegmentRecord, listedIn catalog: Catalog, dimension: Int, logger: Logger) throws(StoreError) -> ColdSegment {
        let segment = try openSegment(record.file, expecting: record, dimension: dimension)
        let lexical = try openLexical(for: segment, named: record.file, logger: logger) { (rows) throws(StoreError) in
            try catalog.lexicalSources(rows: rows, hotOnly: false)
        }
        return ColdSegment(record: record, segment: segment, lexical: lexical, dead: Set(try catalog.tombstones(segment: record.id)))
    }

    /// Maps the segment `record` names and checks it holds what the catalog says.
    func openSegment(_ file: String, expecting record: SegmentRecord, dimension: Int) throws(StoreError) -> Segment {
        let segment = try openSegment(file)
        guard segment.dimension == dimension, segment.slotCount == record.slots else {
            throw .file(path: segmentPath(file), problem: "segment holds \(segment.slotCount) slots of dimension \(segment.dimension); the catalog expects \(record.slots) of dimension \(dimension). Run `strata verify`")
        }
        return segment
    }
}
