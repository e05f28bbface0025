import Foundation

extension Pattern {
    /// The pattern as a JSON object with snake_case keys (the JSONL export format, which
    /// ``NewPattern/init(jsonObject:)`` reads back).
    public func jsonObject(includeText: Bool = true) -> [String: Any] {
        // A format style, not an ISO8601DateFormatter: making a formatter loads ICU's date
        // symbols, which cost more than the rest of a search answer (measured under load).
        let dates = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var object: [String: Any] = [
            "id": id, "name": name, "kind": kind.rawValue, "node_type": nodeType.rawValue, "domain": domain,
            "language": language, "summary": summary, "tags": tags, "quality": quality,
            "success_rate": successRate, "usage_count": usageCount, "lifecycle": lifecycle.rawValue,
            "content_hash": contentHash, "created_at": dates.format(createdAt),
            "updated_at": dates.format(updatedAt), "tier": tier.rawValue, "version": version,
        ]
        if includeText { object["text"] = text }
        if let payload, let value = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) { object["payload"] = value }
        if let lastUsedAt { object["last_used_at"] = dates.format(lastUsedAt) }
        if let source {
            object["path"] = source.path
            object["line_start"] = source.lineStart
            object["line_end"] = source.lineEnd
        }
        return object
    }
}

extension NewPattern {
    /// Reads one JSONL record: `id` and `text` required (`id` may be omitted for a made-up
    /// UUID), the other Pattern fields optional, in snake_case.
    ///
    /// - Throws: a message naming the field and what it should hold; the caller adds the
    ///   file and line.
    public init(jsonObject object: [String: Any]) throws(NewPatternDecodingError) {
        func string(_ key: String) throws(NewPatternDecodingError) -> String? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let text = value as? String else { throw NewPatternDecodingError("\"\(key)\" must be a string") }
            return text
        }
        func number(_ key: String) throws(NewPatternDecodingError) -> Double? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let number = value as? NSNumber else { throw NewPatternDecodingError("\"\(key)\" must be a number") }
            return number.doubleValue
        }
        func date(_ key: String) throws(NewPatternDecodingError) -> Date? {
            guard let text = try string(key) else { return nil }
            guard let date = PatternFilter.parseDate(text) else { throw NewPatternDecodingError("\"\(key)\" must be an ISO 8601 time, like 2026-01-31T12:00:00Z") }
            return date
        }
        // A pattern that brings its own vector may go without text.
        guard let text = try string("text") ?? (object["vector"] is [Any] ? "" : nil) else {
            throw NewPatternDecodingError("missing \"text\" (the pattern's source)")
        }
        var id: String?
        if let raw = object["id"], !(raw is NSNull) {
            if let text = raw as? String { id = text } else if let number = raw as? NSNumber { id = number.stringValue } else {
                throw NewPatternDecodingError("\"id\" must be a string or a number")
            }
        }
        self.init(id: id, text: text)
        name = try string("name") ?? ""
        if let kind = try string("kind") {
            guard let parsed = PatternKind(rawValue: kind) else { throw NewPatternDecodingError("\"kind\" must be a name of letters, digits and _, got \"\(kind)\"") }
            self.kind = parsed
        }
        if let type = try string("node_type") {
            guard let parsed = NodeType(rawValue: type.lowercased()) else {
                throw NewPatternDecodingError("\"node_type\" must be one of \(NodeType.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(type)\"")
            }
            nodeType = parsed
        }
        domain = try string("domain") ?? ""
        language = try string("language") ?? ""
        summary = try string("summary") ?? ""
        if let raw = object["tags"], !(raw is NSNull) {
            guard let tags = raw as? [Any], tags.allSatisfy({ $0 is String }) else { throw NewPatternDecodingError("\"tags\" must be an array of strings") }
            self.tags = tags.map { $0 as! String }
        }
        quality = try number("quality")
        successRate = try number("success_rate")
        if let usage = try number("usage_count") {
            guard usage >= 0, usage == usage.rounded(), usage < 1e15 else { throw NewPatternDecodingError("\"usage_count\" must be a whole number, 0 or more") }
            usageCount = Int(usage)
        }
        if let state = try string("lifecycle") {
            guard let parsed = Lifecycle(rawValue: state.lowercased()) else {
                throw NewPatternDecodingError("\"lifecycle\" must be one of \(Lifecycle.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(state)\"")
            }
            lifecycle = parsed
        }
        createdAt = try date("created_at")
        if let path = try string("path") {
            source = SourceSpan(path: path, lineStart: Int(try number("line_start") ?? 0), lineEnd: Int(try number("line_end") ?? 0))
        }
        if let raw = object["vector"], !(raw is NSNull) {
            guard let values = raw as? [Any], values.allSatisfy({ $0 is NSNumber }) else { throw NewPatternDecodingError("\"vector\" must be an array of numbers") }
            vector = values.map { ($0 as! NSNumber).floatValue }
        }
        if let raw = object["payload"], !(raw is NSNull) {
            guard raw is [String: Any], let data = try? JSONSerialization.data(withJSONObject: raw, options: [.sortedKeys]) else {
                throw NewPatternDecodingError("\"payload\" must be a JSON object")
            }
            payload = String(decoding: data, as: UTF8.self)
        }
    }
}

/// Why a JSON record is not a pattern.
public struct NewPatternDecodingError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
