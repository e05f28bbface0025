import Foundation

/// One value of a pattern's JSON form, typed, so that a writer can put it into bytes without
/// boxing it into `Any` and casting it back (see ``Pattern/jsonFields(includeText:)``).
public enum JSONScalar: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case double(Double)
    case strings([String])
    /// JSON text already checked when it was stored (a payload), written as it is.
    case raw(String)

    /// The value as `JSONSerialization` takes it; nil for raw text that does not parse.
    public var foundationValue: Any? {
        switch self {
        case let .string(text): text
        case let .integer(number): number
        case let .double(number): number
        case let .strings(list): list
        case let .raw(text): try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        }
    }
}

extension Pattern {
    /// The pattern's JSON fields with snake_case keys, in a fixed order: the JSONL export
    /// format, which ``NewPattern/init(jsonObject:)`` reads back. The one definition of that
    /// format; ``jsonObject(includeText:)`` and the server's answers are both made from it.
    public func jsonFields(includeText: Bool = true) -> [(key: String, value: JSONScalar)] {
        // A format style, not an ISO8601DateFormatter: making a formatter loads ICU's date
        // symbols, which cost more than the rest of a search answer (measured under load).
        let dates = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var fields: [(key: String, value: JSONScalar)] = [
            ("id", .string(id)), ("name", .string(name)), ("kind", .string(kind.rawValue)),
            ("node_type", .string(nodeType.rawValue)), ("domain", .string(domain)), ("language", .string(language)),
            ("summary", .string(summary)), ("tags", .strings(tags)), ("quality", .double(quality)),
            ("success_rate", .double(successRate)), ("usage_count", .integer(usageCount)),
            ("lifecycle", .string(lifecycle.rawValue)), ("content_hash", .string(contentHash)),
            ("created_at", .string(dates.format(createdAt))), ("updated_at", .string(dates.format(updatedAt))),
            ("tier", .string(tier.rawValue)), ("version", .integer(version)),
        ]
        fields.reserveCapacity(fields.count + 6)
        if includeText { fields.append(("text", .string(text))) }
        if let payload { fields.append(("payload", .raw(payload))) }
        if let sparse = SparseVector.encode(self.sparse) { fields.append(("sparse", .raw(sparse))) }
        if let lastUsedAt { fields.append(("last_used_at", .string(dates.format(lastUsedAt)))) }
        if let source {
            fields.append(("path", .string(source.path)))
            fields.append(("line_start", .integer(source.lineStart)))
            fields.append(("line_end", .integer(source.lineEnd)))
        }
        return fields
    }

    /// The pattern as a JSON object (``jsonFields(includeText:)`` as a dictionary).
    public func jsonObject(includeText: Bool = true) -> [String: Any] {
        var object: [String: Any] = [:]
        for (key, value) in jsonFields(includeText: includeText) { object[key] = value.foundationValue }
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
            guard let number = value as? NSNumber, !number.isJSONBoolean else { throw NewPatternDecodingError("\"\(key)\" must be a number") }
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
            if let text = raw as? String { id = text } else if let number = raw as? NSNumber, !number.isJSONBoolean { id = number.stringValue } else {
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
        if let raw = object["sparse"], !(raw is NSNull) {
            guard let named = SparseVector.decode(raw) else {
                throw NewPatternDecodingError("\"sparse\" must be an object of name to {\"indices\": [whole numbers], \"values\": [numbers]}")
            }
            sparse = named
        }
    }
}

/// Why a JSON record is not a pattern.
public struct NewPatternDecodingError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
