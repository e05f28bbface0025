import StrataIndex

/// A segment file just written and opened, before the catalog knows it.
struct WrittenSegment {
    /// Its name in the segments folder (the SHA-256 of its bytes).
    var file: String
    var segment: Segment
    /// The slot of each row in it.
    var slots: [Int64: Int]
}

extension StoreFolder {
    /// Writes `graph` as a new segment file (``writeSegment(_:)``) and maps it.
    func writeOpenedSegment(_ graph: HNSWGraph) throws(StoreError) -> WrittenSegment {
        let file = try writeSegment(graph)
        let segment = try openSegment(file)
        var slots: [Int64: Int] = [:]
        slots.reserveCapacity(segment.slotCount)
        for slot in 0..<segment.slotCount where !segment.isDeleted(slot: slot) {
            slots[Int64(segment.id(atSlot: slot))] = slot
        }
        return WrittenSegment(file: file, segment: segment, slots: slots)
    }
}
