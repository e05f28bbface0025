/// A set of catalog rows as a bitmap: constant-time membership for graph predicates.
struct RowSet: Sendable {
    private var words: [UInt64]

    init(_ rows: [Int64]) {
        let highest = rows.max() ?? 0
        words = [UInt64](repeating: 0, count: Int(highest >> 6) + 1)
        for row in rows where row >= 0 { words[Int(row >> 6)] |= 1 << UInt64(row & 63) }
    }

    @inline(__always)
    func contains(_ row: UInt64) -> Bool {
        let word = Int(row >> 6)
        return word < words.count && words[word] & (1 << (row & 63)) != 0
    }
}
