import Foundation

/// The JSONL files a store reads: patterns (one object a line) and queries (a `text` a line),
/// each bad line named by number.
enum PatternFile {
    /// Parses a JSONL file into patterns, naming the first bad line.
    static func records(path: String) throws(StoreError) -> [(line: Int, pattern: NewPattern)] {
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

    /// The `text` of every line of a JSONL query file (other fields ignored), naming the
    /// first bad line.
    static func queries(path: String) throws(StoreError) -> [String] {
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
