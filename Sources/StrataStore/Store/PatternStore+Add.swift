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

    package init(id: String, action: Action, storedAs: String, similarity: Double? = nil) {
        self.id = id
        self.action = action
        self.storedAs = storedAs
        self.similarity = similarity
    }
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

    /// The body of ``add(_:existing:)`` under the write lock: the plan's steps fed with what
    /// the catalog and the graphs say (see ``AddPlan``), then one transaction, then the tiers.
    func addLocked(_ patterns: [NewPattern], vectors: [[Float]], existing: ExistingIDPolicy) throws(StoreError) -> [AddOutcome] {
        var plan = AddPlan(patterns)
        for index in patterns.indices {
            let stored = patterns[index].id == nil ? nil : try writer.pattern(id: plan.ids[index])
            let hash = plan.hashes[index]
            try plan.classify(index, stored: stored, policy: existing) { () throws(StoreError) in
                try writer.row(forContentHash: hash)
            }
        }
        let threshold = configuration.metric == .cosine ? configuration.nearDuplicateSimilarity : nil
        if let threshold, !plan.fresh.isEmpty {
            plan.mergeNearStored(try nearestStored(plan.fresh.map { vectors[$0] }), threshold: threshold)
        }
        plan.assignRows(try writer.allocateRows(plan.fresh.count))
        // The graph of the batch itself finds near duplicates within it, and becomes the
        // segment of a bulk add.
        var batchGraph: HNSWGraph?
        if plan.fresh.count >= configuration.bulkSegmentMinimum || (threshold != nil && plan.fresh.count > 1) {
            batchGraph = try makeBatchGraph(plan.fresh.map { vectors[$0] }, rows: plan.rows)
        }
        if let threshold, let graph = batchGraph, plan.fresh.count > 1 {
            for row in plan.mergeWithinBatch(batchNeighbours(plan.fresh.map { vectors[$0] }, in: graph), threshold: threshold) {
                do { try graph.delete(UInt64(row)) } catch { throw .index(error) }
            }
        }
        plan.settleRepeats()
        let locations = try plan.replacements.map { (replacement) throws(StoreError) -> VectorLocation in
            guard let location = try writer.location(ofID: replacement.old.id) else { throw .unknownID(replacement.old.id) }
            return location
        }
        // A bulk add writes its segment before the transaction; if the process dies before
        // the commit, the file is an orphan and the next open removes it. Merged batch items
        // stay in the file as deleted slots: rebuilding the graph without them would cost a
        // second build for a few percent of the slots.
        var bulk: WrittenSegment?
        if plan.keepers.count >= configuration.bulkSegmentMinimum, let graph = batchGraph {
            bulk = try writeSegment(graph)
        }
        try commit(&plan, vectors: vectors, locations: locations, bulk: bulk, now: Date())
        try applyToTiers(plan, vectors: vectors, locations: locations, bulk: bulk)
        return plan.outcomes
    }

    /// The stored pattern nearest each vector (its row, id and similarity), for dedup.
    private func nearestStored(_ vectors: [[Float]]) throws(StoreError) -> [(row: Int64, id: String, similarity: Double)?] {
        let tiers = snapshot
        let nearest = ResultSlots<SearchResult?>(count: vectors.count, initial: nil)
        // A near duplicate (cosine ≥ 0.95) sits right beside its original: a short
        // candidate list finds it, and dedup runs once per added pattern.
        let ef = Self.duplicateSearchEF
        Parallel.forEach(vectors.count, threads: configuration.threads) { _, item in
            nearest[item] = (try? tiers.nearest(vectors[item], k: 1, ef: ef, accept: nil))?.first
        }
        var holders: [Int64: String] = [:]
        return try vectors.indices.map { (item) throws(StoreError) -> (row: Int64, id: String, similarity: Double)? in
            guard let match = nearest[item] else { return nil }
            let row = Int64(match.id)
            if holders[row] == nil { holders[row] = try writer.pattern(row: row)?.id }
            return holders[row].map { (row, $0, Double(1 - match.distance)) }
        }
    }

    /// A graph of the batch's vectors under their new rows.
    private func makeBatchGraph(_ vectors: [[Float]], rows: [Int64]) throws(StoreError) -> HNSWGraph {
        let graph = try Self.makeGraph(configuration)
        var flat: [Float] = []
        flat.reserveCapacity(vectors.count * configuration.dimension)
        for vector in vectors { flat += vector }
        do {
            try graph.insert(contentsOf: flat, ids: rows.map(UInt64.init), threads: configuration.threads)
        } catch {
            throw .index(error)
        }
        return graph
    }

    /// The rows of the batch nearest each of its vectors, with their similarity.
    private func batchNeighbours(_ vectors: [[Float]], in graph: HNSWGraph) -> [[(row: Int64, similarity: Double)]] {
        let neighbours = ResultSlots<[SearchResult]>(count: vectors.count, initial: [])
        let ef = Self.duplicateSearchEF
        Parallel.forEach(vectors.count, threads: configuration.threads) { _, item in
            neighbours[item] = (try? graph.search(vectors[item], k: 4, ef: ef)) ?? []
        }
        return vectors.indices.map { item in neighbours[item].map { (Int64($0.id), Double(1 - $0.distance)) } }
    }

    /// Writes what `plan` decided in one transaction: the new patterns (in the bulk segment
    /// or the hot tier), the merges into stored patterns, the replacements.
    private func commit(_ plan: inout AddPlan, vectors: [[Float]], locations: [VectorLocation], bulk: WrittenSegment?, now: Date) throws(StoreError) {
        let keptRows = plan.keptRows
        try writer.transaction { () throws(StoreError) in
            var segmentID: Int64?
            if let bulk {
                segmentID = try writer.insertSegment(file: bulk.file, slots: bulk.segment.slotCount, bytes: bulk.segment.fileBytes)
            }
            for item in plan.keepers {
                let index = plan.fresh[item]
                let row = plan.rows[item]
                var pattern = Self.makePattern(plan.patterns[index], id: plan.ids[index], hash: plan.hashes[index], now: now)
                if let merge = plan.takeMerge(into: row) {
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
            for (row, merge) in plan.merges where !keptRows.contains(row) {
                guard var stored = try writer.pattern(row: row) else { continue }
                stored.usageCount += merge.usage
                stored.tags = Self.union(stored.tags, merge.tags)
                stored.updatedAt = now
                try writer.update(row: row, with: stored)
            }
            for (replacement, location) in zip(plan.replacements, locations) {
                let new = plan.patterns[replacement.index]
                var pattern = Self.makePattern(new, id: replacement.old.id, hash: plan.hashes[replacement.index], now: now)
                pattern.createdAt = replacement.old.createdAt
                pattern.usageCount = max(replacement.old.usageCount, new.usageCount ?? 0)
                pattern.successRate = new.successRate ?? replacement.old.successRate
                pattern.lastUsedAt = replacement.old.lastUsedAt
                try writer.update(row: replacement.row, with: pattern)
                try writer.retireVector(location)
                try writer.insertHotVector(row: replacement.row, vectors[replacement.index])
                try writer.markHot(row: replacement.row)
            }
        }
    }

    /// After the commit, the in-memory tiers follow: new vectors into the hot graph (unless
    /// they went to the bulk segment), replaced cold vectors dead in their segments.
    private func applyToTiers(_ plan: AddPlan, vectors: [[Float]], locations: [VectorLocation], bulk: WrittenSegment?) throws(StoreError) {
        let tiers = snapshot
        do {
            if bulk == nil, !plan.keepers.isEmpty {
                var flat: [Float] = []
                for item in plan.keepers { flat += vectors[plan.fresh[item]] }
                try tiers.hot.insert(contentsOf: flat, ids: plan.keepers.map { UInt64(plan.rows[$0]) }, threads: configuration.threads)
            }
            for replacement in plan.replacements {
                try tiers.hot.insert(vectors[replacement.index], id: UInt64(replacement.row))
            }
        } catch {
            throw .index(error)
        }
        var cold = tiers.cold
        for (replacement, location) in zip(plan.replacements, locations) where location.tier == .cold {
            if let position = cold.firstIndex(where: { $0.record.id == location.segment }) {
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
        try refreshPayload(plan.keepers.map { plan.rows[$0] } + Array(plan.merges.keys) + plan.replacements.map(\.row))
    }

    /// Cold segments with their catalog records re-read (dead counts change with deletes).
    func refreshedRecords(_ cold: [ColdSegment]) throws(StoreError) -> [ColdSegment] {
        let records = Dictionary(uniqueKeysWithValues: try writer.segments().map { ($0.id, $0) })
        return cold.compactMap { segment in
            guard let record = records[segment.record.id] else { return nil }
            return ColdSegment(record: record, segment: segment.segment, dead: segment.dead)
        }
    }

    /// Writes `graph` as a new segment file of the folder (``StoreFolder/writeSegment(_:)``)
    /// and opens it.
    func writeSegment(_ graph: HNSWGraph) throws(StoreError) -> WrittenSegment {
        let file = try folder.writeSegment(graph)
        let segment = try openSegment(file: file)
        var slots: [Int64: Int] = [:]
        slots.reserveCapacity(segment.slotCount)
        for slot in 0..<segment.slotCount where !segment.isDeleted(slot: slot) {
            slots[Int64(segment.id(atSlot: slot))] = slot
        }
        return WrittenSegment(file: file, segment: segment, slots: slots)
    }

    package static func makePattern(_ new: NewPattern, id: String, hash: String, now: Date) -> Pattern {
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

/// A segment file just written and opened, before the catalog knows it.
struct WrittenSegment {
    /// Its name in the segments folder (the SHA-256 of its bytes).
    var file: String
    var segment: Segment
    /// The slot of each row in it.
    var slots: [Int64: Int]
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
