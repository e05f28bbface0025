import Foundation
import StrataStore

/// Qdrant's filter JSON read into the store's ``PayloadCondition``.
///
/// `{"must": [...], "should": [...], "must_not": [...]}`, each a list of conditions (or one
/// condition): `{"key", "match": {"value"|"any"|"except"|"text"}}`, `{"key", "range":
/// {"gt","gte","lt","lte"}}`, `{"has_id": [...]}`, `{"is_empty": {"key"}}`, `{"is_null":
/// {"key"}}`, or a nested filter. Every refusal names the path of the part it refuses
/// (`"filter.must[0].match.value"`).
struct QdrantFilter: Decodable {
    let condition: PayloadCondition

    private static let clauses = ["must", "should", "must_not", "min_should"]

    init(from decoder: any Decoder) throws {
        guard let object = try? decoder.container(keyedBy: JSONKey.self) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "must be an object with must, should or must_not, or a condition"))
        }
        let keys = Set(object.allKeys.map(\.stringValue))
        if keys.isEmpty || !keys.isDisjoint(with: Self.clauses) {
            condition = try Self.clauses(object)
        } else if object.contains(JSONKey("has_id")) {
            condition = .hasID(try object.decode([QdrantPointID].self, forKey: JSONKey("has_id")).map(\.storageKey))
        } else if object.contains(JSONKey("is_empty")) {
            condition = .isEmpty(try object.decode(FieldReference.self, forKey: JSONKey("is_empty")).key)
        } else if object.contains(JSONKey("is_null")) {
            condition = .isNull(try object.decode(FieldReference.self, forKey: JSONKey("is_null")).key)
        } else if object.contains(JSONKey("key")) {
            condition = try Self.fieldCondition(object, key: try FieldReference(from: decoder).key)
        } else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "is not a condition: expected must/should/must_not, has_id, is_empty, is_null, or key with match or range"))
        }
    }

    /// `must` (all), `should` (any), `must_not` (none).
    private static func clauses(_ object: KeyedDecodingContainer<JSONKey>) throws -> PayloadCondition {
        if try object.decodeIfPresent(JSONValue.self, forKey: JSONKey("min_should")) != nil {
            throw DecodingError.dataCorruptedError(
                forKey: JSONKey("min_should"), in: object, debugDescription: "is not supported; use should (at least one) or must")
        }
        var parts: [PayloadCondition] = []
        if let must = try object.decodeIfPresent(Clause.self, forKey: JSONKey("must")) { parts.append(.all(must.conditions)) }
        if let should = try object.decodeIfPresent(Clause.self, forKey: JSONKey("should")) { parts.append(.any(should.conditions)) }
        if let mustNot = try object.decodeIfPresent(Clause.self, forKey: JSONKey("must_not")), !mustNot.conditions.isEmpty {
            parts.append(.not(.any(mustNot.conditions)))
        }
        return .all(parts)
    }

    /// `{"key", "match": {...}}` or `{"key", "range": {...}}`.
    private static func fieldCondition(_ object: KeyedDecodingContainer<JSONKey>, key: PayloadKey) throws -> PayloadCondition {
        if object.contains(JSONKey("match")) {
            return try object.decode(Match.self, forKey: JSONKey("match")).condition(key)
        }
        if object.contains(JSONKey("range")) {
            return .range(key, try object.decode(Range.self, forKey: JSONKey("range")).range)
        }
        throw DecodingError.dataCorrupted(.init(
            codingPath: object.codingPath, debugDescription: "with key \"\(key)\" needs match or range (geo and values_count are not supported)"))
    }

    /// A clause: one condition or a list of them.
    private struct Clause: Decodable {
        var conditions: [PayloadCondition]

        init(from decoder: any Decoder) throws {
            guard var list = try? decoder.unkeyedContainer() else {
                conditions = [try QdrantFilter(from: decoder).condition]
                return
            }
            conditions = []
            while !list.isAtEnd { conditions.append(try list.decode(QdrantFilter.self).condition) }
        }
    }

    /// `{"key": "field"}`: a payload field, its path dotted (`meta.author`).
    private struct FieldReference: Decodable {
        var key: PayloadKey

        init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: JSONKey.self)
            let name = try object.decode(String.self, forKey: JSONKey("key"))
            do {
                key = try PayloadKey(name)
            } catch {
                throw DecodingError.dataCorruptedError(forKey: JSONKey("key"), in: object, debugDescription: "is not a field path: \(error.description)")
            }
        }
    }

    /// `{"value"}`, `{"any": [...]}`, `{"except": [...]}` or `{"text"}`.
    private struct Match: Decodable {
        var value: PayloadValue?
        var any: [PayloadValue]?
        var except: [PayloadValue]?
        var text: String?

        init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: JSONKey.self)
            value = try object.decodeIfPresent(Scalar.self, forKey: JSONKey("value"))?.value
            any = try object.decodeIfPresent([Scalar].self, forKey: JSONKey("any"))?.map(\.value)
            except = try object.decodeIfPresent([Scalar].self, forKey: JSONKey("except"))?.map(\.value)
            text = try object.decodeIfPresent(String.self, forKey: JSONKey("text"))
            guard value != nil || any != nil || except != nil || text != nil else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "must hold value, any, except or text"))
            }
        }

        func condition(_ key: PayloadKey) -> PayloadCondition {
            if let value { return .equals(key, value) }
            if let any { return .oneOf(key, any) }
            if let except { return .noneOf(key, except) }
            return .containsText(key, text ?? "")
        }
    }

    /// A value to match: a string, an integer or a boolean.
    private struct Scalar: Decodable {
        var value: PayloadValue

        init(from decoder: any Decoder) throws {
            let single = try decoder.singleValueContainer()
            if let flag = try? single.decode(Bool.self) {
                value = .bool(flag)
            } else if let text = try? single.decode(String.self) {
                value = .string(text)
            } else if let integer = try? single.decode(Int64.self) {
                value = .integer(integer)
            } else {
                let decimal = (try? single.decode(Double.self)) != nil
                throw DecodingError.dataCorruptedError(
                    in: single, debugDescription: "must be a string, an integer or a boolean" + (decimal ? " (use range for decimals)" : ""))
            }
        }
    }

    /// `{"gt", "gte", "lt", "lte"}`, each a finite number or absent.
    private struct Range: Decodable {
        var range: PayloadRange

        init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: JSONKey.self)
            func bound(_ name: String) throws -> Double? {
                guard let value = try object.decodeIfPresent(Double.self, forKey: JSONKey(name)) else { return nil }
                guard value.isFinite else { throw DecodingError.dataCorruptedError(forKey: JSONKey(name), in: object, debugDescription: "must be a finite number") }
                return value
            }
            range = PayloadRange(greaterThan: try bound("gt"), greaterThanOrEqual: try bound("gte"), lessThan: try bound("lt"), lessThanOrEqual: try bound("lte"))
        }
    }
}

extension PatternFilter {
    /// A filter of the payload condition `filter` holds; everything when it is nil.
    init(qdrant filter: QdrantFilter?) {
        self.init()
        payload = filter?.condition
    }
}
