import StrataIndex

/// An open cold segment with the catalog's view of it: which of its rows are dead. Its
/// lexical index covers the same rows, so both legs of a search skip the same dead ones.
///
/// A value: the store replaces it whole when tombstones change, so a search holding a copy
/// reads a consistent set while writers move on.
struct ColdSegment: Sendable {
    let record: SegmentRecord
    let segment: Segment
    let lexical: LexicalSegment
    /// Rows (segment labels) whose slot no longer holds their live vector.
    var dead: Set<UInt64>

    /// True when `row`'s slot in this segment is live.
    @inline(__always)
    func isLive(_ row: UInt64) -> Bool { dead.isEmpty || !dead.contains(row) }
}

/// The tiers as one search sees them: the hot graph and its lexical index, and the cold
/// segments, at one instant.
struct TierSnapshot: Sendable {
    let hot: HNSWGraph
    let hotLexical: LexicalMemoryIndex
    let cold: [ColdSegment]
}

extension [ColdSegment] {
    /// Marks `row` dead in the segment `segment` (after a commit moved or deleted it); a
    /// segment no longer listed is left alone.
    mutating func markDead(_ row: Int64, inSegment segment: Int64?) {
        if let position = firstIndex(where: { $0.record.id == segment }) { self[position].dead.insert(UInt64(row)) }
    }
}
