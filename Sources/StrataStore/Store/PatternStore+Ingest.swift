import Foundation

extension PatternStore {
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
