import Foundation

/// What an ingest run did.
public struct IngestReport: Sendable, Equatable, Codable {
    /// Source files found under the roots.
    public var files = 0
    /// Files whose content matched the last ingest: nothing read, nothing added.
    public var unchangedFiles = 0
    /// Files skipped by the walker (vendored, generated, binary, too large).
    public var skippedFiles = 0
    /// Units cut from new or changed files.
    public var units = 0
    public var added = 0
    public var replaced = 0
    public var unchanged = 0
    public var merged = 0
    /// Patterns of changed files whose unit no longer exists.
    public var removed = 0
    public var seconds = 0.0
}

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
        try ensureOpen()
        let started = Date()
        let absolute = roots.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let listing = try SourceTree(roots: absolute, configuration: walker).listing()
        var report = IngestReport()
        report.files = listing.files.count
        report.skippedFiles = listing.skipped.count
        let known = try read { () throws(StoreError) in try reader.sourceFileHashes() }
        let knownHashes = Dictionary(known, uniquingKeysWith: { first, _ in first })
        var done = 0
        var start = 0
        while start < listing.files.count {
            let batch = listing.files[start..<min(start + max(1, filesPerBatch), listing.files.count)]
            start += batch.count
            var patterns: [NewPattern] = []
            var changed: [(path: String, hash: String, ids: Set<String>)] = []
            for file in batch {
                done += 1
                guard let text = try file.readText() else { continue }
                let hash = Pattern.contentHash(of: text)
                if knownHashes[file.path] == hash {
                    report.unchangedFiles += 1
                    continue
                }
                var seen: [String: Int] = [:]
                var ids = Set<String>()
                for unit in SourceSplitter.units(in: text, path: file.path, language: file.language, options: splitter) {
                    seen[unit.name, default: 0] += 1
                    let repeatCount = seen[unit.name]!
                    let id = "\(file.path)#\(unit.name)" + (repeatCount > 1 ? "~\(repeatCount)" : "")
                    ids.insert(id)
                    guard !unit.text.allSatisfy(\.isWhitespace) else { continue }
                    patterns.append(NewPattern(
                        id: id, text: unit.text, name: unit.name, kind: PatternKind(rawValue: unit.kind.rawValue) ?? .code,
                        language: unit.language.rawValue,
                        source: SourceSpan(path: file.path, lineStart: unit.lineStart, lineEnd: unit.lineEnd)))
                }
                changed.append((file.path, hash, ids))
            }
            report.units += patterns.count
            var importReport = ImportReport()
            importReport.count(try add(patterns, existing: .replaceIfChanged))
            report.added += importReport.added
            report.replaced += importReport.replaced
            report.unchanged += importReport.unchanged
            report.merged += importReport.mergedExact + importReport.mergedNear
            for file in changed {
                let stale = try read { () throws(StoreError) in try reader.patternIDs(fromSource: file.path) }.filter { !file.ids.contains($0) }
                for id in stale {
                    try delete(id: id)
                    report.removed += 1
                }
            }
            try write { () throws(StoreError) in
                try writer.transaction { () throws(StoreError) in
                    for file in changed {
                        try writer.recordSourceFile(path: file.path, hash: file.hash, patterns: file.ids.count)
                    }
                }
            }
            progress(done, listing.files.count, report.added + report.replaced)
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }
}
