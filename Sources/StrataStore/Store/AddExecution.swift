import Foundation
import StrataIndex
import StrataKernels

/// One add under the store's write lock, carried out: the steps of its ``AddPlan`` fed with
/// what the catalog and the graphs say (the stored pattern of each id or text, the nearest
/// stored vectors, the batch's own graph), then one catalog transaction, then the tiers.
/// The plan decides; this type only looks things up and writes what was decided.
struct AddExecution {
    /// Candidate list size of the near-duplicate searches.
    static let duplicateSearchEF = 16

    /// The store's writing connection, under its write lock.
    let catalog: Catalog
    let tiers: TierSet
    let folder: StoreFolder
    let configuration: StoreConfiguration

    /// Carries the add out: the plan's steps fed with what the catalog and the graphs say,
    /// then one transaction, then the tiers.
    ///
    /// - Returns: one outcome per pattern, and the rows whose metadata changed (for the
    ///   payload index and the hit cache).
    func run(_ patterns: [NewPattern], vectors: [[Float]], existing: ExistingIDPolicy) throws(StoreError) -> (outcomes: [AddOutcome], changedRows: [Int64]) {
        var plan = AddPlan(patterns)
        for index in patterns.indices {
            let stored = patterns[index].id == nil ? nil : try catalog.pattern(id: plan.ids[index])
            let hash = plan.hashes[index]
            try plan.classify(index, stored: stored, policy: existing) { () throws(StoreError) in
                try catalog.row(forContentHash: hash)
            }
        }
        let threshold = configuration.metric == .cosine ? configuration.nearDuplicateSimilarity : nil
        if let threshold, !plan.fresh.isEmpty {
            plan.mergeNearStored(try nearestStored(plan.fresh.map { vectors[$0] }), threshold: threshold)
        }
        plan.assignRows(try catalog.allocateRows(plan.fresh.count))
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
            guard let location = try catalog.location(ofID: replacement.old.id) else { throw .unknownID(replacement.old.id) }
            return location
        }
        // A bulk add writes its segment before the transaction; if the process dies before
        // the commit, the file is an orphan and the next open removes it. Merged batch items
        // stay in the file as deleted slots: rebuilding the graph without them would cost a
        // second build for a few percent of the slots.
        var bulk: WrittenSegment?
        if plan.keepers.count >= configuration.bulkSegmentMinimum, let graph = batchGraph {
            let sources = plan.keepers.map { keeper in
                let pattern = plan.patterns[plan.fresh[keeper]]
                return LexicalSource(row: plan.rows[keeper], text: pattern.text, name: pattern.name ?? "")
            }
            bulk = try folder.writeOpenedSegment(graph, documents: LexicalDocument.documents(of: sources))
        }
        try commit(&plan, vectors: vectors, locations: locations, bulk: bulk, now: Date())
        try applyToTiers(plan, vectors: vectors, locations: locations, bulk: bulk)
        return (plan.outcomes, plan.keepers.map { plan.rows[$0] } + Array(plan.merges.keys) + plan.replacements.map(\.row))
    }

    /// The stored pattern nearest each vector (its row, id and similarity), for dedup.
    private func nearestStored(_ vectors: [[Float]]) throws(StoreError) -> [(row: Int64, id: String, similarity: Double)?] {
        let snapshot = tiers.snapshot
        let nearest = ResultSlots<SearchResult?>(count: vectors.count, initial: nil)
        // A near duplicate (cosine ≥ 0.95) sits right beside its original: a short
        // candidate list finds it, and dedup runs once per added pattern.
        let ef = Self.duplicateSearchEF
        Parallel.forEach(vectors.count, threads: configuration.threads) { _, item in
            nearest[item] = (try? snapshot.nearest(vectors[item], k: 1, ef: ef, accept: nil))?.first
        }
        var holders: [Int64: String] = [:]
        return try vectors.indices.map { (item) throws(StoreError) -> (row: Int64, id: String, similarity: Double)? in
            guard let match = nearest[item] else { return nil }
            let row = Int64(match.id)
            if holders[row] == nil { holders[row] = try catalog.pattern(row: row)?.id }
            return holders[row].map { (row, $0, Double(1 - match.distance)) }
        }
    }

    /// A graph of the batch's vectors under their new rows.
    private func makeBatchGraph(_ vectors: [[Float]], rows: [Int64]) throws(StoreError) -> HNSWGraph {
        var flat: [Float] = []
        flat.reserveCapacity(vectors.count * configuration.dimension)
        for vector in vectors { flat += vector }
        return try configuration.makeGraph(holding: flat, ids: rows.map(UInt64.init))
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
        try catalog.transaction { () throws(StoreError) in
            var segmentID: Int64?
            if let bulk {
                segmentID = try catalog.insertSegment(file: bulk.file, slots: bulk.segment.slotCount, bytes: bulk.segment.fileBytes)
            }
            for item in plan.keepers {
                let index = plan.fresh[item]
                let row = plan.rows[item]
                var pattern = Pattern.made(from: plan.patterns[index], id: plan.ids[index], hash: plan.hashes[index], now: now)
                if let merge = plan.takeMerge(into: row) {
                    pattern.usageCount += merge.usage
                    pattern.tags = Pattern.mergedTags(pattern.tags, merge.tags)
                }
                if let bulk, let segmentID, let slot = bulk.slots[row] {
                    pattern.tier = .cold
                    try catalog.insert(pattern, row: row, location: VectorLocation(row: row, tier: .cold, segment: segmentID, slot: slot))
                } else {
                    try catalog.insert(pattern, row: row, location: nil)
                    try catalog.insertHotVector(row: row, vectors[index])
                }
            }
            for (row, merge) in plan.merges where !keptRows.contains(row) {
                guard var stored = try catalog.pattern(row: row) else { continue }
                stored.usageCount += merge.usage
                stored.tags = Pattern.mergedTags(stored.tags, merge.tags)
                stored.updatedAt = now
                try catalog.update(row: row, with: stored)
            }
            for (replacement, location) in zip(plan.replacements, locations) {
                let new = plan.patterns[replacement.index]
                var pattern = Pattern.made(from: new, id: replacement.old.id, hash: plan.hashes[replacement.index], now: now)
                pattern.createdAt = replacement.old.createdAt
                pattern.usageCount = max(replacement.old.usageCount, new.usageCount ?? 0)
                pattern.successRate = new.successRate ?? replacement.old.successRate
                pattern.lastUsedAt = replacement.old.lastUsedAt
                try catalog.update(row: replacement.row, with: pattern)
                try catalog.retireVector(location)
                try catalog.insertHotVector(row: replacement.row, vectors[replacement.index])
                try catalog.markHot(row: replacement.row)
            }
            if let event = plan.auditEvent { catalog.noteAudit(event) }
        }
    }

    /// After the commit, the in-memory tiers follow: new vectors into the hot graph (unless
    /// they went to the bulk segment), replaced cold vectors dead in their segments.
    private func applyToTiers(_ plan: AddPlan, vectors: [[Float]], locations: [VectorLocation], bulk: WrittenSegment?) throws(StoreError) {
        let snapshot = tiers.snapshot
        do {
            if bulk == nil, !plan.keepers.isEmpty {
                var flat: [Float] = []
                for item in plan.keepers { flat += vectors[plan.fresh[item]] }
                try snapshot.hot.insert(contentsOf: flat, ids: plan.keepers.map { UInt64(plan.rows[$0]) }, threads: configuration.threads)
            }
            for replacement in plan.replacements {
                try snapshot.hot.insert(vectors[replacement.index], id: UInt64(replacement.row))
            }
        } catch {
            throw .index(error)
        }
        var cold = snapshot.cold
        for (replacement, location) in zip(plan.replacements, locations) where location.tier == .cold {
            cold.markDead(replacement.row, inSegment: location.segment)
        }
        if let bulk {
            let records = try catalog.segments()
            if let record = records.first(where: { $0.file == bulk.file }) {
                cold.append(ColdSegment(record: record, segment: bulk.segment, lexical: bulk.lexical, dead: []))
            }
        }
        tiers.replace(cold: try catalog.refreshed(cold))
    }
}
