import Foundation
import StrataAnalytics
import StrataGeneration
import StrataStore

/// `POST /v1/generations`: one record, or `{"generations": [...]}`.
struct GenerationsBody: Decodable {
    var records: [GenerationRecord]

    init(from decoder: any Decoder) throws {
        records = try decoder.oneOrList(of: GenerationRecordBody.self, under: "generations", naming: "generation").map(\.record)
    }
}

/// One generation record, the fields of `strata record` (``GenerationRecord/jsonFields``):
/// `provider` and `model` required; `time` ISO 8601 or epoch seconds; `latency_ms` or
/// `latency_seconds`, not both. Unknown fields are refused, so a misspelt one is not silently
/// lost; the record's own check (``GenerationRecord/validate()``) runs last.
struct GenerationRecordBody: Decodable {
    var record: GenerationRecord

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: JSONKey.self)
        if let unknown = fields.allKeys.map(\.stringValue).sorted().first(where: { !GenerationRecord.jsonFields.contains($0) }) {
            throw DecodingError.dataCorruptedError(
                forKey: JSONKey(unknown), in: fields,
                debugDescription: "is not a field of a generation record: expected one of \(GenerationRecord.jsonFields.joined(separator: ", "))")
        }
        func text(_ name: String) throws -> String? { try fields.decodeIfPresent(String.self, forKey: JSONKey(name)) }
        func number(_ name: String) throws -> Double? { try fields.decodeIfPresent(Double.self, forKey: JSONKey(name)) }
        func whole(_ name: String) throws -> Int? { try fields.decodeIfPresent(Int.self, forKey: JSONKey(name), in: 0...Int(1e15)) }
        func list(_ name: String) throws -> [String]? { try fields.decodeIfPresent([String].self, forKey: JSONKey(name)) }
        record = GenerationRecord(
            provider: try fields.decode(String.self, forKey: JSONKey("provider")), model: try fields.decode(String.self, forKey: JSONKey("model")))
        record.time = try Self.time(fields) ?? Date()
        record.project = try text("project") ?? record.project
        record.environment = try text("environment") ?? record.environment
        record.prompt = try text("prompt") ?? record.prompt
        record.nodeType = try text("node_type") ?? record.nodeType
        record.domain = try text("domain") ?? record.domain
        record.stage = try text("stage") ?? record.stage
        switch (try number("latency_ms"), try number("latency_seconds")) {
        case (.some, .some):
            throw DecodingError.dataCorruptedError(forKey: JSONKey("latency_seconds"), in: fields, debugDescription: "cannot come with latency_ms: send one of them")
        case let (milliseconds?, nil): record.latencySeconds = milliseconds / 1000
        case let (nil, seconds?): record.latencySeconds = seconds
        case (nil, nil): break
        }
        record.inputTokens = try whole("input_tokens") ?? 0
        record.outputTokens = try whole("output_tokens") ?? 0
        record.cost = try number("cost")
        record.quality = try number("quality")
        record.gatesPassed = try list("gates_passed") ?? []
        record.gatesFailed = try list("gates_failed") ?? []
        record.patternIDs = try list("pattern_ids") ?? []
        record.topSimilarity = try number("top_similarity")
        record.outcome = try fields.decodeCaseIfPresent(GenerationRecord.Outcome.self, forKey: JSONKey("outcome")) ?? .success
        try decoder.checked { [record] in try record.validate() }
    }

    /// `time`: ISO 8601 (a date alone is midnight UTC) or epoch seconds.
    private static func time(_ fields: KeyedDecodingContainer<JSONKey>) throws -> Date? {
        let key = JSONKey("time")
        guard fields.contains(key), try !fields.decodeNil(forKey: key) else { return nil }
        if let seconds = try? fields.decode(Double.self, forKey: key) { return Date(timeIntervalSince1970: seconds) }
        guard let text = try? fields.decode(String.self, forKey: key), let date = PatternFilter.parseDate(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: fields, debugDescription: "must be ISO 8601 (2026-03-01T12:00:00Z) or epoch seconds")
        }
        return date
    }
}

/// `POST /v1/predict`: `model` and `prompt` (required), `node_type`, `domain`, `stage`,
/// `top_similarity`, `context` (patterns in the prompt).
struct PredictBody: Decodable {
    var request: GenerationRequest

    private enum CodingKeys: String, CodingKey {
        case model, prompt, domain, stage, context
        case nodeType = "node_type", topSimilarity = "top_similarity"
    }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        request = GenerationRequest(
            nodeType: try body.decodeIfPresent(String.self, forKey: .nodeType) ?? "none",
            domain: try body.decodeIfPresent(String.self, forKey: .domain) ?? "general",
            stage: try body.decodeIfPresent(String.self, forKey: .stage) ?? "generate",
            model: try body.decode(String.self, forKey: .model), prompt: try body.decode(String.self, forKey: .prompt),
            topSimilarity: try body.decodeIfPresent(Double.self, forKey: .topSimilarity),
            contextPatterns: try body.decodeIfPresent(Int.self, forKey: .context, in: 0...10_000) ?? 0)
    }
}

/// `POST /v1/clusters`: `k` (2 to 4096; omitted, chosen by silhouette), `filter` (an
/// expression), `restarts` (1 to 20, default 1), `seed` (default 1).
struct ClusterBody: Decodable {
    var clustering: KMeansConfiguration
    var filter: String

    private enum CodingKeys: String, CodingKey { case k, filter, restarts, seed }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        clustering = KMeansConfiguration(
            clusters: try body.decodeIfPresent(Int.self, forKey: .k, in: 2...4096),
            seed: UInt64(try body.decodeIfPresent(Int.self, forKey: .seed, in: 0...Int(Int32.max)) ?? 1))
        clustering.restarts = try body.decodeIfPresent(Int.self, forKey: .restarts, in: 1...20) ?? 1
        filter = try body.decodeIfPresent(String.self, forKey: .filter) ?? ""
    }
}

/// `POST /v1/generate`: `prompt` (required), `quality_target` (default 0.8), `budget`
/// (dollars), `node_type`, `name`, `domain`, `operations`, `force`, `dry_run`, `project`
/// (default `default`; the environment is the server's); or for a
/// feature `workflow`, `entity` (default: the prompt's) and `fields` (`"name:str,email:str"`).
struct GenerateBody: Decodable {
    var prompt: String
    var workflow: String?
    var entity: String?
    var fields: String?
    var qualityTarget: Double
    var budget: Double?
    var overrides: IntentOverrides
    var force: Bool
    var dryRun: Bool
    var project: String

    private enum CodingKeys: String, CodingKey {
        case prompt, budget, name, domain, operations, force, workflow, entity, fields, project
        case qualityTarget = "quality_target", nodeType = "node_type", dryRun = "dry_run"
    }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        prompt = try body.decode(String.self, forKey: .prompt)
        workflow = try body.decodeIfPresent(String.self, forKey: .workflow)
        entity = try body.decodeIfPresent(String.self, forKey: .entity)
        fields = try body.decodeIfPresent(String.self, forKey: .fields)
        qualityTarget = try body.decodeIfPresent(Double.self, forKey: .qualityTarget) ?? 0.8
        budget = try body.decodeIfPresent(Double.self, forKey: .budget)
        var nodeType: NodeType?
        if let name = try body.decodeIfPresent(String.self, forKey: .nodeType) {
            guard let type = NodeType(buildableName: name) else {
                throw DecodingError.dataCorruptedError(forKey: .nodeType, in: body, debugDescription: "must be effect, compute, reducer or orchestrator, not \"\(name)\"")
            }
            nodeType = type
        }
        overrides = IntentOverrides(
            nodeType: nodeType, name: try body.decodeIfPresent(String.self, forKey: .name), domain: try body.decodeIfPresent(String.self, forKey: .domain),
            operations: try body.decodeIfPresent([String].self, forKey: .operations))
        force = try body.decodeIfPresent(Bool.self, forKey: .force) ?? false
        dryRun = try body.decodeIfPresent(Bool.self, forKey: .dryRun) ?? false
        project = try body.decodeIfPresent(String.self, forKey: .project) ?? "default"
        guard !project.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .project, in: body, debugDescription: "must be a project's name, not blank")
        }
    }
}
