import Foundation

/// Catalog rows as bits: what a payload condition evaluates to, a set at a time.
struct PayloadRowSet: Sendable {
    private(set) var words: [UInt64]

    /// The empty set over rows `0..<count`.
    init(count: Int) {
        words = Array(repeating: 0, count: (count + 63) / 64)
    }

    func contains(_ row: Int) -> Bool {
        row / 64 < words.count && words[row / 64] & (1 << UInt64(row % 64)) != 0
    }

    mutating func insert(_ row: Int) {
        words[row / 64] |= 1 << UInt64(row % 64)
    }

    mutating func formIntersection(_ other: Self) {
        for index in words.indices { words[index] &= other.words[index] }
    }

    mutating func formUnion(_ other: Self) {
        for index in words.indices { words[index] |= other.words[index] }
    }

    mutating func subtract(_ other: Self) {
        for index in words.indices { words[index] &= ~other.words[index] }
    }

    /// The rows in the set, ascending.
    var rows: [Int] {
        var rows: [Int] = []
        for (index, word) in words.enumerated() {
            var remaining = word
            while remaining != 0 {
                rows.append(index * 64 + remaining.trailingZeroBitCount)
                remaining &= remaining - 1
            }
        }
        return rows
    }
}

extension PayloadIndex {
    /// Whether the field indexes answer `condition`: there are some (the ids are kept only
    /// then), every key it reads has one, and it holds no nested condition.
    func covers(_ condition: PayloadCondition) -> Bool {
        !fields.isEmpty && !condition.isNested && condition.keys.allSatisfy { fields[$0] != nil }
    }

    /// Locations of every live row the filter accepts, its payload condition read from the
    /// field indexes, in row order; nil when they do not cover it (``covers(_:)``).
    /// `rowsOfIDs` gives the row of each id a `has_id` names that is stored.
    func indexedLocations(matching filter: PatternFilter, rowsOfIDs: [String: Int64]) -> [VectorLocation]? {
        lock.lock()
        defer { lock.unlock() }
        guard let condition = filter.payload else { return unlockedLocations(matching: filter, payloadRows: nil) }
        guard covers(condition) else { return nil }
        return unlockedLocations(matching: filter, payloadRows: rows(meeting: condition, rowsOfIDs: rowsOfIDs))
    }

    /// The ids of `rows`, for a field-indexed index; under the lock.
    func ids(ofRows rows: [Int64]) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return rows.map { Int($0) < ids.count ? ids[Int($0)] : "" }
    }

    /// The live rows meeting `condition`, every key of which has a field index.
    private func rows(meeting condition: PayloadCondition, rowsOfIDs: [String: Int64]) -> PayloadRowSet {
        var everything = PayloadRowSet(count: alive.count)
        for row in alive.indices where alive[row] { everything.insert(row) }
        func evaluate(_ condition: PayloadCondition) -> PayloadRowSet {
            switch condition {
            case let .all(conditions):
                return conditions.reduce(into: everything) { $0.formIntersection(evaluate($1)) }
            case let .any(conditions):
                guard !conditions.isEmpty else { return everything }
                return conditions.reduce(into: PayloadRowSet(count: alive.count)) { $0.formUnion(evaluate($1)) }
            case let .not(inner):
                var result = everything
                result.subtract(evaluate(inner))
                return result
            case let .atLeast(count, conditions):
                guard count > 0 else { return everything }
                var met = [Int32](repeating: 0, count: alive.count)
                for inner in conditions {
                    for row in evaluate(inner).rows { met[row] += 1 }
                }
                var result = PayloadRowSet(count: alive.count)
                for row in met.indices where met[row] >= count { result.insert(row) }
                return result
            case let .hasID(ids):
                var result = PayloadRowSet(count: alive.count)
                for id in ids {
                    if let row = rowsOfIDs[id], everything.contains(Int(row)) { result.insert(Int(row)) }
                }
                return result
            case .nested:
                preconditionFailure("a nested condition is answered by a scan of the payloads (covers)")
            case let .equals(key, value):
                return leaf(condition, key, posted: [PayloadElement(value)])
            case let .oneOf(key, values):
                return leaf(condition, key, posted: values.map(PayloadElement.init))
            case .noneOf, .containsText, .range, .isEmpty, .isNull, .valuesCount, .timeRange, .geoRadius, .geoBox:
                return leaf(condition, condition.key!, posted: nil)
            }
        }
        // An equality the postings answer; any other condition on one key, a scan of its values.
        func leaf(_ condition: PayloadCondition, _ key: PayloadKey, posted: [PayloadElement]?) -> PayloadRowSet {
            let field = fields[key]!
            var result = PayloadRowSet(count: alive.count)
            if let posted, let rows = field.rows(holding: posted) {
                for row in rows where everything.contains(Int(row)) { result.insert(Int(row)) }
                return result
            }
            for row in alive.indices where alive[row] && condition.holds(field.values(row: row)) { result.insert(row) }
            return result
        }
        return evaluate(condition)
    }
}
