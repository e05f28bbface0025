import Foundation

extension NewPattern {
    /// Checks a batch before anything is embedded or written: text, ids (unique within the
    /// batch), payloads, tags and ranges.
    static func validate(_ patterns: [NewPattern]) throws(StoreError) {
        var ids = Set<String>()
        for (index, pattern) in patterns.enumerated() {
            let label = pattern.id ?? "#\(index + 1)"
            // No text at all is a vector-only pattern (a Qdrant point) when it brings its vector;
            // text of blanks only is a mistake either way.
            if pattern.text.allSatisfy(\.isWhitespace), !(pattern.text.isEmpty && pattern.vector != nil) { throw .emptyText(id: label) }
            if let payload = pattern.payload {
                guard (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) is [String: Any] else {
                    throw .invalidArgument(name: "payload of \(label)", value: "\"\(payload.prefix(40))\"", expected: "a JSON object")
                }
            }
            for (name, vector) in pattern.sparse {
                if let problem = vector.problem {
                    throw .invalidArgument(name: "sparse vector \"\(name)\" of \(label)", value: problem, expected: "one finite value per index, each index once")
                }
            }
            if let id = pattern.id {
                guard !id.isEmpty, id.utf8.count <= 512, !id.contains(where: \.isNewline) else {
                    throw .invalidArgument(name: "id", value: "\"\(id.prefix(40))\"", expected: "1 to 512 bytes, no line breaks")
                }
                guard ids.insert(id).inserted else {
                    throw .invalidArgument(name: "id", value: id, expected: "ids unique within one batch")
                }
            }
            for tag in pattern.tags where tag.isEmpty || tag.contains(where: \.isNewline) {
                throw .invalidArgument(name: "tags of \(label)", value: "\"\(tag)\"", expected: "non-empty tags without line breaks")
            }
            if let quality = pattern.quality, !(0...1).contains(quality) {
                throw .invalidArgument(name: "quality of \(label)", value: "\(quality)", expected: "a number from 0 to 1")
            }
            if let rate = pattern.successRate, !(0...1).contains(rate) {
                throw .invalidArgument(name: "success_rate of \(label)", value: "\(rate)", expected: "a number from 0 to 1")
            }
            if let usage = pattern.usageCount, usage < 0 {
                throw .invalidArgument(name: "usage_count of \(label)", value: "\(usage)", expected: "0 or more")
            }
        }
    }
}
