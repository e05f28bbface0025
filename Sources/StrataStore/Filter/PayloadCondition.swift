import Foundation
import StrataCatalog

/// A condition on a pattern's payload (its JSON object of caller metadata) or its id: the
/// filter language of Qdrant's points API, evaluated by the catalog with SQLite's JSON
/// functions.
///
/// A key condition holds when any value at the key holds it: a field that is an array counts
/// each of its elements (`tags: ["a","b"]` equals `"a"`), as Qdrant does.
public indirect enum PayloadCondition: Sendable, Equatable {
    /// Every condition holds (Qdrant `must`); an empty list holds.
    case all([PayloadCondition])
    /// At least one condition holds (Qdrant `should`); an empty list holds.
    case any([PayloadCondition])
    /// The condition does not hold (Qdrant `must_not` is `not(any(...))`).
    case not(PayloadCondition)
    /// A value at the key equals `value` (Qdrant `match.value`).
    case equals(PayloadKey, PayloadValue)
    /// A value at the key is one of `values` (Qdrant `match.any`).
    case oneOf(PayloadKey, [PayloadValue])
    /// The key holds values and none of them is in `values` (Qdrant `match.except`).
    case noneOf(PayloadKey, [PayloadValue])
    /// A string at the key contains `text` (Qdrant `match.text`).
    case containsText(PayloadKey, String)
    /// A number at the key lies in the range (Qdrant `range`).
    case range(PayloadKey, PayloadRange)
    /// The key is missing, null or an empty array (Qdrant `is_empty`).
    case isEmpty(PayloadKey)
    /// The key holds null (Qdrant `is_null`).
    case isNull(PayloadKey)
    /// The pattern's id is one of these (Qdrant `has_id`).
    case hasID([String])
}

/// A path into a payload: field names separated by dots (`meta.author`).
public struct PayloadKey: Sendable, Hashable, CustomStringConvertible {
    /// The key as written.
    public let description: String
    /// The SQLite JSON path (`$."meta"."author"`): each label quoted, so any other
    /// character is safe.
    let jsonPath: String

    /// Reads a dotted key.
    ///
    /// - Throws: ``StoreError/invalidFilter(expression:problem:)`` for an empty key, an empty label (`a..b`), or
    ///   a label holding `"`, `[` or `]` (array paths are not supported: a key already looks
    ///   inside arrays).
    public init(_ key: String) throws(StoreError) {
        let labels = key.split(separator: ".", omittingEmptySubsequences: false)
        guard !key.isEmpty, labels.allSatisfy({ !$0.isEmpty && !$0.contains(where: { "\"[]".contains($0) }) }) else {
            throw .invalidFilter(expression: key, problem: "a payload key is a dotted field path such as \"lang\" or \"meta.author\" (no empty parts, no quotes or brackets)")
        }
        description = key
        jsonPath = "$" + labels.map { ".\"\($0)\"" }.joined()
    }
}

/// A scalar a payload field is compared with.
public enum PayloadValue: Sendable, Hashable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
}

/// Bounds on a number; nil leaves a side open.
public struct PayloadRange: Sendable, Equatable {
    public var greaterThan: Double?
    public var greaterThanOrEqual: Double?
    public var lessThan: Double?
    public var lessThanOrEqual: Double?

    public init(greaterThan: Double? = nil, greaterThanOrEqual: Double? = nil, lessThan: Double? = nil, lessThanOrEqual: Double? = nil) {
        self.greaterThan = greaterThan
        self.greaterThanOrEqual = greaterThanOrEqual
        self.lessThan = lessThan
        self.lessThanOrEqual = lessThanOrEqual
    }
}

extension PayloadCondition {
    /// The condition as SQL over `patterns` (alias `p`) with its bound values.
    ///
    /// SQLite reads the payload text with its JSON functions; PostgreSQL casts it to `jsonb`
    /// and walks it with a JSON path. Both see the same values at a key: one for a scalar, one
    /// per element for an array.
    func sqlCondition(_ dialect: SQLDialect) -> (sql: String, values: [SQLValue]) {
        var values: [SQLValue] = []
        let sql = sql(dialect, into: &values)
        return (sql, values)
    }

    private func sql(_ dialect: SQLDialect, into values: inout [SQLValue]) -> String {
        // Rows `j` of the values at a key, whose path is bound first.
        func element(_ key: PayloadKey, _ predicate: String, into values: inout [SQLValue]) -> String {
            let (sql, path) = dialect.anyJSONValue(in: "p.payload", path: key.jsonPath, where: predicate)
            values.append(.text(path))
            return sql
        }
        func valueTest(_ value: PayloadValue, into values: inout [SQLValue]) -> String {
            switch value {
            case let .string(text):
                values.append(.text(text))
                return dialect.jsonValueIsText
            case let .integer(number):
                values.append(.integer(number))
                return dialect.jsonValueIsInteger
            case let .bool(flag):
                return dialect.jsonValueIs(flag)
            }
        }
        // The tests of one element are built after its path is bound, in the order they bind.
        func membership(_ key: PayloadKey, _ list: [PayloadValue], into values: inout [SQLValue]) -> String {
            var tests: [SQLValue] = []
            let predicate = list.isEmpty ? "FALSE" : "(" + list.map { valueTest($0, into: &tests) }.joined(separator: " OR ") + ")"
            let sql = element(key, predicate, into: &values)
            values += tests
            return sql
        }
        switch self {
        case let .all(conditions):
            guard !conditions.isEmpty else { return "TRUE" }
            return "(" + conditions.map { $0.sql(dialect, into: &values) }.joined(separator: " AND ") + ")"
        case let .any(conditions):
            guard !conditions.isEmpty else { return "TRUE" }
            return "(" + conditions.map { $0.sql(dialect, into: &values) }.joined(separator: " OR ") + ")"
        case let .not(condition):
            return "NOT " + condition.sql(dialect, into: &values)
        case let .equals(key, value):
            return membership(key, [value], into: &values)
        case let .oneOf(key, list):
            return membership(key, list, into: &values)
        case let .noneOf(key, list):
            let present = element(key, dialect.jsonValueIsNotNull, into: &values)
            return "(\(present) AND NOT \(membership(key, list, into: &values)))"
        case let .containsText(key, text):
            let sql = element(key, dialect.jsonValueContainsText, into: &values)
            values.append(.text(text))
            return sql
        case let .range(key, range):
            var comparisons: [String] = []
            var bounds: [SQLValue] = []
            for (bound, comparison) in [(range.greaterThan, ">"), (range.greaterThanOrEqual, ">="), (range.lessThan, "<"), (range.lessThanOrEqual, "<=")] {
                guard let bound else { continue }
                comparisons.append(comparison)
                bounds.append(.real(bound))
            }
            let sql = element(key, dialect.jsonValueIsNumber(comparisons), into: &values)
            values += bounds
            return sql
        case let .isEmpty(key):
            let (sql, paths) = dialect.jsonIsEmpty(in: "p.payload", path: key.jsonPath)
            values += paths.map(SQLValue.text)
            return sql
        case let .isNull(key):
            values.append(.text(key.jsonPath))
            return dialect.jsonIsNull(in: "p.payload", path: key.jsonPath)
        case let .hasID(ids):
            guard !ids.isEmpty else { return "FALSE" }
            values += ids.map(SQLValue.text)
            return "p.id IN (" + Array(repeating: "?", count: ids.count).joined(separator: ",") + ")"
        }
    }
}
