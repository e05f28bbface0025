import Crypto
import Foundation
import StrataIndex
import StrataKernels

/// What became of one pattern given to ``PatternStore/add(_:existing:)``.
public struct AddOutcome: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Codable {
        /// Stored as a new pattern.
        case added
        /// An existing pattern with this id was replaced (``ExistingIDPolicy/replace``).
        case replaced
        /// A pattern with this id and the same text exists; nothing changed.
        case unchanged
        /// Same normalized text as an existing pattern: merged into it (usage, tags).
        case mergedExact = "merged_exact"
        /// Nearly the same vector as an existing pattern: merged into it (usage, tags).
        case mergedNear = "merged_near"
    }

    /// The id the pattern was given (or made up).
    public var id: String
    public var action: Action
    /// The pattern that now holds this text: `id`, or the one it merged into.
    public var storedAs: String
    /// For a near-duplicate merge, the similarity to the pattern it merged into.
    public var similarity: Double?
}

/// What to do when an added pattern's id is already in the store.
public enum ExistingIDPolicy: Sendable {
    /// Refuse the whole batch.
    case fail
    /// Replace the stored pattern's text, metadata and vector (usage history is kept).
    case replace
    /// Leave it when its text is unchanged, replace it otherwise (re-import, re-ingest).
    case replaceIfChanged
}

extension PatternStore {
    /// Candidate list size of the near-duplicate searches.
    static let duplicateSearchEF = 16

    /// Adds one pattern; see ``add(_:existing:)``.
    @discardableResult
    public func add(_ pattern: NewPattern) throws(StoreError) -> AddOutcome {
        try add([pattern], existing: .fail)[0]
    }

    /// Adds or replaces one pattern by id.
    @discardableResult
    public func upsert(_ pattern: NewPattern) throws(StoreError) -> AddOutcome {
        try add([pattern], existing: .replace)[0]
    }

    /// Adds patterns in one transaction: all of them, or (on error) none.
    ///
    /// Texts without a vector are embedded. A pattern whose normalized text equals a stored
    /// one, or whose vector is at least ``StoreConfiguration/nearDuplicateSimilarity`` similar
    /// to a stored one (or to an earlier one in the batch), is merged into it: its usage and
    /// tags are added there and the outcome says so. A batch of at least
    /// ``StoreConfiguration/bulkSegmentMinimum`` new patterns goes straight into a new cold
    /// segment; smaller ones into the hot graph.
    ///
    /// Returns once the transaction has committed: the patterns survive a crash from then on.
    ///
    /// - Returns: one outcome per input, in order.
    public func add(_ patterns: [NewPattern], existing: ExistingIDPolicy = .fail) throws(StoreError) -> [AddOutcome] {
        try ensureOpen()
        guard !patterns.isEmpty else { return [] }
        try Self.validate(patterns)
        // Re-imports and re-ingests mostly repeat what is stored: skip those before embedding.
        var unchanged = Set<Int>()
        if existing == .replaceIfChanged {
            let hashes = try read { () throws(StoreError) in try reader.contentHashes(ofIDs: patterns.map(\.id)) }
            for (index, hash) in hashes.enumerated() where hash != nil && hash == Pattern.contentHash(of: patterns[index].text) {
                unchanged.insert(index)
            }
        }
        let pending = patterns.indices.filter { !unchanged.contains($0) }
        let subset = pending.map { patterns[$0] }
        let vectors = try vectors(for: subset)
        let written = try write { () throws(StoreError) -> [AddOutcome] in
            let outcomes = subset.isEmpty ? [] : try addLocked(subset, vectors: vectors, existing: existing)
            // On a shared store only the maintainer flushes: this process, if it holds (or can
            // take) the maintainer lock.
            if hot.count >= configuration.flushThreshold, try claimMaintenance() {
                try flushLocked(rows: nil, reason: "size")
            }
            return outcomes
        }
        var outcomes = patterns.map { AddOutcome(id: $0.id ?? "", action: .unchanged, storedAs: $0.id ?? "") }
        for (position, index) in pending.enumerated() { outcomes[index] = written[position] }
        return outcomes
    }

    static func validate(_ patterns: [NewPattern]) throws(StoreError) {
        var ids = Set<String>()
        for (index, pattern) in patterns.enumerated() {
            let label = pattern.id ?? "#\(index + 1)"
            // No text at all is a vector-only pattern (a Qdrant point) when it brings its vector;
            // text of blanks only is a mistake either way.
            if pattern.text.allSatisfy(\.isWhitespace), !(pattern.text.isEmpty && pattern.vector != nil) { throw .emptyText(id: label) }
            if let payload = pattern.payload {
                guard (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) is [String: Any] else {
                    throw .invalidArgument(name: "payload of \(label)", value: "\"\(payload.prefix(40))\"", expected: "a JSON object")
                }
            }
            if let id = pattern.id {
                guard !id.isEmpty, id.utf8.count <= 512, !id.contains(where: \.isNewline) else {
                    throw .invalidArgument(name: "id", value: "\"\(id.prefix(40))\"", expected: "1 to 512 bytes, no line breaks")
                }
                guard ids.insert(id).inserted else {
                    throw .invalidArgument(name: "id", value: id, expected: "ids unique within one batch")
                }
            }
            for tag in pattern.tags where tag.isEmpty || tag.contains(where: \.isNewline) {
                throw .invalidArgument(name: "tags of \(label)", value: "\"\(tag)\"", expected: "non-empty tags without line breaks")
            }
            if let quality = pattern.quality, !(0...1).contains(quality) {
                throw .invalidArgument(name: "quality of \(label)", value: "\(quality)", expected: "a number from 0 to 1")
            }
            if let rate = pattern.successRate, !(0...1).contains(rate) {
                throw .invalidArgument(name: "success_rate of \(label)", value: "\(rate)", expected: "a number from 0 to 1")
            }
            if let usage = pattern.usageCount, usage < 0 {
                throw .invalidArgument(name: "usage_count of \(label)", value: "\(usage)", expected: "0 or more")
            }
        }
    }

    /// One vector per pattern: the caller's, checked and normalized, or the embedder's.
    func vectors(for patterns: [NewPattern]) throws(StoreError) -> [[Float]] {
        var vectors = [[Float]?](repeating: nil, count: patterns.count)
        var toEmbed: [Int] = []
        for (index, pattern) in patterns.enumerated() {
            if let vector = pattern.vector {
                do {
                    vectors[index] = try prepareVector(vector)
                } catch let .dimensionMismatch(space, got) {
                    throw .dimensionMismatch(space: space + " (pattern \(pattern.id ?? "#\(index + 1)"))", got: got)
                }
            } else {
                toEmbed.append(index)
            }
        }
        if !toEmbed.isEmpty {
            try fitEmbedderIfNeeded(on: toEmbed.map { patterns[$0].text })
            let embedder = try requireEmbedder()
            let flat = try embedder.embed(toEmbed.map { patterns[$0].text })
            let dimension = configuration.dimension
            guard flat.count == toEmbed.count * dimension else {
                throw .embedder(problem: "returned \(flat.count) floats for \(toEmbed.count) texts of dimension \(dimension)")
            }
            for (offset, index) in toEmbed.enumerated() {
                vectors[index] = try prepareVector(Array(flat[offset * dimension..<(offset + 1) * dimension]))
            }
        }
        return vectors.map { $0! }
    }

    private struct Merge {
        var usage = 0
        var tags: [String] = []
    }

    /// The body of ``add(_:existing:)`` under the write lock.
    func addLocked(_ patterns: [NewPattern], vectors: [[Float]], existing: ExistingIDPolicy) throws(StoreError) -> [AddOutcome] {
        let now = Date()
        let hashes = patterns.map { Pattern.contentHash(of: $0.text) }
        var outcomes = [AddOutcome?](repeating: nil, count: patterns.count)
        var replacements: [(index: Int, row: Int64, old: Pattern, location: VectorLocation)] = []
        var merges: [Int64: Merge] = [:]
        var fresh: [Int] = []
        var hashOwner: [String: Int] = [:]
        // Batch items that repeat an earlier item's text, and the row each merged index
        // landed on, to settle those repeats once rows are known.
        var batchRepeats: [(index: Int, owner: Int)] = []
        var mergedRow: [Int: Int64] = [:]

        // Ids already stored, then exact duplicates (catalog and batch).
        for (index, pattern) in patterns.enumerated() {
            let id = pattern.id ?? UUID().uuidString.lowercased()
            if pattern.id != nil, let (row, stored) = try writer.pattern(id: id) {
                switch existing {
                case .fail:
                    throw .invalidArgument(name: "id", value: id, expected: "an id not yet in the store (use upsert to replace a pattern)")
                case .replaceIfChanged where stored.contentHash == hashes[index]:
                    outcomes[index] = AddOutcome(id: id, action: .unchanged, storedAs: id)
                case .replace, .replaceIfChanged:
                    guard let location = try writer.location(ofID: id) else { throw .unknownID(id) }
                    replacements.append((index, row, stored, location))
                    outcomes[index] = AddOutcome(id: id, action: .replaced, storedAs: id)
                }
                continue
            }
            // A pattern without text (a vector and a payload) has nothing to compare by text.
            let textless = pattern.text.isEmpty
            if !textless, let (row, holder) = try writer.row(forContentHash: hashes[index]) {
                merges[row, default: Merge()].usage += max(1, pattern.usageCount ?? 0)
                merges[row, default: Merge()].tags += pattern.tags
                outcomes[index] = AddOutcome(id: id, action: .mergedExact, storedAs: holder)
                continue
            }
            if !textless, let first = hashOwner[hashes[index]] {
                outcomes[index] = AddOutcome(id: id, action: .mergedExact, storedAs: outcomes[first]!.id)
                batchRepeats.append((index, first))
                continue
            }
            if !textless { hashOwner[hashes[index]] = index }
            outcomes[index] = AddOutcome(id: id, action: .added, storedAs: id)
            fresh.append(index)
        }

        // Near duplicates of stored patterns.
        let threshold = configuration.metric == .cosine ? configuration.nearDuplicateSimilarity : nil
        if let threshold, !fresh.isEmpty {
            let tiers = snapshot
            let nearest = ResultSlots<SearchResult?>(count: fresh.count, initial: nil)
            let freshIndexes = fresh
            // A near duplicate (cosine ≥ 0.95) sits right beside its original: a short
            // candidate list finds it, and dedup runs once per added pattern.
            let ef = Self.duplicateSearchEF
            Parallel.forEach(fresh.count, threads: configuration.threads) { _, item in
                nearest[item] = (try? self.graphSearch(vectors[freshIndexes[item]], k: 1, ef: ef, snapshot: tiers, accept: nil))?.first
            }
            var holders: [Int64: String] = [:]
            var kept: [Int] = []
            for (item, index) in fresh.enumerated() {
                guard let match = nearest[item], Double(1 - match.distance) >= threshold else { kept.append(index); continue }
                let row = Int64(match.id)
                if holders[row] == nil { holders[row] = try writer.pattern(row: row)?.id }
                guard let holder = holders[row] else { kept.append(index); continue }
                merges[row, default: Merge()].usage += max(1, patterns[index].usageCount ?? 0)
                merges[row, default: Merge()].tags += patterns[index].tags
                mergedRow[index] = row
                outcomes[index] = AddOutcome(id: outcomes[index]!.id, action: .mergedNear, storedAs: holder, similarity: Double(1 - match.distance))
            }
            fresh = kept
        }

        // Rows for the new patterns, then near duplicates within the batch, found in a graph
        // of the batch itself (which becomes the segment of a bulk add).
        let rows = try writer.allocateRows(fresh.count)
        let itemOfRow = Dictionary(uniqueKeysWithValues: rows.enumerated().map { (UInt64($0.element), $0.offset) })
        var batchGraph: HNSWGraph?
        if fresh.count >= configuration.bulkSegmentMinimum || (threshold != nil && fresh.count > 1) {
            let graph = try Self.makeGraph(configuration)
            var flat: [Float] = []
            flat.reserveCapacity(fresh.count * configuration.dimension)
            for index in fresh { flat += vectors[index] }
            do {
                try graph.insert(contentsOf: flat, ids: rows.map(UInt64.init), threads: configuration.threads)
            } catch {
                throw .index(error)
            }
            batchGraph = graph
        }
        var keepers = Array(fresh.indices)
        if let threshold, let graph = batchGraph, fresh.count > 1 {
            let neighbours = ResultSlots<[SearchResult]>(count: fresh.count, initial: [])
            let freshIndexes = fresh
            let ef = Self.duplicateSearchEF
            Parallel.forEach(fresh.count, threads: configuration.threads) { _, item in
                neighbours[item] = (try? graph.search(vectors[freshIndexes[item]], k: 4, ef: ef)) ?? []
            }
            var absorbedInto = [Int?](repeating: nil, count: fresh.count)
            keepers = []
            for item in fresh.indices {
                // The earliest batch item this one nearly repeats, followed to the pattern
                // that item itself merged into.
                let earlier = neighbours[item]
                    .filter { (itemOfRow[$0.id] ?? .max) < item && Double(1 - $0.distance) >= threshold }
                    .min { $0.id < $1.id }
                if let earlier {
                    var target = itemOfRow[earlier.id]!
                    while let next = absorbedInto[target] { target = next }
                    absorbedInto[item] = target
                    let index = fresh[item]
                    outcomes[index] = AddOutcome(id: outcomes[index]!.id, action: .mergedNear, storedAs: outcomes[fresh[target]]!.id, similarity: Double(1 - earlier.distance))
                    do { try graph.delete(UInt64(rows[item])) } catch { throw .index(error) }
                } else {
                    keepers.append(item)
                }
            }
            // Batch merges land on the kept pattern's own usage and tags.
            for item in fresh.indices {
                guard let target = absorbedInto[item] else { continue }
                merges[rows[target], default: Merge()].usage += max(1, patterns[fresh[item]].usageCount ?? 0)
                merges[rows[target], default: Merge()].tags += patterns[fresh[item]].tags
                mergedRow[fresh[item]] = rows[target]
            }
        }
        for item in fresh.indices where mergedRow[fresh[item]] == nil { mergedRow[fresh[item]] = rows[item] }
        for (index, owner) in batchRepeats {
            guard let row = mergedRow[owner] else { continue }
            merges[row, default: Merge()].usage += max(1, patterns[index].usageCount ?? 0)
            merges[row, default: Merge()].tags += patterns[index].tags
            outcomes[index]!.storedAs = outcomes[owner]!.storedAs
        }

        // A bulk add writes its segment before the transaction; if the process dies before
        // the commit, the file is an orphan and the next open removes it.
        var bulk: (file: String, segment: Segment, slots: [Int64: Int])?
        if keepers.count >= configuration.bulkSegmentMinimum, let graph = batchGraph {
            // Merged batch items stay in the file as deleted slots: rebuilding the graph
            // without them would cost a second build for a few percent of the slots.
            bulk = try writeSegment(graph)
        }

        let keptRows = Set(keepers.map { rows[$0] })
        try writer.transaction { () throws(StoreError) in
            var segmentID: Int64?
            if let bulk {
                segmentID = try writer.insertSegment(file: bulk.file, slots: bulk.segment.slotCount, bytes: bulk.segment.fileBytes)
            }
            for item in keepers {
                let index = fresh[item]
                let row = rows[item]
                var pattern = Self.makePattern(patterns[index], id: outcomes[index]!.id, hash: hashes[index], now: now)
                if let merge = merges.removeValue(forKey: row) {
                    pattern.usageCount += merge.usage
                    pattern.tags = Self.union(pattern.tags, merge.tags)
                }
                if let bulk, let segmentID, let slot = bulk.slots[row] {
                    pattern.tier = .cold
                    try writer.insert(pattern, row: row, location: VectorLocation(row: row, tier: .cold, segment: segmentID, slot: slot))
                } else {
                    try writer.insert(pattern, row: row, location: nil)
                    try writer.insertHotVector(row: row, vectors[index])
                }
            }
            for (row, merge) in merges where !keptRows.contains(row) {
                guard var stored = try writer.pattern(row: row) else { continue }
                stored.usageCount += merge.usage
                stored.tags = Self.union(stored.tags, merge.tags)
                stored.updatedAt = now
                try writer.update(row: row, with: stored)
            }
            for replacement in replacements {
                var pattern = Self.makePattern(patterns[replacement.index], id: replacement.old.id, hash: hashes[replacement.index], now: now)
                pattern.createdAt = replacement.old.createdAt
                pattern.usageCount = max(replacement.old.usageCount, patterns[replacement.index].usageCount ?? 0)
                pattern.successRate = patterns[replacement.index].successRate ?? replacement.old.successRate
                pattern.lastUsedAt = replacement.old.lastUsedAt
                try writer.update(row: replacement.row, with: pattern)
                try writer.retireVector(replacement.location)
                try writer.insertHotVector(row: replacement.row, vectors[replacement.index])
                try writer.markHot(row: replacement.row)
            }
        }

        // Committed: the in-memory tiers follow.
        let tiers = snapshot
        do {
            if bulk == nil, !keepers.isEmpty {
                var flat: [Float] = []
                for item in keepers { flat += vectors[fresh[item]] }
                try tiers.hot.insert(contentsOf: flat, ids: keepers.map { UInt64(rows[$0]) }, threads: configuration.threads)
            }
            for replacement in replacements {
                try tiers.hot.insert(vectors[replacement.index], id: UInt64(replacement.row))
            }
        } catch {
            throw .index(error)
        }
        var cold = tiers.cold
        for replacement in replacements where replacement.location.tier == .cold {
            if let position = cold.firstIndex(where: { $0.record.id == replacement.location.segment }) {
                cold[position].dead.insert(UInt64(replacement.row))
            }
        }
        if let bulk {
            let records = try writer.segments()
            if let record = records.first(where: { $0.file == bulk.file }) {
                cold.append(ColdSegment(record: record, segment: bulk.segment, dead: []))
            }
        }
        replaceTiers(cold: try refreshedRecords(cold))
        try refreshPayload(keepers.map { rows[$0] } + Array(merges.keys) + replacements.map(\.row))
        return outcomes.map { $0! }
    }

    /// Cold segments with their catalog records re-read (dead counts change with deletes).
    func refreshedRecords(_ cold: [ColdSegment]) throws(StoreError) -> [ColdSegment] {
        let records = Dictionary(uniqueKeysWithValues: try writer.segments().map { ($0.id, $0) })
        return cold.compactMap { segment in
            guard let record = records[segment.record.id] else { return nil }
            return ColdSegment(record: record, segment: segment.segment, dead: segment.dead)
        }
    }

    /// Writes `graph` as a new segment file (atomically) and opens it.
    ///
    /// The file is named by the SHA-256 of its bytes: replicas sharing the folder never need
    /// to coordinate names, and a name always means the same content. It is written under a
    /// temporary name first; one left by a crash is an orphan the next sweep removes.
    func writeSegment(_ graph: HNSWGraph) throws(StoreError) -> (file: String, segment: Segment, slots: [Int64: Int]) {
        let folder = Self.segmentsPath(directory)
        let temporary = "writing-" + UUID().uuidString.lowercased() + ".seg"
        do {
            _ = try graph.writeSegment(to: folder + "/" + temporary)
        } catch {
            throw .index(error)
        }
        let file: String
        do {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + temporary), options: .alwaysMapped)
            file = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() + ".seg"
            guard rename(folder + "/" + temporary, folder + "/" + file) == 0 else {
                throw StoreError.file(path: folder + "/" + file, problem: "cannot name the new segment: \(String(cString: strerror(errno)))")
            }
        } catch let error as StoreError {
            try? FileManager.default.removeItem(atPath: folder + "/" + temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: folder + "/" + temporary)
            throw .file(path: folder + "/" + temporary, problem: "cannot read the new segment back: \(error.localizedDescription)")
        }
        let segment = try openSegment(file: file)
        var slots: [Int64: Int] = [:]
        slots.reserveCapacity(segment.slotCount)
        for slot in 0..<segment.slotCount where !segment.isDeleted(slot: slot) {
            slots[Int64(segment.id(atSlot: slot))] = slot
        }
        return (file, segment, slots)
    }

    static func makePattern(_ new: NewPattern, id: String, hash: String, now: Date) -> Pattern {
        Pattern(
            id: id, name: new.name, kind: new.kind, nodeType: new.nodeType, domain: new.domain,
            language: new.language.lowercased(), text: new.text, summary: new.summary, tags: union([], new.tags),
            quality: new.quality ?? 0.5, successRate: new.successRate ?? 0, usageCount: new.usageCount ?? 0,
            lifecycle: new.lifecycle, contentHash: hash, createdAt: new.createdAt ?? now, updatedAt: now,
            lastUsedAt: nil, tier: .hot, version: 1, source: new.source, payload: new.payload)
    }

    /// `existing` followed by the new tags of `added`, each once, in first-seen order.
    static func union(_ existing: [String], _ added: [String]) -> [String] {
        var seen = Set(existing)
        var result = existing
        for tag in added where seen.insert(tag).inserted { result.append(tag) }
        return result
    }
}

/// Per-item results written by parallel workers, each item by exactly one worker.
final class ResultSlots<Element>: @unchecked Sendable {
    private var storage: [Element]
    private let lock = NSLock()

    init(count: Int, initial: Element) { storage = Array(repeating: initial, count: count) }

    subscript(index: Int) -> Element {
        get { lock.withLock { storage[index] } }
        set { lock.withLock { storage[index] = newValue } }
    }
}
