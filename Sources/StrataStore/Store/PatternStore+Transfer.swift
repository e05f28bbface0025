import Foundation
import StrataIndex

/// What an import did.
public struct ImportReport: Sendable, Equatable, Codable {
    /// Records read (blank lines are skipped).
    public var records: Int = 0
    public var added: Int = 0
    public var replaced: Int = 0
    public var unchanged: Int = 0
    public var mergedExact: Int = 0
    public var mergedNear: Int = 0
    public var seconds: Double = 0

    mutating func count(_ outcomes: [AddOutcome]) {
        for outcome in outcomes {
            switch outcome.action {
            case .added: added += 1
            case .replaced: replaced += 1
            case .unchanged: unchanged += 1
            case .mergedExact: mergedExact += 1
            case .mergedNear: mergedNear += 1
            }
        }
    }
}

extension PatternStore {
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
    public func importJSONL(
        path: String, vectorsPath: String? = nil, batchSize: Int = 50_000,
        progress: (_ committed: Int, _ total: Int) -> Void = { _, _ in }
    ) throws(StoreError) -> ImportReport {
        try ensureOpen()
        let started = Date()
        guard batchSize >= 1 else { throw .invalidArgument(name: "batchSize", value: "\(batchSize)", expected: "at least 1") }
        var records = try Self.readJSONL(path: path)
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
                try Self.validate([record.pattern])
                if let vector = record.pattern.vector { _ = try prepareVector(vector) }
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
            report.count(try add(batch.map(\.pattern), existing: .replaceIfChanged))
            start += batch.count
            progress(start, records.count)
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// Parses a JSONL file into patterns, naming the first bad line.
    static func readJSONL(path: String) throws(StoreError) -> [(line: Int, pattern: NewPattern)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .file(path: path, problem: "cannot read the file (missing or unreadable)")
        }
        var records: [(line: Int, pattern: NewPattern)] = []
        var lineNumber = 0
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            lineNumber += 1
            let line = data[start..<end]
            start = end < data.endIndex ? end + 1 : end
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: line)
            } catch {
                throw .malformedLine(file: path, line: lineNumber, problem: "not valid JSON (\(String(decoding: line.prefix(60), as: UTF8.self))…); expected one JSON object a line")
            }
            guard let dictionary = object as? [String: Any] else {
                throw .malformedLine(file: path, line: lineNumber, problem: "a JSON \(type(of: object)), expected an object like {\"id\": \"…\", \"text\": \"…\"}")
            }
            do {
                records.append((lineNumber, try NewPattern(jsonObject: dictionary)))
            } catch {
                throw .malformedLine(file: path, line: lineNumber, problem: error.description)
            }
        }
        return records
    }

    /// Writes every pattern the filter accepts as JSONL to `path` (`-` for standard output),
    /// and with `vectorsPath` their vectors as `.fvecs` in the same order.
    ///
    /// - Returns: the number of patterns written.
    @discardableResult
    public func exportJSONL(to path: String, vectorsPath: String? = nil, filter: PatternFilter = PatternFilter()) throws(StoreError) -> Int {
        try ensureOpen()
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
                if vectorsPath != nil { vectors += try vector(id: pattern.id) }
            }
            do { try output.write(contentsOf: chunk) } catch { throw .file(path: path, problem: "write failed: \(error.localizedDescription)") }
            written += page.count
        }
        if let vectorsPath {
            do {
                try TexmexFile.write(VectorSet(dimension: configuration.dimension, values: vectors), to: vectorsPath)
            } catch {
                throw .index(error)
            }
        }
        return written
    }

    /// Every pattern the filter accepts, with its vector at the same position: the input of
    /// the analytics (clustering, reports), read page by page so a concurrent write is seen
    /// whole or not at all per page.
    public func snapshot(_ filter: PatternFilter = PatternFilter()) throws(StoreError) -> PatternSnapshot {
        try ensureOpen()
        var patterns: [Pattern] = []
        var values: [Float] = []
        try forEachPage(filter) { (page) throws(StoreError) in
            patterns.reserveCapacity(patterns.count + page.count)
            for pattern in page {
                values += try vector(id: pattern.id)
                patterns.append(pattern)
            }
        }
        return PatternSnapshot(patterns: patterns, vectors: VectorSet(dimension: configuration.dimension, values: values))
    }

    /// Calls `body` with each page of the filter's patterns in id order.
    private func forEachPage(_ filter: PatternFilter, _ body: ([Pattern]) throws(StoreError) -> Void) throws(StoreError) {
        var cursor: String?
        repeat {
            let page = try list(filter, after: cursor, limit: 1_000)
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

extension PatternStore {
    /// The `text` of every line of a JSONL query file (other fields ignored), naming the
    /// first bad line.
    public static func readQueries(path: String) throws(StoreError) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .file(path: path, problem: "cannot read the query file (missing or unreadable)")
        }
        var texts: [String] = []
        for (offset, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], let text = object["text"] as? String else {
                throw .malformedLine(file: path, line: offset + 1, problem: "expected a JSON object with a \"text\" string")
            }
            texts.append(text)
        }
        return texts
    }
}
