import Foundation

/// The decisions of one ``PatternStore/add(_:existing:)``: which patterns are new, which
/// replace a stored one, which merge into another pattern (and what each merge adds to it),
/// and which rows the new ones take.
///
/// Pure: the store looks things up (stored ids, content hashes, nearest vectors) and hands the
/// answers in, step by step, in this order; the plan decides, and the store carries the
/// decisions out in one transaction. So every rule of dedup and merging is tested here without
/// a catalog or a graph (`AddPlanTests`).
///
/// 1. ``classify(_:stored:policy:textHolder:)`` each pattern: stored id (fail, unchanged or
///    replace), same text as a stored pattern or an earlier one of the batch (exact merge), or
///    fresh;
/// 2. ``mergeNearStored(_:threshold:)``: fresh patterns whose nearest stored vector is
///    similar enough merge into it;
/// 3. ``assignRows(_:)`` to the fresh patterns left;
/// 4. ``mergeWithinBatch(_:threshold:)``: fresh patterns nearly repeating an earlier one of
///    the batch merge into it;
/// 5. ``settleRepeats()``: exact repeats within the batch follow their first to wherever it
///    landed.
package struct AddPlan {
    /// What merged patterns add to the pattern they merge into.
    package struct Merge: Equatable {
        package var usage = 0
        package var tags: [String] = []

        package init(usage: Int = 0, tags: [String] = []) {
            self.usage = usage
            self.tags = tags
        }
    }

    /// A stored pattern the add replaces.
    package struct Replacement {
        package var index: Int
        package var row: Int64
        package var old: Pattern
    }

    package let patterns: [NewPattern]
    /// The id of each pattern: its own, or a new UUID.
    package let ids: [String]
    /// The content hash of each pattern's normalized text.
    package let hashes: [String]
    private var decided: [AddOutcome?]
    package private(set) var replacements: [Replacement] = []
    /// What merges add to each row, new rows of this batch included.
    package private(set) var merges: [Int64: Merge] = [:]
    /// The patterns stored as new ones (indexes into ``patterns``), in order; after step 4
    /// some of them (not among ``keepers``) merged into an earlier one.
    package private(set) var fresh: [Int] = []
    /// The row of each fresh pattern, by position in ``fresh``.
    package private(set) var rows: [Int64] = []
    /// Positions in ``fresh`` of the patterns that are written.
    package private(set) var keepers: [Int] = []
    /// The first batch pattern of each text, for repeats.
    private var textOwner: [String: Int] = [:]
    private var repeats: [(index: Int, owner: Int)] = []
    /// The row each merged or kept fresh pattern's text ended on.
    private var landedOn: [Int: Int64] = [:]

    package init(_ patterns: [NewPattern], makeID: () -> String = { UUID().uuidString.lowercased() }) {
        self.patterns = patterns
        ids = patterns.map { $0.id ?? makeID() }
        hashes = patterns.map { Pattern.contentHash(of: $0.text) }
        decided = Array(repeating: nil, count: patterns.count)
    }

    /// One outcome per pattern, in order; call after every step.
    package var outcomes: [AddOutcome] { decided.map { $0! } }

    /// The rows written as new patterns.
    package var keptRows: Set<Int64> { Set(keepers.map { rows[$0] }) }

    // MARK: steps

    /// Step 1 for pattern `index`: `stored` is the pattern its id names, if stored;
    /// `textHolder` finds the stored pattern with the same text (asked only when needed).
    package mutating func classify(
        _ index: Int, stored: (row: Int64, pattern: Pattern)?, policy: ExistingIDPolicy,
        textHolder: () throws(StoreError) -> (row: Int64, id: String)?
    ) throws(StoreError) {
        let id = ids[index]
        if let (row, old) = stored {
            switch policy {
            case .fail:
                throw .invalidArgument(name: "id", value: id, expected: "an id not yet in the store (use upsert to replace a pattern)")
            case .replaceIfChanged where old.contentHash == hashes[index]:
                decided[index] = AddOutcome(id: id, action: .unchanged, storedAs: id)
            case .replace, .replaceIfChanged:
                replacements.append(Replacement(index: index, row: row, old: old))
                decided[index] = AddOutcome(id: id, action: .replaced, storedAs: id)
            }
            return
        }
        // A pattern without text (a vector and a payload) has nothing to compare by text.
        let hasText = !patterns[index].text.isEmpty
        if hasText, let (row, holder) = try textHolder() {
            merge(index, into: row)
            decided[index] = AddOutcome(id: id, action: .mergedExact, storedAs: holder)
        } else if hasText, let first = textOwner[hashes[index]] {
            decided[index] = AddOutcome(id: id, action: .mergedExact, storedAs: ids[first])
            repeats.append((index, first))
        } else {
            if hasText { textOwner[hashes[index]] = index }
            decided[index] = AddOutcome(id: id, action: .added, storedAs: id)
            fresh.append(index)
        }
    }

    /// Step 2: `nearest[item]` is the stored pattern nearest fresh pattern `fresh[item]`
    /// (its row, id and similarity); at `threshold` or above, the pattern merges into it.
    package mutating func mergeNearStored(_ nearest: [(row: Int64, id: String, similarity: Double)?], threshold: Double) {
        precondition(nearest.count == fresh.count, "one nearest stored pattern (or none) per fresh pattern")
        var kept: [Int] = []
        for (item, index) in fresh.enumerated() {
            guard let match = nearest[item], match.similarity >= threshold else {
                kept.append(index)
                continue
            }
            merge(index, into: match.row)
            decided[index] = AddOutcome(id: ids[index], action: .mergedNear, storedAs: match.id, similarity: match.similarity)
        }
        fresh = kept
    }

    /// Step 3: the rows of the fresh patterns, one each, in order.
    package mutating func assignRows(_ rows: [Int64]) {
        precondition(rows.count == fresh.count, "one row per fresh pattern")
        self.rows = rows
        keepers = Array(fresh.indices)
    }

    /// Step 4: `neighbours[item]` are the batch's rows nearest fresh pattern `fresh[item]`,
    /// with their similarity. A pattern at `threshold` or above of an earlier one merges into
    /// the earliest such (followed to the pattern that one merged into).
    ///
    /// - Returns: the rows that merged away, to delete from the batch's graph.
    package mutating func mergeWithinBatch(_ neighbours: [[(row: Int64, similarity: Double)]], threshold: Double) -> [Int64] {
        precondition(neighbours.count == fresh.count, "one neighbour list per fresh pattern")
        let itemOfRow = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($0.element, $0.offset) })
        var absorbedInto = [Int?](repeating: nil, count: fresh.count)
        var absorbed: [Int64] = []
        keepers = []
        for item in fresh.indices {
            let earlier = neighbours[item]
                .filter { (itemOfRow[$0.row] ?? .max) < item && $0.similarity >= threshold }
                .min { $0.row < $1.row }
            guard let earlier else {
                keepers.append(item)
                continue
            }
            var target = itemOfRow[earlier.row]!
            while let next = absorbedInto[target] { target = next }
            absorbedInto[item] = target
            let index = fresh[item]
            decided[index] = AddOutcome(id: ids[index], action: .mergedNear, storedAs: ids[fresh[target]], similarity: earlier.similarity)
            absorbed.append(rows[item])
        }
        // Merges land on the kept pattern's own usage and tags.
        for item in fresh.indices {
            guard let target = absorbedInto[item] else { continue }
            merge(fresh[item], into: rows[target])
        }
        return absorbed
    }

    /// Step 5: every fresh pattern's text is where it landed; exact repeats within the batch
    /// merge there too.
    package mutating func settleRepeats() {
        for item in fresh.indices where landedOn[fresh[item]] == nil { landedOn[fresh[item]] = rows[item] }
        for (index, owner) in repeats {
            guard let row = landedOn[owner] else { continue }
            merge(index, into: row)
            decided[index]!.storedAs = decided[owner]!.storedAs
        }
    }

    /// The one piece of merge bookkeeping: pattern `index`'s usage (at least one) and tags
    /// go to `row`.
    private mutating func merge(_ index: Int, into row: Int64) {
        merges[row, default: Merge()].usage += max(1, patterns[index].usageCount ?? 0)
        merges[row, default: Merge()].tags += patterns[index].tags
        landedOn[index] = row
    }

    /// Takes the merge meant for a new row (added to the pattern as it is written).
    package mutating func takeMerge(into row: Int64) -> Merge? {
        merges.removeValue(forKey: row)
    }
}
