import Foundation

/// What a payload field index is declared for: Qdrant's field schemas.
///
/// The schema names the values the caller means to filter on and counts the patterns that
/// hold one (``PayloadFieldInfo/points``); the index itself keeps every value at the key, so a
/// condition gives the same answer with or without an index whatever the payloads hold.
/// `keyword`, `uuid`, `integer` and `bool` indexes also keep each value's patterns, so an
/// equality is answered without a scan.
public enum PayloadFieldSchema: String, Sendable, CaseIterable {
    case keyword, integer, float, bool, datetime, text, geo, uuid

    /// Whether the index keeps each value's patterns (equality without a scan).
    var keepsPostings: Bool { [.keyword, .uuid, .integer, .bool].contains(self) }

    /// Whether `element` is a value of this schema.
    func accepts(_ element: PayloadElement) -> Bool {
        switch (self, element) {
        case (.keyword, .text), (.uuid, .text), (.text, .text), (.integer, .integer), (.float, .integer), (.float, .real),
             (.bool, .bool), (.geo, .geo):
            true
        case let (.datetime, .text(value)):
            PayloadTime.seconds(value) != nil
        default:
            false
        }
    }
}

/// A declared payload field index, as listed: its key, schema, and how many patterns hold a
/// value of the schema at the key.
public struct PayloadFieldInfo: Sendable, Equatable {
    public var key: String
    public var schema: PayloadFieldSchema
    public var points: Int

    public init(key: String, schema: PayloadFieldSchema, points: Int) {
        self.key = key
        self.schema = schema
        self.points = points
    }
}

/// The values at one payload key of every pattern, by catalog row, in RAM; for some schemas
/// also the rows of each value. Guarded by the ``PayloadIndex`` that holds it.
final class PayloadFieldIndex {
    let key: PayloadKey
    let schema: PayloadFieldSchema
    private var values: [PayloadValues] = []
    /// Rows holding each string, integer or boolean value, ascending; nil unless the schema
    /// keeps postings.
    private var postings: [PayloadElement: [Int32]]?
    /// Rows holding a value of the schema.
    private(set) var points = 0

    init(key: PayloadKey, schema: PayloadFieldSchema) {
        self.key = key
        self.schema = schema
        postings = schema.keepsPostings ? [:] : nil
    }

    /// The values at the key in `row`; none for a row never set.
    func values(row: Int) -> PayloadValues {
        row < values.count ? values[row] : .missing
    }

    /// Replaces the values of `row`.
    func set(row: Int, _ new: PayloadValues) {
        remove(row: row)
        if row >= values.count {
            values += repeatElement(.missing, count: max(row + 1, values.count * 3 / 2) - values.count)
        }
        values[row] = new
        if new.elements.contains(where: schema.accepts) { points += 1 }
        guard postings != nil else { return }
        for element in Set(new.elements) where Self.isPosted(element) {
            postings![element, default: []].insertSorted(Int32(row))
        }
    }

    /// Forgets the values of `row`.
    func remove(row: Int) {
        guard row < values.count else { return }
        let old = values[row]
        values[row] = .missing
        if old.elements.contains(where: schema.accepts) { points -= 1 }
        guard postings != nil else { return }
        for element in Set(old.elements) where Self.isPosted(element) {
            postings![element]?.removeSorted(Int32(row))
            if postings![element]?.isEmpty == true { postings![element] = nil }
        }
    }

    /// The rows holding any of `elements`, or nil when the index keeps no postings.
    func rows(holding elements: [PayloadElement]) -> [Int32]? {
        guard let postings else { return nil }
        return elements.flatMap { postings[$0] ?? [] }
    }

    private static func isPosted(_ element: PayloadElement) -> Bool {
        switch element {
        case .text, .integer, .bool: true
        default: false
        }
    }
}

extension [Int32] {
    /// Inserts `value` keeping the array ascending (rows mostly arrive in order: an append).
    fileprivate mutating func insertSorted(_ value: Int32) {
        if let last, last < value { append(value); return }
        let position = partitioningIndex { $0 >= value }
        if position == count || self[position] != value { insert(value, at: position) }
    }

    fileprivate mutating func removeSorted(_ value: Int32) {
        let position = partitioningIndex { $0 >= value }
        if position < count, self[position] == value { remove(at: position) }
    }

    /// The first position whose element meets `predicate`, which is false then true along
    /// the array.
    private func partitioningIndex(where predicate: (Int32) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
