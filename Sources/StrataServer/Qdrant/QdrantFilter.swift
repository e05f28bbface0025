import Foundation
import StrataStore

/// Qdrant's filter JSON read into the store's ``PayloadCondition``.
///
/// `{"must": [...], "should": [...], "must_not": [...]}`, each a list of conditions (or one
/// condition): `{"key", "match": {"value"|"any"|"except"|"text"}}`, `{"key", "range":
/// {"gt","gte","lt","lte"}}`, `{"has_id": [...]}`, `{"is_empty": {"key"}}`, `{"is_null":
/// {"key"}}`, or a nested filter.
enum QdrantFilter {
    static func condition(_ json: Any, at path: String = "filter") throws(ServerError) -> PayloadCondition {
        guard let object = json as? [String: Any] else { throw .badRequest("\(path) must be an object with must, should or must_not") }
        let clauses = ["must", "should", "must_not", "min_should"]
        if object.isEmpty || object.keys.contains(where: clauses.contains) {
            if object["min_should"] != nil, !(object["min_should"] is NSNull) {
                throw .badRequest("\(path).min_should is not supported; use should (at least one) or must")
            }
            var parts: [PayloadCondition] = []
            if let must = try list(object["must"], at: path + ".must") { parts.append(.all(must)) }
            if let should = try list(object["should"], at: path + ".should") { parts.append(.any(should)) }
            if let mustNot = try list(object["must_not"], at: path + ".must_not"), !mustNot.isEmpty { parts.append(.not(.any(mustNot))) }
            return .all(parts)
        }
        if let ids = object["has_id"] {
            guard let ids = ids as? [Any] else { throw .badRequest("\(path).has_id must be a list of point ids") }
            var keys: [String] = []
            for id in ids { keys.append(try QdrantPointID(json: id).storageKey) }
            return .hasID(keys)
        }
        if let empty = object["is_empty"] { return .isEmpty(try key(of: empty, at: path + ".is_empty")) }
        if let null = object["is_null"] { return .isNull(try key(of: null, at: path + ".is_null")) }
        guard let name = object["key"] as? String else {
            throw .badRequest("\(path) is not a condition: expected must/should/must_not, has_id, is_empty, is_null, or key with match or range")
        }
        let key = try payloadKey(name, at: path)
        if let match = object["match"] {
            guard let match = match as? [String: Any] else { throw .badRequest("\(path).match must be an object") }
            if let value = match["value"] { return .equals(key, try scalar(value, at: path + ".match.value")) }
            if let values = match["any"] { return .oneOf(key, try scalars(values, at: path + ".match.any")) }
            if let values = match["except"] { return .noneOf(key, try scalars(values, at: path + ".match.except")) }
            if let text = match["text"] as? String { return .containsText(key, text) }
            throw .badRequest("\(path).match must hold value, any, except or text")
        }
        if let range = object["range"] {
            guard let range = range as? [String: Any] else { throw .badRequest("\(path).range must be an object of gt, gte, lt, lte") }
            func bound(_ name: String) throws(ServerError) -> Double? {
                guard let value = range[name], !(value is NSNull) else { return nil }
                guard let number = value as? NSNumber, !number.isJSONBoolean, number.doubleValue.isFinite else {
                    throw .badRequest("\(path).range.\(name) must be a finite number")
                }
                return number.doubleValue
            }
            return .range(key, PayloadRange(greaterThan: try bound("gt"), greaterThanOrEqual: try bound("gte"), lessThan: try bound("lt"), lessThanOrEqual: try bound("lte")))
        }
        throw .badRequest("\(path) with key \"\(name)\" needs match or range (geo and values_count are not supported)")
    }

    /// A clause: absent, null, one condition, or a list of them.
    private static func list(_ value: Any?, at path: String) throws(ServerError) -> [PayloadCondition]? {
        guard let value, !(value is NSNull) else { return nil }
        if let items = value as? [Any] {
            var conditions: [PayloadCondition] = []
            for (index, item) in items.enumerated() { conditions.append(try condition(item, at: "\(path)[\(index)]")) }
            return conditions
        }
        return [try condition(value, at: path)]
    }

    private static func key(of value: Any, at path: String) throws(ServerError) -> PayloadKey {
        guard let object = value as? [String: Any], let name = object["key"] as? String else { throw .badRequest("\(path) must be {\"key\": \"field\"}") }
        return try payloadKey(name, at: path)
    }

    private static func payloadKey(_ name: String, at path: String) throws(ServerError) -> PayloadKey {
        do { return try PayloadKey(name) } catch { throw .badRequest("\(path): \(error.description)") }
    }

    private static func scalar(_ value: Any, at path: String) throws(ServerError) -> PayloadValue {
        if let text = value as? String { return .string(text) }
        if let number = value as? NSNumber {
            if number.isJSONBoolean { return .bool(number.boolValue) }
            let double = number.doubleValue
            guard double == double.rounded(), abs(double) < 9.2e18 else { throw .badRequest("\(path) must be a string, an integer or a boolean (use range for decimals)") }
            return .integer(number.int64Value)
        }
        throw .badRequest("\(path) must be a string, an integer or a boolean")
    }

    private static func scalars(_ value: Any, at path: String) throws(ServerError) -> [PayloadValue] {
        guard let items = value as? [Any] else { throw .badRequest("\(path) must be a list") }
        var values: [PayloadValue] = []
        for (index, item) in items.enumerated() { values.append(try scalar(item, at: "\(path)[\(index)]")) }
        return values
    }
}
