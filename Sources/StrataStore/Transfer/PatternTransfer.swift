import Foundation
import StrataIndex

/// Patterns in and out of a store in bulk: JSONL import (checked whole before the first
/// write), JSONL and `.fvecs` export, and the snapshot the analytics read. Built on the
/// store's own public calls (``PatternStore/add(_:existing:)``, ``PatternStore/list(_:after:limit:)``,
/// ``PatternStore/vector(id:)``), so it holds no state and takes no lock of its own.
struct PatternTransfer {
    let store: PatternStore

    /// Reads a JSONL file of patterns (one JSON object a line; see
    /// ``NewPattern/init(jsonObject:)``) and adds them in batches.
    ///
    /// Every line is parsed and checked before anything is written, so a malformed line
    /// changes nothing. Ids already stored are left when their text is unchanged and
    /// replaced otherwise, so re-running an interrupted import completes it without
    /// duplicates.
    ///
    /// - Parameters:
    ///   - vectors: row i is line i's embedding (`.fvecs` or `.npy`); its count must equal
    ///     the records'.
    ///   - batchSize: records per transaction.
    ///   - progress: called after each batch commits with the records committed so far.
    func importJSONL(
        path: String, vectorsPath: String? = nil, batchSize: Int = 50_000,
        progress: (_ committed: Int, _ total: Int) -> Void = { _, _ in }
    ) throws(StoreError) -> ImportReport {
        try store.ensureOpen()
        let started = Date()
        guard batchSize >= 1 else { throw .invalidArgument(name: "batchSize", value: "\(batchSize)", expected: "at least 1") }
        var records = try PatternFile.records(path: path)
        if let vectorsPath {
            let set: VectorSet
            do { set = try VectorSet.read(contentsOf: vectorsPath) } catch { throw .index(error) }
            guard set.count == records.count else {
                throw .file(path: vectorsPath, problem: "holds \(set.count) vectors for \(records.count) records in \(path); row i must be line i's embedding")
            }
            for index in records.indices {
                records[index].pattern.vector = Array(set.values[index * set.dimension..<(index + 1) * set.dimension])
            }
        }
        // Check every record before the first write, so a bad line changes nothing.
        var ids = Set<String>()
        for record in records {
            do {
                try NewPattern.validate([record.pattern])
                if let vector = record.pattern.vector { _ = try store.space.prepared(vector) }
            } catch {
                throw .malformedLine(file: path, line: record.line, problem: error.description)
            }
            if let id = record.pattern.id, !ids.insert(id).inserted {
                throw .malformedLine(file: path, line: record.line, problem: "id \"\(id)\" appears on an earlier line too; ids must be unique")
            }
        }
        var report = ImportReport()
        report.records = records.count
        var start = 0
        while start < records.count {
            let batch = Array(records[start..<min(start + batchSize, records.count)])
            report.count(try store.add(batch.map(\.pattern), existing: .replaceIfChanged))
            start += batch.count
            progress(start, records.count)
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// Writes every pattern the filter accepts as JSONL to `path` (`-` for standard output),
    /// and with `vectorsPath` their vectors as `.fvecs` in the same order.
    ///
    /// - Returns: the number of patterns written.
    @discardableResult
    func exportJSONL(to path: String, vectorsPath: String? = nil, filter: PatternFilter = PatternFilter()) throws(StoreError) -> Int {
        try store.ensureOpen()
        let output: FileHandle
        if path == "-" {
            output = FileHandle.standardOutput
        } else {
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw .file(path: path, problem: "cannot create the export file")
            }
            output = handle
        }
        defer { if path != "-" { try? output.close() } }
        var vectors: [Float] = []
        var written = 0
        try forEachPage(filter) { (page) throws(StoreError) in
            var chunk = Data()
            for pattern in page {
                guard let line = try? JSONSerialization.data(withJSONObject: pattern.jsonObject(), options: [.sortedKeys, .withoutEscapingSlashes]) else {
                    throw .file(path: path, problem: "pattern \(pattern.id) could not be encoded as JSON")
                }
                chunk.append(line)
                chunk.append(UInt8(ascii: "\n"))
                if vectorsPath != nil { vectors += try store.vector(id: pattern.id) }
            }
            do { try output.write(contentsOf: chunk) } catch { throw .file(path: path, problem: "write failed: \(error.localizedDescription)") }
            written += page.count
        }
        if let vectorsPath {
            do {
                try TexmexFile.write(VectorSet(dimension: store.configuration.dimension, values: vectors), to: vectorsPath)
            } catch {
                throw .index(error)
            }
        }
        return written
    }

    /// Every pattern the filter accepts, with its vector at the same position: the input of
    /// the analytics (clustering, reports), read page by page so a concurrent write is seen
    /// whole or not at all per page.
    func snapshot(_ filter: PatternFilter = PatternFilter()) throws(StoreError) -> PatternSnapshot {
        try store.ensureOpen()
        var patterns: [Pattern] = []
        var values: [Float] = []
        try forEachPage(filter) { (page) throws(StoreError) in
            patterns.reserveCapacity(patterns.count + page.count)
            for pattern in page {
                values += try store.vector(id: pattern.id)
                patterns.append(pattern)
            }
        }
        return PatternSnapshot(patterns: patterns, vectors: VectorSet(dimension: store.configuration.dimension, values: values))
    }

    /// Calls `body` with each page of the filter's patterns in id order.
    private func forEachPage(_ filter: PatternFilter, _ body: ([Pattern]) throws(StoreError) -> Void) throws(StoreError) {
        var cursor: String?
        repeat {
            let page = try store.list(filter, after: cursor, limit: 1_000)
            try body(page.patterns)
            cursor = page.nextCursor
        } while cursor != nil
    }
}

/// Patterns and their vectors, row `i` of `vectors` belonging to `patterns[i]`.
public struct PatternSnapshot: Sendable {
    public var patterns: [Pattern]
    public var vectors: VectorSet

    public init(patterns: [Pattern], vectors: VectorSet) {
        self.patterns = patterns
        self.vectors = vectors
    }
}
