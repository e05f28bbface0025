import Foundation

/// Source trees into patterns: files walked, new or changed ones cut into units (functions,
/// methods, types) and added in batches, units gone from a changed file deleted, each file's
/// hash recorded so that an unchanged tree is read once.
struct SourceIngest {
    let store: PatternStore

    func ingest(
        _ roots: [String], walker: SourceTree.Configuration = .init(), splitter: SourceSplitter.Options = .init(),
        filesPerBatch: Int = 400, progress: (_ done: Int, _ total: Int, _ patterns: Int) -> Void = { _, _, _ in }
    ) throws(StoreError) -> IngestReport {
        try store.ensureOpen()
        let started = Date()
        let absolute = roots.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let listing = try SourceTree(roots: absolute, configuration: walker).listing()
        var report = IngestReport()
        report.files = listing.files.count
        report.skippedFiles = listing.skipped.count
        let known = try store.read { () throws(StoreError) in try store.reader.sourceFileHashes() }
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
            importReport.count(try store.add(patterns, existing: .replaceIfChanged))
            report.added += importReport.added
            report.replaced += importReport.replaced
            report.unchanged += importReport.unchanged
            report.merged += importReport.mergedExact + importReport.mergedNear
            for file in changed {
                let stale = try store.read { () throws(StoreError) in try store.reader.patternIDs(fromSource: file.path) }.filter { !file.ids.contains($0) }
                for id in stale {
                    try store.delete(id: id)
                    report.removed += 1
                }
            }
            try store.write { () throws(StoreError) in
                try store.writer.transaction { () throws(StoreError) in
                    for file in changed {
                        try store.writer.recordSourceFile(path: file.path, hash: file.hash, patterns: file.ids.count)
                    }
                    store.writer.noteAudit(AuditEvent(action: "sources.ingest", subject: AuditEvent.listing(changed.map(\.path)), after: AuditTrail.digest(changed.map(\.hash).joined(separator: "\n"))))
                }
            }
            progress(done, listing.files.count, report.added + report.replaced)
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }
}
