import Foundation

/// A Qdrant point id: an unsigned integer or a UUID.
///
/// Stored as the pattern id `n:` + 20 digits or `u:` + the lower-case UUID, so that the
/// catalog's byte order of ids is Qdrant's order: integers by value, then UUIDs.
enum QdrantPointID: Hashable, Comparable {
    case number(UInt64)
    case uuid(UUID)

    /// Reads an id as a path gives it: digits, or a UUID (any case, hyphenated or plain 32
    /// hex digits); nil for anything else.
    init?(text: String) {
        let hyphenated = text.count == 32 && text.allSatisfy(\.isHexDigit)
            ? [text.prefix(8), text.dropFirst(8).prefix(4), text.dropFirst(12).prefix(4), text.dropFirst(16).prefix(4), text.dropFirst(20)].joined(separator: "-")
            : text
        if let uuid = UUID(uuidString: hyphenated) {
            self = .uuid(uuid)
        } else if let number = UInt64(text) {
            self = .number(number)
        } else {
            return nil
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

    /// Writes the id as Qdrant does: a number, or a lower-case UUID string.
    func write(into out: inout [UInt8]) {
        switch self {
        case let .number(number): out.append(decimal: number)
        case let .uuid(uuid): JSONText.writeString(uuid.uuidString.lowercased(), into: &out)
        }
    }

    static func < (lhs: QdrantPointID, rhs: QdrantPointID) -> Bool { lhs.storageKey < rhs.storageKey }
}

extension QdrantPointID: Decodable {
    /// A whole number of 0 or more, or a UUID string (see ``init(text:)``).
    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if let number = try? value.decode(UInt64.self) {
            self = .number(number)
        } else if let text = try? value.decode(String.self), let id = QdrantPointID(text: text) {
            self = id
        } else {
            throw DecodingError.dataCorruptedError(in: value, debugDescription: "is not a point id: expected an unsigned integer or a UUID")
        }
    }
}
