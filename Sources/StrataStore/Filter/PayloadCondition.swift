import Foundation
import StrataCatalog

/// A condition on a pattern's payload (its JSON object of caller metadata) or its id: the
/// filter language of Qdrant's points API. Three evaluators give the same answers: the
/// catalog's JSON functions (``isSQLExpressible`` conditions on fields without an index), the
/// in-memory field indexes (``PayloadFieldSchema``), and a scan of the parsed payloads
/// (geo, date-time and nested conditions on fields without an index).
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
    /// At least `count` of the conditions hold (Qdrant `min_should`).
    case atLeast(Int, [PayloadCondition])
    /// The number of values at the key (an array's non-null elements, 1 for a scalar, 0 for
    /// null or none) lies in the range (Qdrant `values_count`).
    case valuesCount(PayloadKey, PayloadRange)
    /// A date-time string at the key (RFC 3339, ``PayloadTime``) lies in the range, in
    /// seconds since 1970 (Qdrant `range` with date-time bounds).
    case timeRange(PayloadKey, PayloadRange)
    /// A geo point (`{"lat", "lon"}`) at the key lies within `meters` of `center` on the
    /// Earth's surface (Qdrant `geo_radius`).
    case geoRadius(PayloadKey, center: GeoPoint, meters: Double)
    /// A geo point at the key lies in the box (Qdrant `geo_bounding_box`).
    case geoBox(PayloadKey, topLeft: GeoPoint, bottomRight: GeoPoint)
    /// Some object in the array at the key meets the condition, whose keys are read inside
    /// that object (Qdrant `nested`): `{"diet": [{"food": "meat", "likes": false}]}`.
    case nested(PayloadKey, PayloadCondition)
}

/// A point on the Earth, in degrees.
public struct GeoPoint: Sendable, Hashable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// A path into a payload: field names separated by dots (`meta.author`); a label ending in
/// `[]` walks into each element of the array it names (`cities[].population`).
public struct PayloadKey: Sendable, Hashable, CustomStringConvertible {
    /// One label of the path, and whether the array it names is walked into.
    struct Step: Sendable, Hashable {
        var label: String
        var expands: Bool
    }

    /// The key as written.
    public let description: String
    /// The labels, in order.
    let steps: [Step]
    /// The SQLite JSON path (`$."meta"."author"`): each label quoted, so any other
    /// character is safe. The last label's `[]` changes nothing (a key already looks inside
    /// an array); an inner one is beyond a JSON path (``walksArrays``).
    let jsonPath: String

    /// Reads a dotted key.
    ///
    /// - Throws: ``StoreError/invalidFilter(expression:problem:)`` for an empty key, an empty label (`a..b`), or
    ///   a label holding `"`, `[` or `]` other than a closing `[]`.
    public init(_ key: String) throws(StoreError) {
        let labels = key.split(separator: ".", omittingEmptySubsequences: false).map { label in
            label.hasSuffix("[]") ? Step(label: String(label.dropLast(2)), expands: true) : Step(label: String(label), expands: false)
        }
        guard !key.isEmpty, labels.allSatisfy({ !$0.label.isEmpty && !$0.label.contains(where: { "\"[]".contains($0) }) }) else {
            throw .invalidFilter(
                expression: key,
                problem: "a payload key is a dotted field path such as \"lang\", \"meta.author\" or \"cities[].name\" (no empty parts, no quotes, brackets only as a closing [])")
        }
        description = key
        steps = labels
        jsonPath = "$" + labels.map { ".\"\($0.label)\"" }.joined()
    }

    /// Whether the path walks into an array before its last label.
    var walksArrays: Bool { steps.dropLast().contains(where: \.expands) }

    public static func == (lhs: PayloadKey, rhs: PayloadKey) -> Bool { lhs.description == rhs.description }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
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

extension PayloadRange {
    /// The bounds given, each with its SQL comparison (`>`, `>=`, `<`, `<=`).
    var bounds: [(comparison: String, bound: Double)] {
        [(">", greaterThan), (">=", greaterThanOrEqual), ("<", lessThan), ("<=", lessThanOrEqual)].compactMap { comparison, bound in
            bound.map { (comparison, $0) }
        }
    }
}

extension PayloadCondition {
    /// The conditions a compound condition combines; none for a condition on a key or ids
    /// (a nested condition's inner one reads the array's objects, not the payload).
    var parts: [PayloadCondition] {
        switch self {
        case let .all(conditions), let .any(conditions), let .atLeast(_, conditions): conditions
        case let .not(condition): [condition]
        default: []
        }
    }

    /// The key a condition on one key reads (a nested condition's array); nil otherwise.
    var key: PayloadKey? {
        switch self {
        case let .equals(key, _), let .oneOf(key, _), let .noneOf(key, _), let .containsText(key, _), let .range(key, _),
             let .isEmpty(key), let .isNull(key), let .valuesCount(key, _), let .timeRange(key, _), let .geoRadius(key, _, _),
             let .geoBox(key, _, _), let .nested(key, _):
            key
        case .all, .any, .not, .atLeast, .hasID:
            nil
        }
    }

    /// Whether the catalog's JSON functions can evaluate the condition: not date-time, geo
    /// or nested conditions, nor keys that walk into arrays.
    var isSQLExpressible: Bool {
        switch self {
        case .timeRange, .geoRadius, .geoBox, .nested: false
        default: (key.map { !$0.walksArrays } ?? true) && parts.allSatisfy(\.isSQLExpressible)
        }
    }

    /// Every payload key the condition reads, the keys inside nested conditions excepted.
    var keys: Set<PayloadKey> {
        parts.reduce(into: key.map { [$0] } ?? []) { $0.formUnion($1.keys) }
    }

    /// Whether a nested condition is part of it (only a scan of whole payloads answers one).
    var isNested: Bool {
        if case .nested = self { return true }
        return parts.contains(where: \.isNested)
    }

    /// Every id a `has_id` of the condition names.
    var namedIDs: Set<String> {
        if case let .hasID(ids) = self { return Set(ids) }
        return parts.reduce(into: []) { $0.formUnion($1.namedIDs) }
    }

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
            let (present, paths) = dialect.jsonHasValue(in: "p.payload", path: key.jsonPath)
            values += paths.map(SQLValue.text)
            return "(\(present) AND NOT \(membership(key, list, into: &values)))"
        case let .containsText(key, text):
            let sql = element(key, dialect.jsonValueContainsText, into: &values)
            values.append(.text(text))
            return sql
        case let .range(key, range):
            let sql = element(key, dialect.jsonValueIsNumber(range.bounds.map(\.comparison)), into: &values)
            values += range.bounds.map { .real($0.bound) }
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
        case let .atLeast(count, conditions):
            guard count > 0 else { return "TRUE" }
            guard !conditions.isEmpty else { return "FALSE" }
            return "(" + conditions.map { "(CASE WHEN \($0.sql(dialect, into: &values)) THEN 1 ELSE 0 END)" }.joined(separator: " + ") + " >= \(count))"
        case let .valuesCount(key, range):
            // Each comparison repeats the count, binding its path then the bound.
            let (count, paths) = dialect.jsonValueCount(in: "p.payload", path: key.jsonPath)
            for (_, bound) in range.bounds { values += paths.map(SQLValue.text) + [.real(bound)] }
            return "(" + (["TRUE"] + range.bounds.map { "\(count) \($0.comparison) ?" }).joined(separator: " AND ") + ")"
        case .timeRange, .geoRadius, .geoBox, .nested:
            preconditionFailure("\(self) has no SQL; the store answers it from a scan of the payloads (isSQLExpressible)")
        }
    }
}
