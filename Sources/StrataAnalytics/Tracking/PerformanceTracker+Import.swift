import Foundation

extension PerformanceTracker {
    /// Records every line of a JSON Lines file (one ``GenerationRecord`` object per line, in
    /// the shape ``GenerationRecord/init(json:)`` reads), all in one transaction.
    ///
    /// Every line is parsed, checked and priced before any is written: a file with one bad
    /// line records nothing. Blank lines are skipped.
    ///
    /// - Returns: the records as stored (ids assigned, costs filled in), in file order.
    /// - Throws: ``AnalyticsError/malformedLine(file:line:problem:)`` naming the first bad
    ///   line (1-based) and what is wrong with it; ``AnalyticsError/file(path:problem:)`` when
    ///   the file cannot be read.
    @discardableResult
    public func importJSONL(path: String) throws(AnalyticsError) -> [GenerationRecord] {
        let lines = try GenerationRecord.readJSONLines(path: path)
        let records = lines.map(\.record)
        return try record(records) { index, error in .malformedLine(file: path, line: lines[index].line, problem: error.description) }
    }
}

extension GenerationRecord {
    /// The records of a JSON Lines file (one object a line, in the shape ``init(json:)``
    /// reads), each with its 1-based line number; blank lines are skipped.
    ///
    /// - Throws: ``AnalyticsError/malformedLine(file:line:problem:)`` naming the first line
    ///   that is not a valid record; ``AnalyticsError/file(path:problem:)`` when the file
    ///   cannot be read.
    public static func readJSONLines(path: String) throws(AnalyticsError) -> [(record: GenerationRecord, line: Int)] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .file(path: path, problem: "cannot read: \(error.localizedDescription)")
        }
        var records: [(record: GenerationRecord, line: Int)] = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            let object: [String: Any]
            do {
                guard let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                    throw AnalyticsError.malformedLine(file: path, line: index + 1, problem: "not a JSON object")
                }
                object = parsed
            } catch let error as AnalyticsError {
                throw error
            } catch {
                throw .malformedLine(file: path, line: index + 1, problem: "not valid JSON (\(cellText(text)))")
            }
            do {
                records.append((try GenerationRecord(json: object), index + 1))
            } catch {
                throw .malformedLine(file: path, line: index + 1, problem: error.description)
            }
        }
        return records
    }
}

/// The start of a line, for an error message.
private func cellText(_ text: String) -> String {
    text.count > 40 ? String(text.prefix(40)) + "…" : text
}
