import Foundation
import StrataCatalog

/// Which patterns a search, count, list or export considers. Every set field must match
/// (AND); an empty filter matches everything.
public struct PatternFilter: Sendable, Equatable {
    /// Node types to accept (any of).
    public var nodeTypes: Set<NodeType> = []
    /// Domains to accept (any of).
    public var domains: Set<String> = []
    /// Languages to accept (any of).
    public var languages: Set<String> = []
    /// Kinds to accept (any of).
    public var kinds: Set<PatternKind> = []
    /// Lifecycle states to accept (any of).
    public var lifecycles: Set<Lifecycle> = []
    /// The pattern carries at least one of these tags.
    public var tagsAny: Set<String> = []
    /// The pattern carries every one of these tags.
    public var tagsAll: Set<String> = []
    /// The pattern carries none of these tags.
    public var tagsNone: Set<String> = []
    /// Lowest quality accepted (inclusive).
    public var minQuality: Double?
    /// Highest quality accepted (inclusive).
    public var maxQuality: Double?
    /// Created at or after this instant.
    public var createdAfter: Date?
    /// Created strictly before this instant.
    public var createdBefore: Date?
    /// Only these tiers.
    public var tiers: Set<Tier> = []
    /// A condition on the payload or the id; the catalog evaluates it (SQLite's JSON
    /// functions), so a search with one reads its candidates from there.
    public var payload: PayloadCondition?

    public init() {}

    /// True when the filter accepts every pattern.
    public var isEmpty: Bool { self == PatternFilter() }
}

extension PatternFilter {
    /// The filter as a SQL condition over `patterns` (alias `p`) with its bound values.
    func sqlCondition(_ dialect: SQLDialect) -> (sql: String, values: [SQLValue]) {
        var clauses: [String] = []
        var values: [SQLValue] = []
        func anyOf(_ column: String, _ set: [String]) {
            guard !set.isEmpty else { return }
            clauses.append("p.\(column) IN (\(Array(repeating: "?", count: set.count).joined(separator: ",")))")
            values += set.sorted().map(SQLValue.text)
        }
        anyOf("node_type", nodeTypes.map(\.rawValue))
        anyOf("domain", Array(domains))
        anyOf("language", Array(languages))
        anyOf("kind", kinds.map(\.rawValue))
        anyOf("lifecycle", lifecycles.map(\.rawValue))
        if !tiers.isEmpty {
            clauses.append("p.tier IN (\(Array(repeating: "?", count: tiers.count).joined(separator: ",")))")
            values += tiers.map { $0 == .hot ? Int64(0) : 1 }.sorted().map(SQLValue.integer)
        }
        if !tagsAny.isEmpty {
            clauses.append("EXISTS (SELECT 1 FROM pattern_tags t WHERE t.row = p.row AND t.tag IN (\(Array(repeating: "?", count: tagsAny.count).joined(separator: ","))))")
            values += tagsAny.sorted().map(SQLValue.text)
        }
        for tag in tagsAll.sorted() {
            clauses.append("EXISTS (SELECT 1 FROM pattern_tags t WHERE t.row = p.row AND t.tag = ?)")
            values.append(.text(tag))
        }
        if !tagsNone.isEmpty {
            clauses.append("NOT EXISTS (SELECT 1 FROM pattern_tags t WHERE t.row = p.row AND t.tag IN (\(Array(repeating: "?", count: tagsNone.count).joined(separator: ","))))")
            values += tagsNone.sorted().map(SQLValue.text)
        }
        if let minQuality { clauses.append("p.quality >= ?"); values.append(.real(minQuality)) }
        if let maxQuality { clauses.append("p.quality <= ?"); values.append(.real(maxQuality)) }
        if let createdAfter { clauses.append("p.created_at >= ?"); values.append(.real(createdAfter.timeIntervalSince1970)) }
        if let createdBefore { clauses.append("p.created_at < ?"); values.append(.real(createdBefore.timeIntervalSince1970)) }
        if let payload {
            let (sql, bound) = payload.sqlCondition(dialect)
            clauses.append(sql)
            values += bound
        }
        return (clauses.isEmpty ? "TRUE" : clauses.joined(separator: " AND "), values)
    }
}

/// A value bound into a catalog statement.
enum SQLValue: Sendable, Equatable {
    case text(String)
    case real(Double)
    case integer(Int64)
}

extension CatalogStatement {
    /// Binds `values` from parameter `first` on.
    @discardableResult
    func bind(_ values: [SQLValue], from first: Int32 = 1) -> Self {
        for (offset, value) in values.enumerated() {
            let index = first + Int32(offset)
            switch value {
            case let .text(text): bind(index, text)
            case let .real(real): bind(index, real)
            case let .integer(integer): bind(index, integer)
            }
        }
        return self
    }
}
