import Foundation

/// The patterns a filter accepts, answered where it is cheapest: a filter of native fields
/// only by the in-RAM columns (searches) or the catalog; a payload condition by the field
/// indexes when they cover every key it reads, by a scan of the parsed payloads when the
/// catalog's SQL cannot express it (date-time, geo, nested, keys walking arrays) and no
/// index covers it, and otherwise by the catalog's SQL, as before any index.
///
/// Every path gives the same answers (one leaf rule, ``PayloadCondition/holds(_:)``, and the
/// SQL written to match it); the tests compare them on random payloads and conditions.
struct FilteredRows {
    let store: PatternStore

    /// The accepted rows' locations in row order, and their ids when the scan read them.
    struct Matched {
        var locations: [VectorLocation]
        var ids: [Int64: String]?
    }

    /// Locations of what the filter accepts, in row order. For a write (`writing`: the caller
    /// holds the write lock) the catalog is read through the writer.
    func locations(_ filter: PatternFilter, writing: Bool = false) throws(StoreError) -> [VectorLocation] {
        if let matched = try matched(filter, writing: writing) { return matched.locations }
        if writing { return try store.writer.locations(matching: filter) }
        if filter.payload == nil { return try store.payloadIndex().locations(matching: filter) }
        return try store.read { () throws(StoreError) in try store.reader.locations(matching: filter) }
    }

    /// How many patterns the filter accepts.
    func count(_ filter: PatternFilter) throws(StoreError) -> Int {
        if let matched = try matched(filter) { return matched.locations.count }
        return try store.read { () throws(StoreError) in try store.reader.count(matching: filter) }
    }

    /// What the filter accepts; nil when the catalog's SQL answers it. Ids and payloads are
    /// read through the reader under the read lock, or for a write (`writing`: the caller
    /// holds the write lock) through the writer, with the field indexes only if built.
    private func matched(_ filter: PatternFilter, writing: Bool = false) throws(StoreError) -> Matched? {
        guard let condition = filter.payload else { return nil }
        func reading<T>(_ body: (Catalog) throws(StoreError) -> T) throws(StoreError) -> T {
            writing ? try body(store.writer) : try store.read { () throws(StoreError) in try body(store.reader) }
        }
        // The in-RAM index is built (a scan of every row, under the write lock, before any
        // catalog lock is taken) only for a store that declares field indexes: without any,
        // the catalog or the payload scan answers, as before.
        var index = store.tiers.payload
        if index == nil, !writing, try !store.read({ () throws(StoreError) in try PayloadFieldIndexes.declared(in: store.reader) }).isEmpty {
            index = try store.payloadIndex()
        }
        if let index, index.covers(condition) {
            let ids = condition.namedIDs
            let rowsOfIDs = try reading { (catalog) throws(StoreError) -> [String: Int64] in
                var rows: [String: Int64] = [:]
                for id in ids { rows[id] = try catalog.location(ofID: id)?.row }
                return rows
            }
            return index.indexedLocations(matching: filter, rowsOfIDs: rowsOfIDs).map { Matched(locations: $0, ids: nil) }
        }
        guard !condition.isSQLExpressible else { return nil }
        // A scan: the native conditions in SQL, the payload condition on each parsed payload.
        var native = filter
        native.payload = nil
        var ids: [Int64: String] = [:]
        var after: Int64 = -1
        while true {
            let page = try reading { (catalog) throws(StoreError) in try catalog.page(matching: native, after: after, limit: 1_000) }
            for (row, pattern) in page {
                let document = pattern.payload.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } ?? [String: Any]()
                if condition.holds(document: document, id: pattern.id) { ids[row] = pattern.id }
            }
            guard page.count == 1_000, let last = page.last else { break }
            after = last.row
        }
        let locations = try reading { (catalog) throws(StoreError) in try catalog.locations(matching: native) }
        return Matched(locations: locations.filter { ids[$0.row] != nil }, ids: ids)
    }

    /// Up to `limit` accepted patterns with id ≥ `from` (byte order), in id order.
    func scroll(_ filter: PatternFilter, fromID from: String, limit: Int) throws(StoreError) -> [Pattern] {
        guard let matched = try matched(filter) else {
            return try store.read { () throws(StoreError) in try store.reader.page(matching: filter, fromID: from, limit: limit) }
        }
        let rows = matched.locations.map(\.row)
        let ids: [String]
        if let known = matched.ids { ids = rows.map { known[$0] ?? "" } } else { ids = try store.payloadIndex().ids(ofRows: rows) }
        let chosen = zip(rows, ids)
            .filter { !$0.1.utf8.lexicographicallyPrecedes(from.utf8) }
            .sorted { $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) }
            .prefix(limit)
        return try hydrate(chosen.map(\.0)).map(\.pattern)
    }

    /// Up to `limit` accepted patterns with row > `after`, in row order.
    func page(_ filter: PatternFilter, after: Int64, limit: Int) throws(StoreError) -> [(row: Int64, pattern: Pattern)] {
        guard let matched = try matched(filter) else {
            return try store.read { () throws(StoreError) in try store.reader.page(matching: filter, after: after, limit: limit) }
        }
        return try hydrate(Array(matched.locations.lazy.map(\.row).filter { $0 > after }.prefix(limit)))
    }

    /// The patterns at `rows`, in that order; a row deleted since it matched is left out.
    private func hydrate(_ rows: [Int64]) throws(StoreError) -> [(row: Int64, pattern: Pattern)] {
        let found = try store.read { () throws(StoreError) in try store.reader.patterns(rows: rows) }
        return rows.compactMap { row in found[row].map { (row, $0) } }
    }
}
