import Foundation

extension PatternFilter {
    /// Parses a filter expression: clauses joined by commas, all of which must hold.
    ///
    /// | clause | meaning |
    /// |---|---|
    /// | `node_type=effect` or `node_type=effect\|compute` | node type is one of |
    /// | `domain=…`, `language=…`, `kind=…`, `lifecycle=…`, `tier=hot\|cold` | same, for that field |
    /// | `tags=a\|b` (also `tag=`) | carries any of the tags |
    /// | `tags=a+b` | carries all of the tags |
    /// | `tags!=a\|b` | carries none of the tags |
    /// | `quality>=0.7`, `quality>0.7`, `quality<=0.9`, `quality<0.9`, `quality=1` | quality range |
    /// | `created>=2026-01-01`, `created<2026-06-01T12:00:00Z` | creation time range |
    ///
    /// - Throws: ``StoreError/invalidFilter(expression:problem:)`` naming the clause and what
    ///   was expected.
    public init(expression: String) throws(StoreError) {
        self.init()
        let trimmed = expression.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return }
        for rawClause in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let clause = rawClause.trimmingCharacters(in: .whitespaces)
            guard !clause.isEmpty else {
                throw .invalidFilter(expression: expression, problem: "an empty clause between commas; write clauses like node_type=effect,quality>=0.7")
            }
            try apply(clause: clause, expression: expression)
        }
    }

    private static let operators = [">=", "<=", "!=", "=", ">", "<"]

    /// `tags=a|b` (any), `tags=a+b` (all), `tags!=a|b` (none); the problem, or nil.
    private mutating func applyTags(op: String, value: String, alternatives: [String]) -> String? {
        switch op {
        case "!=":
            guard !value.contains("+") else { return "tags!= takes tags joined by | (carries none of them)" }
            tagsNone.formUnion(alternatives)
        case "=" where value.contains("+"):
            guard alternatives.count == 1 else { return "mix of | and +; use tags=a|b (any) or tags=a+b (all)" }
            let all = value.split(separator: "+").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !all.contains("") else { return "empty tag in \(value)" }
            tagsAll.formUnion(all)
        case "=":
            tagsAny.formUnion(alternatives)
        default:
            return "tags takes = (any of a|b, all of a+b) or != (none of a|b)"
        }
        return nil
    }

    private mutating func apply(clause: String, expression: String) throws(StoreError) {
        guard let (field, op, value) = Self.split(clause) else {
            throw .invalidFilter(expression: expression, problem: "\"\(clause)\" has no operator; expected FIELD=VALUE or FIELD>=NUMBER")
        }
        func fail(_ problem: String) -> StoreError { .invalidFilter(expression: expression, problem: "\"\(clause)\": \(problem)") }
        func requireEquals() throws(StoreError) {
            guard op == "=" else { throw fail("\(field) takes = only (one value, or several joined by |)") }
        }
        let alternatives = value.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !value.isEmpty, !alternatives.contains("") else { throw fail("missing value after \(op)") }
        switch field {
        case "node_type", "nodetype", "type":
            try requireEquals()
            for alternative in alternatives {
                guard let type = NodeType(rawValue: alternative.lowercased()) else {
                    throw fail("unknown node type \"\(alternative)\"; expected one of \(NodeType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                nodeTypes.insert(type)
            }
        case "domain":
            try requireEquals(); domains.formUnion(alternatives)
        case "language", "lang":
            try requireEquals(); languages.formUnion(alternatives.map { $0.lowercased() })
        case "kind":
            try requireEquals()
            for alternative in alternatives {
                guard let kind = PatternKind(rawValue: alternative) else { throw fail("\"\(alternative)\" is not a kind name (letters, digits, _)") }
                kinds.insert(kind)
            }
        case "lifecycle":
            try requireEquals()
            for alternative in alternatives {
                guard let state = Lifecycle(rawValue: alternative.lowercased()) else {
                    throw fail("unknown lifecycle \"\(alternative)\"; expected one of \(Lifecycle.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                lifecycles.insert(state)
            }
        case "tier":
            try requireEquals()
            for alternative in alternatives {
                guard let tier = Tier(rawValue: alternative.lowercased()) else { throw fail("unknown tier \"\(alternative)\"; expected hot or cold") }
                tiers.insert(tier)
            }
        case "tags", "tag":
            if let problem = applyTags(op: op, value: value, alternatives: alternatives) { throw fail(problem) }
        case "quality":
            guard alternatives.count == 1, let number = Double(value), number.isFinite else {
                throw fail("quality takes one number, like quality>=0.7")
            }
            switch op {
            case ">=": minQuality = max(minQuality ?? -.infinity, number)
            case ">": minQuality = max(minQuality ?? -.infinity, number.nextUp)
            case "<=": maxQuality = min(maxQuality ?? .infinity, number)
            case "<": maxQuality = min(maxQuality ?? .infinity, number.nextDown)
            case "=": minQuality = number; maxQuality = number
            default: throw fail("quality takes =, >, >=, < or <=")
            }
        case "created", "created_at":
            guard let date = Self.parseDate(value) else {
                throw fail("\"\(value)\" is not a date; expected YYYY-MM-DD or an ISO 8601 time like 2026-01-31T12:00:00Z")
            }
            switch op {
            case ">=": createdAfter = date
            case ">": createdAfter = date.addingTimeInterval(0.001)
            case "<": createdBefore = date
            case "<=": createdBefore = date.addingTimeInterval(0.001)
            default: throw fail("created takes >, >=, < or <=")
            }
        default:
            throw fail("unknown field \"\(field)\"; expected node_type, domain, language, kind, lifecycle, tier, tags, quality or created")
        }
    }

    private static func split(_ clause: String) -> (String, String, String)? {
        for op in operators {
            if let range = clause.range(of: op) {
                let field = clause[..<range.lowerBound].trimmingCharacters(in: .whitespaces).lowercased()
                let value = clause[range.upperBound...].trimmingCharacters(in: .whitespaces)
                guard !field.isEmpty else { return nil }
                // `quality>=0.7` must not split at `=` first: the longest operator at the
                // earliest position wins.
                let earliest = operators.compactMap { clause.range(of: $0)?.lowerBound }.min()!
                if range.lowerBound != earliest { continue }
                return (field, op, value)
            }
        }
        return nil
    }

    /// A date as the store reads it in filters and pattern records: ISO 8601 with or without
    /// fractional seconds, or a plain `YYYY-MM-DD` (midnight UTC); nil for anything else.
    public static func parseDate(_ text: String) -> Date? {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return date }
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = full.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }
}
