import Crypto
import Foundation
import StrataIndex
import StrataKernels

extension PatternStore {
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
        try NewPattern.validate(patterns)
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
        let vectors = try BatchEmbedding(store: self).vectors(for: subset)
        let written = try write { () throws(StoreError) -> [AddOutcome] in
            var outcomes: [AddOutcome] = []
            if !subset.isEmpty {
                let execution = AddExecution(catalog: writer, tiers: tiers, folder: folder, configuration: configuration)
                let done = try execution.run(subset, vectors: vectors, existing: existing)
                try refreshPayload(done.changedRows)
                outcomes = done.outcomes
            }
            // On a shared store only the maintainer flushes: this process, if it holds (or can
            // take) the maintainer lock.
            if tiers.hot.count >= configuration.flushThreshold, try claimMaintenance() {
                try flushLocked(rows: nil, reason: "size")
            }
            return outcomes
        }
        var outcomes = patterns.map { AddOutcome(id: $0.id ?? "", action: .unchanged, storedAs: $0.id ?? "") }
        for (position, index) in pending.enumerated() { outcomes[index] = written[position] }
        return outcomes
    }

    /// Walks source trees, cuts every new or changed file into patterns (functions, methods,
    /// types) with name, kind, language, path and line span, and adds them.
    ///
    /// A file whose SHA-256 matches the last ingest is skipped, so re-ingesting an unchanged
    /// tree adds nothing. Pattern ids are `path#QualifiedName` (`~2`, `~3` for repeats in one
    /// file), so a changed function replaces its pattern instead of adding another; units
    /// that disappeared from a changed file are deleted.
    ///
    /// - Parameters:
    ///   - filesPerBatch: files whose patterns commit in one transaction.
    ///   - progress: called after each batch with files done, files in all, patterns so far.
    public func ingest(
        _ roots: [String], walker: SourceTree.Configuration = .init(), splitter: SourceSplitter.Options = .init(),
        filesPerBatch: Int = 400, progress: (_ done: Int, _ total: Int, _ patterns: Int) -> Void = { _, _, _ in }
    ) throws(StoreError) -> IngestReport {
        try SourceIngest(store: self).ingest(roots, walker: walker, splitter: splitter, filesPerBatch: filesPerBatch, progress: progress)
    }
}
