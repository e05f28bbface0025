import Foundation
import StrataStore

/// Qdrant's filter JSON read into the store's ``PayloadCondition``.
///
/// `{"must": [...], "should": [...], "must_not": [...], "min_should": {"conditions": [...],
/// "min_count"}}`, each a list of conditions (or one condition): `{"key", "match":
/// {"value"|"any"|"except"|"text"}}`, `{"key", "range": {"gt","gte","lt","lte"}}` (numbers,
/// or RFC 3339 date-times), `{"key", "values_count": {...}}`, `{"key", "geo_radius":
/// {"center": {"lat","lon"}, "radius"}}`, `{"key", "geo_bounding_box": {"top_left",
/// "bottom_right"}}`, `{"has_id": [...]}`, `{"is_empty": {"key"}}`, `{"is_null": {"key"}}`,
/// `{"nested": {"key", "filter"}}`, or a filter. Every refusal names the path of the part it
/// refuses (`"filter.must[0].match.value"`).
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
        } else if object.contains(JSONKey("nested")) {
            let nested = try object.decode(Nested.self, forKey: JSONKey("nested"))
            condition = .nested(nested.key, nested.filter.condition)
        } else if object.contains(JSONKey("key")) {
            condition = try Self.fieldCondition(object, key: try FieldReference(from: decoder).key)
        } else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "is not a condition: expected must/should/must_not/min_should, has_id, is_empty, is_null, nested, or key with match, range, values_count, geo_radius or geo_bounding_box"))
        }
    }

    /// `must` (all), `should` (any), `must_not` (none), `min_should` (at least `min_count`).
    private static func clauses(_ object: KeyedDecodingContainer<JSONKey>) throws -> PayloadCondition {
        var parts: [PayloadCondition] = []
        if let minimum = try object.decodeIfPresent(MinShould.self, forKey: JSONKey("min_should")) {
            parts.append(.atLeast(minimum.count, minimum.conditions))
        }
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
            let range = try object.decode(Range.self, forKey: JSONKey("range"))
            return range.isTime ? .timeRange(key, range.range) : .range(key, range.range)
        }
        if object.contains(JSONKey("values_count")) {
            return .valuesCount(key, try object.decode(Range.self, forKey: JSONKey("values_count")).range)
        }
        if object.contains(JSONKey("geo_radius")) {
            let radius = try object.decode(GeoRadius.self, forKey: JSONKey("geo_radius"))
            return .geoRadius(key, center: radius.center.point, meters: radius.radius)
        }
        if object.contains(JSONKey("geo_bounding_box")) {
            let box = try object.decode(GeoBox.self, forKey: JSONKey("geo_bounding_box"))
            return .geoBox(key, topLeft: box.topLeft.point, bottomRight: box.bottomRight.point)
        }
        throw DecodingError.dataCorrupted(.init(
            codingPath: object.codingPath,
            debugDescription: "with key \"\(key)\" needs match, range, values_count, geo_radius or geo_bounding_box"))
    }

    /// `{"conditions": [...], "min_count": N}`.
    private struct MinShould: Decodable {
        var conditions: [PayloadCondition]
        var count: Int

        private enum CodingKeys: String, CodingKey {
            case conditions
            case count = "min_count"
        }

        init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: CodingKeys.self)
            conditions = try object.decode(Clause.self, forKey: .conditions).conditions
            count = try object.decodeIfPresent(Int.self, forKey: .count, in: 0...10_000) ?? 1
        }
    }

    /// `{"key": "diet", "filter": {...}}`: the filter's keys are read inside each object of
    /// the array at the key.
    private struct Nested: Decodable {
        var key: PayloadKey
        var filter: QdrantFilter

        private enum CodingKeys: String, CodingKey { case filter }

        init(from decoder: any Decoder) throws {
            key = try FieldReference(from: decoder).key
            filter = try decoder.container(keyedBy: CodingKeys.self).decode(QdrantFilter.self, forKey: .filter)
        }
    }

    /// `{"lat", "lon"}` in degrees.
    private struct Location: Decodable {
        var point: GeoPoint

        private enum CodingKeys: String, CodingKey { case lat, lon }

        init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: CodingKeys.self)
            let latitude = try object.decode(Double.self, forKey: .lat)
            let longitude = try object.decode(Double.self, forKey: .lon)
            guard (-90...90).contains(latitude) else { throw DecodingError.dataCorruptedError(forKey: .lat, in: object, debugDescription: "must be a latitude from -90 to 90") }
            guard (-180...180).contains(longitude) else { throw DecodingError.dataCorruptedError(forKey: .lon, in: object, debugDescription: "must be a longitude from -180 to 180") }
            point = GeoPoint(latitude: latitude, longitude: longitude)
        }
    }

    /// `{"center": {"lat", "lon"}, "radius": meters}`.
    private struct GeoRadius: Decodable {
        var center: Location
        var radius: Double

        private enum CodingKeys: String, CodingKey { case center, radius }

        init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: CodingKeys.self)
            center = try object.decode(Location.self, forKey: .center)
            radius = try object.decode(Double.self, forKey: .radius)
            guard radius.isFinite, radius >= 0 else { throw DecodingError.dataCorruptedError(forKey: .radius, in: object, debugDescription: "must be a distance in meters, 0 or more") }
        }
    }

    /// `{"top_left": {"lat", "lon"}, "bottom_right": {"lat", "lon"}}`.
    private struct GeoBox: Decodable {
        var topLeft: Location
        var bottomRight: Location

        private enum CodingKeys: String, CodingKey {
            case topLeft = "top_left"
            case bottomRight = "bottom_right"
        }
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

    /// `{"gt", "gte", "lt", "lte"}`, each absent, or all given ones finite numbers, or all
    /// RFC 3339 date-times (read to seconds since 1970: ``isTime``).
    private struct Range: Decodable {
        var range: PayloadRange
        var isTime = false

        init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: JSONKey.self)
            var kinds = Set<Bool>()
            func bound(_ name: String) throws -> Double? {
                let key = JSONKey(name)
                guard object.contains(key), try !object.decodeNil(forKey: key) else { return nil }
                if let text = try? object.decode(String.self, forKey: key) {
                    guard let seconds = PayloadTime.seconds(text) else {
                        throw DecodingError.dataCorruptedError(forKey: key, in: object, debugDescription: "must be a number or an RFC 3339 date-time such as 2024-05-01T12:00:00Z")
                    }
                    kinds.insert(true)
                    return seconds
                }
                let value = try object.decode(Double.self, forKey: key)
                guard value.isFinite else { throw DecodingError.dataCorruptedError(forKey: key, in: object, debugDescription: "must be a finite number") }
                kinds.insert(false)
                return value
            }
            range = PayloadRange(greaterThan: try bound("gt"), greaterThanOrEqual: try bound("gte"), lessThan: try bound("lt"), lessThanOrEqual: try bound("lte"))
            guard kinds.count < 2 else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "mixes numbers and date-times; give bounds of one kind"))
            }
            isTime = kinds.contains(true)
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
