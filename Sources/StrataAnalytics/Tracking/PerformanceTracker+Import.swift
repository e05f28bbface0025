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
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .file(path: path, problem: "cannot read: \(error.localizedDescription)")
        }
        var records: [GenerationRecord] = []
        var lineNumbers: [Int] = []
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
                records.append(try GenerationRecord(json: object))
            } catch {
                throw .malformedLine(file: path, line: index + 1, problem: error.description)
            }
            lineNumbers.append(index + 1)
        }
        return try record(records) { index, error in .malformedLine(file: path, line: lineNumbers[index], problem: error.description) }
    }
}

/// The start of a line, for an error message.
private func cellText(_ text: String) -> String {
    text.count > 40 ? String(text.prefix(40)) + "…" : text
}
