import Foundation

/// One value at a payload key, as a condition compares it: a string, an integer, a real, a
/// boolean, null, a geo point (an object with numeric `lat` and `lon`), or another object or
/// array (which no scalar condition matches).
///
/// Integers and reals stay apart as the catalog keeps them (`1` matches the integer 1, `1.0`
/// does not), so every evaluator gives the same answers.
enum PayloadElement: Sendable, Hashable {
    case text(String)
    case integer(Int64)
    case real(Double)
    case bool(Bool)
    case null
    case geo(GeoPoint)
    case object
    case array

    /// Classifies a value `JSONSerialization` read.
    init(json value: Any) {
        switch value {
        case is NSNull:
            self = .null
        case let number as NSNumber:
            if number.isJSONBoolean {
                self = .bool(number.boolValue)
            } else {
                // Only a number written with a fraction or an exponent is read as a double.
                let code = String(cString: number.objCType)
                self = code == "d" || code == "f" ? .real(number.doubleValue) : .integer(number.int64Value)
            }
        case let text as String:
            self = .text(text)
        case let object as [String: Any]:
            if let latitude = object["lat"].flatMap(Self.number), let longitude = object["lon"].flatMap(Self.number) {
                self = .geo(GeoPoint(latitude: latitude, longitude: longitude))
            } else {
                self = .object
            }
        default:
            self = .array
        }
    }

    private static func number(_ value: Any) -> Double? {
        guard let number = value as? NSNumber, !number.isJSONBoolean else { return nil }
        return number.doubleValue
    }

    /// The scalar a match condition names, as an element.
    init(_ value: PayloadValue) {
        switch value {
        case let .string(text): self = .text(text)
        case let .integer(number): self = .integer(number)
        case let .bool(flag): self = .bool(flag)
        }
    }

    /// The number, for a range.
    var number: Double? {
        switch self {
        case let .integer(value): Double(value)
        case let .real(value): value
        default: nil
        }
    }
}

/// The values at one payload key of one payload: an array's elements or the value itself,
/// and what `is_empty` and `is_null` read.
struct PayloadValues: Sendable {
    var elements: [PayloadElement]
    /// The key is absent, null, or an empty array.
    var isEmpty: Bool
    /// The key holds null.
    var isNull: Bool

    static let missing = PayloadValues(elements: [], isEmpty: true, isNull: false)
}

extension PayloadValues {
    /// The values at `key` in a payload `JSONSerialization` read (an object).
    init(document: Any, key: PayloadKey) {
        let found = Self.raw(document: document, key: key)
        isNull = !found.isEmpty && found.allSatisfy { $0 is NSNull }
        isEmpty = found.allSatisfy { $0 is NSNull || ($0 as? [Any])?.isEmpty == true }
        elements = found.flatMap { ($0 as? [Any]) ?? [$0] }.map(PayloadElement.init(json:))
    }

    /// The raw values at `key`: one, or none, unless an inner label walks into an array.
    static func raw(document: Any, key: PayloadKey) -> [Any] {
        var nodes = [document]
        for (position, step) in key.steps.enumerated() {
            let walks = step.expands && position < key.steps.count - 1
            nodes = nodes.flatMap { (node) -> [Any] in
                guard let object = node as? [String: Any], let value = object[step.label] else { return [] }
                return walks ? ((value as? [Any]) ?? [value]) : [value]
            }
        }
        return nodes
    }

    /// Whether some value is not null: a scalar, an object, or an array's non-null element.
    var hasValue: Bool { elements.contains { $0 != .null } }
}

extension PayloadCondition {
    /// Whether a condition on one key holds for the values at that key: the one rule the
    /// field indexes and the payload scan share.
    func holds(_ values: PayloadValues) -> Bool {
        switch self {
        case let .equals(_, value):
            let wanted = PayloadElement(value)
            return values.elements.contains(wanted)
        case let .oneOf(_, list):
            let wanted = Set(list.map(PayloadElement.init))
            return values.elements.contains(where: wanted.contains)
        case let .noneOf(_, list):
            let unwanted = Set(list.map(PayloadElement.init))
            return values.hasValue && !values.elements.contains(where: unwanted.contains)
        case let .containsText(_, text):
            return values.elements.contains { element in
                guard case let .text(value) = element else { return false }
                return text.isEmpty || value.utf8.firstRange(of: text.utf8) != nil
            }
        case let .range(_, range):
            return values.elements.contains { $0.number.map(range.contains) ?? false }
        case .isEmpty:
            return values.isEmpty
        case .isNull:
            return values.isNull
        case let .valuesCount(_, range):
            return range.contains(Double(values.elements.count(where: { $0 != .null })))
        case let .timeRange(_, range):
            return values.elements.contains { element in
                guard case let .text(value) = element, let seconds = PayloadTime.seconds(value) else { return false }
                return range.contains(seconds)
            }
        case let .geoRadius(_, center, meters):
            return values.elements.contains { element in
                guard case let .geo(point) = element else { return false }
                return point.meters(to: center) <= meters
            }
        case let .geoBox(_, topLeft, bottomRight):
            return values.elements.contains { element in
                guard case let .geo(point) = element else { return false }
                return point.isInside(topLeft: topLeft, bottomRight: bottomRight)
            }
        case .all, .any, .not, .atLeast, .hasID, .nested:
            preconditionFailure("\(self) is not a condition on one key")
        }
    }

    /// Whether the condition holds for a payload `JSONSerialization` read (an object, empty
    /// for a pattern without one) of the pattern `id`.
    func holds(document: Any, id: String) -> Bool {
        switch self {
        case let .all(conditions):
            return conditions.allSatisfy { $0.holds(document: document, id: id) }
        case let .any(conditions):
            return conditions.isEmpty || conditions.contains { $0.holds(document: document, id: id) }
        case let .not(condition):
            return !condition.holds(document: document, id: id)
        case let .atLeast(count, conditions):
            return count <= 0 || conditions.lazy.filter { $0.holds(document: document, id: id) }.prefix(count).count >= count
        case let .hasID(ids):
            return ids.contains(id)
        case let .nested(key, condition):
            return PayloadValues.raw(document: document, key: key).flatMap { ($0 as? [Any]) ?? [$0] }.contains { element in
                element is [String: Any] && condition.holds(document: element, id: id)
            }
        case .equals, .oneOf, .noneOf, .containsText, .range, .isEmpty, .isNull, .valuesCount, .timeRange, .geoRadius, .geoBox:
            return holds(PayloadValues(document: document, key: key!))
        }
    }
}

extension PayloadRange {
    /// Whether `value` lies within every bound given.
    func contains(_ value: Double) -> Bool {
        if let greaterThan, !(value > greaterThan) { return false }
        if let greaterThanOrEqual, !(value >= greaterThanOrEqual) { return false }
        if let lessThan, !(value < lessThan) { return false }
        if let lessThanOrEqual, !(value <= lessThanOrEqual) { return false }
        return true
    }
}

extension GeoPoint {
    /// The mean radius of the Earth, in meters.
    static let earthRadius = 6_371_008.8

    /// The great-circle distance to `other` in meters (haversine).
    func meters(to other: GeoPoint) -> Double {
        let radians = Double.pi / 180
        let latitudeDelta = (other.latitude - latitude) * radians
        let longitudeDelta = (other.longitude - longitude) * radians
        let a = sin(latitudeDelta / 2) * sin(latitudeDelta / 2)
            + cos(latitude * radians) * cos(other.latitude * radians) * sin(longitudeDelta / 2) * sin(longitudeDelta / 2)
        return 2 * Self.earthRadius * asin(min(1, a.squareRoot()))
    }

    /// Whether the point lies in the box; a box whose left edge is east of its right edge
    /// crosses the antimeridian.
    func isInside(topLeft: GeoPoint, bottomRight: GeoPoint) -> Bool {
        guard latitude <= topLeft.latitude, latitude >= bottomRight.latitude else { return false }
        return topLeft.longitude <= bottomRight.longitude
            ? longitude >= topLeft.longitude && longitude <= bottomRight.longitude
            : longitude >= topLeft.longitude || longitude <= bottomRight.longitude
    }
}
