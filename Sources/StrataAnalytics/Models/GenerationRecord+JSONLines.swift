import Foundation

extension GenerationRecord {
    /// Reads generation records from JSON lines, one object a line, snake_case fields:
    /// `time` (ISO 8601, or seconds since 1970), `project`, `environment`, `prompt`,
    /// `node_type`, `domain`, `stage`, `provider`, `model` (required), `latency_seconds`,
    /// `input_tokens`, `output_tokens`, `cost` (dollars), `quality` (0–1), `top_similarity`,
    /// `outcome` (`success`, `failure` or `error`). Blank lines are skipped.
    ///
    /// - Parameters:
    ///   - text: The file's contents.
    ///   - file: The name used in errors.
    /// - Throws: ``AnalyticsError/malformedLine(file:line:problem:)`` naming the first bad line.
    public static func parseJSONLines(_ text: String, file: String) throws(AnalyticsError) -> [GenerationRecord] {
        var records: [GenerationRecord] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let object: [String: Any]
            do {
                guard let parsed = try JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                    throw AnalyticsError.malformedLine(file: file, line: offset + 1, problem: "not a JSON object")
                }
                object = parsed
            } catch let error as AnalyticsError {
                throw error
            } catch {
                throw .malformedLine(file: file, line: offset + 1, problem: "not valid JSON")
            }
            records.append(try record(object, file: file, line: offset + 1))
        }
        return records
    }

    /// Reads a JSON-lines file of records; see ``parseJSONLines(_:file:)``.
    public static func readJSONLines(path: String) throws(AnalyticsError) -> [GenerationRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .file(path: path, problem: "cannot read it; give a JSON-lines file of generation records")
        }
        return try parseJSONLines(String(decoding: data, as: UTF8.self), file: path)
    }

    private static func record(_ object: [String: Any], file: String, line: Int) throws(AnalyticsError) -> GenerationRecord {
        func bad(_ problem: String) -> AnalyticsError { .malformedLine(file: file, line: line, problem: problem) }
        func text(_ key: String) throws(AnalyticsError) -> String? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let string = value as? String else { throw bad("\(key) must be a string") }
            return string
        }
        func number(_ key: String) throws(AnalyticsError) -> Double? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let number = value as? NSNumber, !(value is Bool), number.doubleValue.isFinite else { throw bad("\(key) must be a number") }
            return number.doubleValue
        }
        guard let model = try text("model"), !model.isEmpty else { throw bad("model is missing") }
        var time = Date()
        if let seconds = try? number("time") {
            time = Date(timeIntervalSince1970: seconds)
        } else if let stamp = try text("time") {
            guard let parsed = ISO8601DateFormatter().date(from: stamp) ?? Self.dayFormatter.date(from: stamp) else {
                throw bad("time '\(stamp)' is not ISO 8601 (2026-03-01T12:00:00Z) nor seconds since 1970")
            }
            time = parsed
        }
        let quality = try number("quality")
        if let quality, !(0...1).contains(quality) { throw bad("quality \(quality) is outside 0…1") }
        if let cost = try number("cost"), cost < 0 { throw bad("cost \(cost) is negative") }
        var outcome = Outcome.success
        if let word = try text("outcome") {
            guard let parsed = Outcome(rawValue: word) else { throw bad("outcome '\(word)' is not success, failure or error") }
            outcome = parsed
        }
        return GenerationRecord(
            time: time, project: try text("project") ?? "default", environment: try text("environment") ?? "dev", prompt: try text("prompt") ?? "",
            nodeType: try text("node_type") ?? "none", domain: try text("domain") ?? "general", stage: try text("stage") ?? "generate",
            provider: try text("provider") ?? "unknown", model: model, latencySeconds: try number("latency_seconds") ?? 0,
            inputTokens: Int(try number("input_tokens") ?? 0), outputTokens: Int(try number("output_tokens") ?? 0),
            cost: try number("cost"), quality: quality, topSimilarity: try number("top_similarity"), outcome: outcome
        )
    }

    private static let dayFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter
    }()

    /// The record as one JSON-lines object, in the fields ``parseJSONLines(_:file:)`` reads.
    public var jsonLine: [String: Any] {
        var object: [String: Any] = [
            "time": ISO8601DateFormatter().string(from: time), "project": project, "environment": environment, "node_type": nodeType,
            "domain": domain, "stage": stage, "provider": provider, "model": model, "latency_seconds": latencySeconds,
            "input_tokens": inputTokens, "output_tokens": outputTokens, "outcome": outcome.rawValue,
        ]
        if !prompt.isEmpty { object["prompt"] = prompt }
        if let cost { object["cost"] = cost }
        if let quality { object["quality"] = quality }
        if let topSimilarity { object["top_similarity"] = topSimilarity }
        return object
    }
}
