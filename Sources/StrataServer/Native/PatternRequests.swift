import Foundation
import StrataStore

/// `POST /v1/search`: `{"text"}` or `{"vector"}`, `k` (default 10), `filter` (the CLI's filter
/// expression), `rerank` `{"semantic", "keyword", "quality", "success_rate"}`, `ef`, `exact`,
/// `mode` (`dense`, `lexical` or `hybrid`; default hybrid for a text, dense for a vector),
/// `fusion` (`rrf` or `dbsf`, default dbsf), `lexical_weight` (0 to 100: the lexical leg's
/// weight against the dense one's 1; default 3 for the built-in and static embedders, 1 for a
/// sentence encoder or an embedding service), `with_text` (default true).
struct SearchBody: Decodable {
    var query: SearchQuery
    var k: Int
    var filter: String?
    var rerank: RerankWeights?
    var ef: Int?
    var exact: Bool
    var mode: SearchMode?
    var fusion: FusionMethod
    var lexicalWeight: Double?
    var withText: Bool

    private enum CodingKeys: String, CodingKey {
        case text, vector, k, filter, rerank, ef, exact, mode, fusion
        case withText = "with_text"
        case lexicalWeight = "lexical_weight"
    }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        switch (try body.decodeIfPresent(String.self, forKey: .text), try body.decodeIfPresent([Float].self, forKey: .vector)) {
        case let (text?, nil): query = .text(text)
        case let (nil, vector?): query = .vector(vector)
        default:
            throw DecodingError.dataCorrupted(.init(
                codingPath: [], debugDescription: "must hold exactly one of \"text\" (a string) or \"vector\" (a list of numbers)"))
        }
        k = try body.decodeIfPresent(Int.self, forKey: .k, in: 1...10_000) ?? 10
        filter = try body.decodeIfPresent(String.self, forKey: .filter)
        rerank = try body.decodeIfPresent(RerankBody.self, forKey: .rerank)?.weights
        ef = try body.decodeIfPresent(Int.self, forKey: .ef, in: 1...100_000)
        exact = try body.decodeIfPresent(Bool.self, forKey: .exact) ?? false
        mode = try body.decodeCaseIfPresent(SearchMode.self, forKey: .mode)
        fusion = try body.decodeCaseIfPresent(FusionMethod.self, forKey: .fusion) ?? .dbsf
        lexicalWeight = try body.decodeIfPresent(Double.self, forKey: .lexicalWeight, in: 0...100)
        withText = try body.decodeIfPresent(Bool.self, forKey: .withText) ?? true
    }

    /// The store's request; a filter expression that does not parse is the store's 400.
    func request() throws(StoreError) -> SearchRequest {
        SearchRequest(
            query: query, k: k, filter: try filter.map(PatternFilter.init(expression:)) ?? PatternFilter(), ef: ef, rerank: rerank, exact: exact,
            mode: mode, fusion: fusion, lexicalWeight: lexicalWeight)
    }
}

/// Re-ranking weights, each a number of 0 or more: semantic (default 1), keyword, quality,
/// success_rate (default 0).
private struct RerankBody: Decodable {
    var weights: RerankWeights

    private enum CodingKeys: String, CodingKey {
        case semantic, keyword, quality
        case successRate = "success_rate"
    }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        let atLeastZero = 0...Double.greatestFiniteMagnitude
        weights = RerankWeights(
            semantic: try body.decodeIfPresent(Double.self, forKey: .semantic, in: atLeastZero) ?? 1,
            keyword: try body.decodeIfPresent(Double.self, forKey: .keyword, in: atLeastZero) ?? 0,
            quality: try body.decodeIfPresent(Double.self, forKey: .quality, in: atLeastZero) ?? 0,
            successRate: try body.decodeIfPresent(Double.self, forKey: .successRate, in: atLeastZero) ?? 0)
    }
}

/// `POST /v1/patterns`: one pattern object, or `{"patterns": [...]}`.
struct PatternsBody: Decodable {
    var patterns: [NewPattern]

    init(from decoder: any Decoder) throws {
        patterns = try decoder.oneOrList(of: PatternRecord.self, under: "patterns", naming: "pattern").map(\.pattern)
    }
}

/// One pattern, the fields of `strata import`'s records in snake_case: `text` (required
/// unless a `vector` is given), `id` (a string or a whole number; a UUID when absent), `name`,
/// `kind`, `node_type`, `domain`, `language`, `summary`, `tags`, `quality`, `success_rate`,
/// `usage_count`, `lifecycle`, `created_at` (ISO 8601), `path`, `line_start`, `line_end`,
/// `vector`, `payload` (an object).
struct PatternRecord: Decodable {
    var pattern: NewPattern

    private enum CodingKeys: String, CodingKey {
        case id, text, name, kind, domain, language, summary, tags, quality, lifecycle, path, vector, payload
        case nodeType = "node_type", successRate = "success_rate", usageCount = "usage_count", createdAt = "created_at"
        case lineStart = "line_start", lineEnd = "line_end"
    }

    init(from decoder: any Decoder) throws {
        let record = try decoder.container(keyedBy: CodingKeys.self)
        let vector = try record.decodeIfPresent([Float].self, forKey: .vector)
        // A pattern that brings its own vector may go without text.
        guard let text = try record.decodeIfPresent(String.self, forKey: .text) ?? (vector == nil ? nil : "") else {
            throw DecodingError.keyNotFound(CodingKeys.text, .init(codingPath: decoder.codingPath, debugDescription: "the pattern's source"))
        }
        pattern = NewPattern(id: try Self.id(record), text: text, vector: vector)
        pattern.name = try record.decodeIfPresent(String.self, forKey: .name) ?? ""
        if let kind = try record.decodeIfPresent(String.self, forKey: .kind) {
            guard let parsed = PatternKind(rawValue: kind) else {
                throw DecodingError.dataCorruptedError(forKey: .kind, in: record, debugDescription: "must be a name of letters, digits and _, not \"\(kind)\"")
            }
            pattern.kind = parsed
        }
        pattern.nodeType = try record.decodeCaseIfPresent(NodeType.self, forKey: .nodeType) ?? .none
        pattern.domain = try record.decodeIfPresent(String.self, forKey: .domain) ?? ""
        pattern.language = try record.decodeIfPresent(String.self, forKey: .language) ?? ""
        pattern.summary = try record.decodeIfPresent(String.self, forKey: .summary) ?? ""
        pattern.tags = try record.decodeIfPresent([String].self, forKey: .tags) ?? []
        pattern.quality = try record.decodeIfPresent(Double.self, forKey: .quality)
        pattern.successRate = try record.decodeIfPresent(Double.self, forKey: .successRate)
        pattern.usageCount = try record.decodeIfPresent(Int.self, forKey: .usageCount, in: 0...Int(1e15))
        pattern.lifecycle = try record.decodeCaseIfPresent(Lifecycle.self, forKey: .lifecycle) ?? .candidate
        if let time = try record.decodeIfPresent(String.self, forKey: .createdAt) {
            guard let date = PatternFilter.parseDate(time) else {
                throw DecodingError.dataCorruptedError(forKey: .createdAt, in: record, debugDescription: "must be an ISO 8601 time, like 2026-01-31T12:00:00Z")
            }
            pattern.createdAt = date
        }
        if let path = try record.decodeIfPresent(String.self, forKey: .path) {
            pattern.source = SourceSpan(
                path: path, lineStart: try record.decodeIfPresent(Int.self, forKey: .lineStart) ?? 0,
                lineEnd: try record.decodeIfPresent(Int.self, forKey: .lineEnd) ?? 0)
        }
        pattern.payload = try record.decodeIfPresent(JSONObjectText.self, forKey: .payload)?.text
    }

    /// A string, or a whole number written as one.
    private static func id(_ record: KeyedDecodingContainer<CodingKeys>) throws -> String? {
        guard record.contains(.id), try !record.decodeNil(forKey: .id) else { return nil }
        if let number = try? record.decode(Int64.self, forKey: .id) { return String(number) }
        do {
            return try record.decode(String.self, forKey: .id)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .id, in: record, debugDescription: "must be a string or a whole number")
        }
    }
}

/// `PATCH /v1/patterns/{id}`: a use, `{"outcome": "success"|"failure"|"used", "quality"}`.
struct FeedbackBody: Decodable {
    var outcome: UseOutcome
    var quality: Double?

    private enum CodingKeys: String, CodingKey { case outcome, quality }

    init(from decoder: any Decoder) throws {
        let body = try decoder.container(keyedBy: CodingKeys.self)
        outcome = try body.decodeCaseIfPresent(UseOutcome.self, forKey: .outcome) ?? .used
        quality = try body.decodeIfPresent(Double.self, forKey: .quality)
    }
}
