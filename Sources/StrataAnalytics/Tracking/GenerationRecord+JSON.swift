import Foundation

extension GenerationRecord {
    /// The fields a JSON record may have (snake_case), for the import's error messages.
    public static let jsonFields = [
        "id", "time", "project", "environment", "prompt", "node_type", "domain", "stage", "provider", "model",
        "latency_ms", "latency_seconds", "input_tokens", "output_tokens", "cost", "quality", "gates_passed",
        "gates_failed", "pattern_ids", "top_similarity", "outcome",
    ]

    /// A record from one JSON object, as written by generators and by ``jsonObject``.
    ///
    /// `provider` and `model` are required. `time` is ISO 8601 or epoch seconds (default: now);
    /// latency is `latency_ms` or `latency_seconds`, not both; `quality` is 0–1; `outcome` is
    /// success, failure or error (default success). Unknown fields are refused, so a
    /// misspelt one is not silently lost. An `id` is ignored: the catalog assigns its own.
    ///
    /// - Throws: ``AnalyticsError/invalidArgument(name:value:expected:)`` naming the field.
    public init(json object: [String: Any]) throws(AnalyticsError) {
        if let unknown = object.keys.sorted().first(where: { !Self.jsonFields.contains($0) }) {
            throw .invalidArgument(name: "field", value: unknown, expected: "one of \(Self.jsonFields.joined(separator: ", "))")
        }
        let fields = JSONFields(object)
        self.init(provider: try fields.requiredText("provider"), model: try fields.requiredText("model"))
        time = try fields.time("time") ?? Date()
        project = try fields.text("project") ?? project
        environment = try fields.text("environment") ?? environment
        prompt = try fields.text("prompt") ?? prompt
        nodeType = try fields.text("node_type") ?? nodeType
        domain = try fields.text("domain") ?? domain
        stage = try fields.text("stage") ?? stage
        switch (try fields.number("latency_ms"), try fields.number("latency_seconds")) {
        case (.some, .some):
            throw .invalidArgument(name: "latency", value: "both latency_ms and latency_seconds", expected: "one of them")
        case let (.some(milliseconds), nil): latencySeconds = milliseconds / 1000
        case let (nil, .some(seconds)): latencySeconds = seconds
        case (nil, nil): break
        }
        inputTokens = try fields.integer("input_tokens") ?? 0
        outputTokens = try fields.integer("output_tokens") ?? 0
        cost = try fields.number("cost")
        quality = try fields.number("quality")
        gatesPassed = try fields.list("gates_passed") ?? []
        gatesFailed = try fields.list("gates_failed") ?? []
        patternIDs = try fields.list("pattern_ids") ?? []
        topSimilarity = try fields.number("top_similarity")
        if let text = try fields.text("outcome") {
            guard let outcome = Outcome(rawValue: text) else {
                throw .invalidArgument(name: "outcome", value: text, expected: Outcome.allCases.map(\.rawValue).joined(separator: ", "))
            }
            self.outcome = outcome
        }
        try validate()
    }

    /// The record as a JSON object with snake_case keys (absent optionals left out), the
    /// shape ``init(json:)`` reads back.
    public var jsonObject: [String: Any] {
        var object: [String: Any] = [
            "time": Self.timestamp(time), "project": project, "environment": environment, "prompt": prompt,
            "node_type": nodeType, "domain": domain, "stage": stage, "provider": provider, "model": model,
            "latency_seconds": latencySeconds, "input_tokens": inputTokens, "output_tokens": outputTokens,
            "gates_passed": gatesPassed, "gates_failed": gatesFailed, "pattern_ids": patternIDs, "outcome": outcome.rawValue,
        ]
        object["id"] = id
        object["cost"] = cost
        object["quality"] = quality
        object["top_similarity"] = topSimilarity
        return object
    }
}

/// Typed reads of a JSON object's fields, each error naming the field and what it takes.
private struct JSONFields {
    let object: [String: Any]

    init(_ object: [String: Any]) { self.object = object }

    private func present(_ key: String) -> Any? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        return value
    }

    func text(_ key: String) throws(AnalyticsError) -> String? {
        guard let value = present(key) else { return nil }
        guard let text = value as? String else { throw .invalidArgument(name: key, value: "\(value)", expected: "a string") }
        return text
    }

    func requiredText(_ key: String) throws(AnalyticsError) -> String {
        guard let text = try text(key) else { throw .invalidArgument(name: key, value: "", expected: "a string (required)") }
        return text
    }

    func number(_ key: String) throws(AnalyticsError) -> Double? {
        guard let value = present(key) else { return nil }
        // A JSON string never casts to NSNumber; a JSON number always does.
        guard !(value is String), let number = value as? NSNumber, !number.isJSONBoolean else {
            throw .invalidArgument(name: key, value: "\(value)", expected: "a number")
        }
        return number.doubleValue
    }

    func integer(_ key: String) throws(AnalyticsError) -> Int? {
        guard let number = try number(key) else { return nil }
        guard number.rounded() == number, abs(number) < 1e15 else {
            throw .invalidArgument(name: key, value: "\(number)", expected: "a whole number")
        }
        return Int(number)
    }

    func list(_ key: String) throws(AnalyticsError) -> [String]? {
        guard let value = present(key) else { return nil }
        guard let list = value as? [String] else { throw .invalidArgument(name: key, value: "\(value)", expected: "an array of strings") }
        return list
    }

    func time(_ key: String) throws(AnalyticsError) -> Date? {
        guard let value = present(key) else { return nil }
        if let text = value as? String {
            for style in [Date.ISO8601FormatStyle(includingFractionalSeconds: true), Date.ISO8601FormatStyle()] {
                if let date = try? style.parse(text) { return date }
            }
            if let day = try? Date.ISO8601FormatStyle().year().month().day().parse(text) { return day }
            throw .invalidArgument(name: key, value: text, expected: "ISO 8601 (2026-03-01T12:00:00Z) or epoch seconds")
        }
        guard let seconds = try number(key) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}
