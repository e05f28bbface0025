import Foundation

extension GenerationRecord {
    /// Checks every field a statistic or a bill depends on.
    ///
    /// - Throws: ``AnalyticsError/invalidArgument(name:value:expected:)`` naming the first
    ///   field out of range.
    public func validate() throws(AnalyticsError) {
        for (name, value) in [("model", model), ("provider", provider), ("project", project), ("stage", stage)]
        where value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .invalidArgument(name: name, value: value, expected: "a non-empty name")
        }
        guard latencySeconds.isFinite, latencySeconds >= 0 else {
            throw .invalidArgument(name: "latency", value: "\(latencySeconds) s", expected: "a finite duration ≥ 0")
        }
        for (name, value) in [("input_tokens", inputTokens), ("output_tokens", outputTokens)] where value < 0 {
            throw .invalidArgument(name: name, value: "\(value)", expected: "a token count ≥ 0")
        }
        if let cost, !(cost.isFinite && cost >= 0) {
            throw .invalidArgument(name: "cost", value: "\(cost)", expected: "dollars ≥ 0")
        }
        if let quality, !(quality >= 0 && quality <= 1) {
            let hint = quality > 1 && quality <= 100 ? " (a percentage? divide by 100)" : ""
            throw .invalidArgument(name: "quality", value: "\(quality)", expected: "a score from 0 to 1\(hint)")
        }
        if let topSimilarity, !(topSimilarity >= -1 && topSimilarity <= 1) {
            throw .invalidArgument(name: "top_similarity", value: "\(topSimilarity)", expected: "a similarity from -1 to 1")
        }
        guard time.timeIntervalSince1970.isFinite else {
            throw .invalidArgument(name: "time", value: "\(time)", expected: "a finite time")
        }
    }

    /// ISO 8601 with fractional seconds, UTC: how records name their times.
    static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    /// A list column's text (a JSON array of strings).
    static func encodeList(_ list: [String]) -> String {
        guard !list.isEmpty, let data = try? JSONSerialization.data(withJSONObject: list) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeList(_ text: String) -> [String] {
        guard text != "[]" else { return [] }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? []
    }
}
