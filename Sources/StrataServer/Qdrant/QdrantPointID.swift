import Foundation

/// A Qdrant point id: an unsigned integer or a UUID.
///
/// Stored as the pattern id `n:` + 20 digits or `u:` + the lower-case UUID, so that the
/// catalog's byte order of ids is Qdrant's order: integers by value, then UUIDs.
enum QdrantPointID: Hashable, Comparable {
    case number(UInt64)
    case uuid(UUID)

    /// Reads an id from JSON: a whole number of 0 or more, or a UUID string (any case,
    /// hyphenated or plain 32 hex digits).
    init(json value: Any) throws(ServerError) {
        if let number = value as? NSNumber, !number.isJSONBoolean {
            let double = number.doubleValue
            guard double >= 0, double == double.rounded(), double < 1.8e19 else {
                throw .badRequest("point id \(number) is not valid: expected an unsigned integer or a UUID")
            }
            self = .number(number.uint64Value)
        } else if let text = value as? String {
            let hyphenated = text.count == 32 && text.allSatisfy(\.isHexDigit)
                ? [text.prefix(8), text.dropFirst(8).prefix(4), text.dropFirst(12).prefix(4), text.dropFirst(16).prefix(4), text.dropFirst(20)].joined(separator: "-")
                : text
            guard let uuid = UUID(uuidString: hyphenated) else {
                if let number = UInt64(text) { self = .number(number); return }
                throw .badRequest("point id \"\(text.prefix(60))\" is not valid: expected an unsigned integer or a UUID")
            }
            self = .uuid(uuid)
        } else {
            throw .badRequest("point id \(value) is not valid: expected an unsigned integer or a UUID")
        }
    }

    /// Reads a stored pattern id back; nil for an id no point has.
    init?(storageKey: String) {
        if storageKey.hasPrefix("n:"), let number = UInt64(storageKey.dropFirst(2)) {
            self = .number(number)
        } else if storageKey.hasPrefix("u:"), let uuid = UUID(uuidString: String(storageKey.dropFirst(2))) {
            self = .uuid(uuid)
        } else {
            return nil
        }
    }

    var storageKey: String {
        switch self {
        case let .number(number):
            let digits = String(number)
            return "n:" + String(repeating: "0", count: 20 - digits.count) + digits
        case let .uuid(uuid):
            return "u:" + uuid.uuidString.lowercased()
        }
    }

    /// The id as Qdrant writes it: a number or a lower-case UUID string.
    var json: Any {
        switch self {
        case let .number(number): number <= UInt64(Int.max) ? Int(number) as Any : String(number) as Any
        case let .uuid(uuid): uuid.uuidString.lowercased()
        }
    }

    static func < (lhs: QdrantPointID, rhs: QdrantPointID) -> Bool { lhs.storageKey < rhs.storageKey }
}
