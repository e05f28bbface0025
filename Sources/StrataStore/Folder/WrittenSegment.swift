import StrataIndex

/// A segment file and its lexical index just written and opened, before the catalog knows
/// them.
struct WrittenSegment {
    /// Its name in the segments folder (the SHA-256 of its bytes).
    var file: String
    var segment: Segment
    var lexical: LexicalSegment
    /// The slot of each row in it.
    var slots: [Int64: Int]
}

extension StoreFolder {
    /// Writes `graph` as a new segment file (``writeSegment(_:)``) and `documents` (by row) as
    /// its lexical index, and maps both.
    func writeOpenedSegment(_ graph: HNSWGraph, documents: [UInt64: LexicalDocument]) throws(StoreError) -> WrittenSegment {
        let file = try writeSegment(graph)
        let segment = try openSegment(file)
        let lexical = try writeLexical(documents, for: segment, named: file)
        var slots: [Int64: Int] = [:]
        slots.reserveCapacity(segment.slotCount)
        for slot in 0..<segment.slotCount where !segment.isDeleted(slot: slot) {
            slots[Int64(segment.id(atSlot: slot))] = slot
        }
        return WrittenSegment(file: file, segment: segment, lexical: lexical, slots: slots)
    }
}
