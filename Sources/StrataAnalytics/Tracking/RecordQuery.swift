import Foundation
import StrataCatalog
import StrataStore

/// Which generation records a query, a statistic or a trend looks at. Every field left nil
/// matches everything.
public struct RecordQuery: Sendable, Equatable {
    public var model: String?
    public var provider: String?
    public var stage: String?
    public var project: String?
    public var environment: String?
    public var nodeType: String?
    public var domain: String?
    /// Records at or after this time.
    public var from: Date?
    /// Records strictly before this time.
    public var to: Date?
    /// Only records with a quality score.
    public var scoredOnly: Bool
    /// At most this many records, the most recent first (``PerformanceTracker/records(matching:)`` only).
    public var limit: Int?

    public init(
        model: String? = nil, provider: String? = nil, stage: String? = nil, project: String? = nil, environment: String? = nil,
        nodeType: String? = nil, domain: String? = nil, from: Date? = nil, to: Date? = nil, scoredOnly: Bool = false, limit: Int? = nil
    ) {
        self.model = model
        self.provider = provider
        self.stage = stage
        self.project = project
        self.environment = environment
        self.nodeType = nodeType
        self.domain = domain
        self.from = from
        self.to = to
        self.scoredOnly = scoredOnly
        self.limit = limit
    }

    /// Everything.
    public static let all = RecordQuery()

    /// The SQL condition (`WHERE …`, or empty) and a function that binds its values.
    var condition: (sql: String, bind: (any CatalogStatement) -> Void) {
        let texts: [(String, String?)] = [
            ("model", model), ("provider", provider), ("stage", stage), ("project", project),
            ("environment", environment), ("node_type", nodeType), ("domain", domain),
        ]
        var clauses: [String] = []
        var textValues: [String] = []
        for (column, value) in texts {
            if let value {
                clauses.append("\(column) = ?")
                textValues.append(value)
            }
        }
        var times: [Double] = []
        if let from {
            clauses.append("time >= ?")
            times.append(from.timeIntervalSince1970)
        }
        if let to {
            clauses.append("time < ?")
            times.append(to.timeIntervalSince1970)
        }
        if scoredOnly { clauses.append("quality IS NOT NULL") }
        let sql = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return (sql, { statement in
            var index: Int32 = 1
            for value in textValues {
                statement.bind(index, value)
                index += 1
            }
            for value in times {
                statement.bind(index, value)
                index += 1
            }
        })
    }
}

extension PerformanceTracker {
    /// The records `query` matches, the most recent first, at most `query.limit`.
    public func records(matching query: RecordQuery = .all) throws(AnalyticsError) -> [GenerationRecord] {
        if let limit = query.limit, limit < 0 {
            throw .invalidArgument(name: "limit", value: "\(limit)", expected: "a count ≥ 0")
        }
        let (condition, bind) = query.condition
        let limit = query.limit.map { " LIMIT \($0)" } ?? ""
        return try withCatalog { catalog throws(AnalyticsError) in
            try catalog.run { () throws(CatalogError) in
                let statement = try catalog.database.statement("""
                    SELECT id, time, project, environment, prompt, node_type, domain, stage, provider, model, latency_seconds,
                        input_tokens, output_tokens, cost, quality, gates_passed, gates_failed, pattern_ids, top_similarity, outcome
                    FROM generations \(condition) ORDER BY time DESC, id DESC\(limit)
                    """)
                bind(statement)
                return try statement.rows { row in
                    GenerationRecord(
                        id: row.int64(0), time: Date(timeIntervalSince1970: row.double(1)), project: row.string(2),
                        environment: row.string(3), prompt: row.string(4), nodeType: row.string(5), domain: row.string(6),
                        stage: row.string(7), provider: row.string(8), model: row.string(9), latencySeconds: row.double(10),
                        inputTokens: row.int(11), outputTokens: row.int(12), cost: row.double(13), quality: row.optionalDouble(14),
                        gatesPassed: GenerationRecord.decodeList(row.string(15)), gatesFailed: GenerationRecord.decodeList(row.string(16)),
                        patternIDs: GenerationRecord.decodeList(row.string(17)), topSimilarity: row.optionalDouble(18),
                        outcome: GenerationRecord.Outcome(rawValue: row.string(19)) ?? .error)
                }
            }
        }
    }

    /// How many records `query` matches.
    public func count(matching query: RecordQuery = .all) throws(AnalyticsError) -> Int {
        let (condition, bind) = query.condition
        return try withCatalog { catalog throws(AnalyticsError) in
            try catalog.run { () throws(CatalogError) in
                let statement = try catalog.database.statement("SELECT count(*) FROM generations \(condition)")
                bind(statement)
                return try statement.rows { $0.int(0) }.first ?? 0
            }
        }
    }
}
