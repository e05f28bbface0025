/// The bytes of one request body, checked once to be one valid JSON value, and the readers
/// the body decoder takes its values with.
///
/// ``init(_:)`` checks the whole text against JSON's grammar (RFC 8259: strings in UTF-8 with
/// their escapes, numbers, literals, nesting up to ``JSONBytes/maximumDepth``) and says where
/// it fails. Every reader after that takes the offset of a value's first byte and relies on
/// the text being valid there: none of them reports a syntax error.
final class JSONDocument {
    /// The text, UTF-8.
    let bytes: [UInt8]
    /// Where each object and list ends (see ``JSONBytes/containerEnds``).
    private let containerEnds: [Int: Int]

    /// Checks `bytes` to be exactly one JSON value, with white space around it at most.
    ///
    /// - Throws: ``JSONSyntaxError`` with the byte offset of the first problem.
    init(_ bytes: [UInt8]) throws(JSONSyntaxError) {
        self.bytes = bytes
        containerEnds = try bytes.withUnsafeBufferPointer { (text) throws(JSONSyntaxError) -> [Int: Int] in
            var checked = JSONBytes(text: text)
            try checked.checkDocument()
            return checked.containerEnds
        }
    }

    /// Runs `body` with the text (one pointer for a whole pass, not one per byte).
    func read<R, E: Error>(_ body: (JSONBytes) throws(E) -> R) throws(E) -> R {
        try bytes.withUnsafeBufferPointer { (text) throws(E) -> R in try body(JSONBytes(text: text, containerEnds: containerEnds)) }
    }

    /// The offset of the root value's first byte.
    var root: Int { read { $0.skipSpace(from: 0) } }

    /// The kind of the value at `offset`.
    func kind(at offset: Int) -> JSONKind { JSONKind(first: bytes[offset]) }

    /// The members of the object at `offset`: each key and the offset of its value.
    func members(at offset: Int) -> [(key: String, value: Int)] { read { $0.members(at: offset) } }

    /// The offsets of the elements of the list at `offset`.
    func elements(at offset: Int) -> [Int] { read { $0.elements(at: offset) } }

    /// The string at `offset`, its escapes decoded.
    func string(at offset: Int) -> String { read { $0.string(at: offset) } }

    /// The number at `offset`.
    func double(at offset: Int) -> Double { read { $0.number(at: offset).value } }

    /// The number at `offset` as an integer of type `T`; nil when it is not a whole number
    /// or out of `T`'s range.
    func integer<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T? {
        let text = bytes[offset..<read { $0.valueEnd(at: offset) }]
        // Digits only (with a sign): exact, whatever the width.
        if !text.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }) {
            return T(String(decoding: text, as: UTF8.self))
        }
        let value = double(at: offset)
        guard value == value.rounded(), abs(value) < 9.2e18 else { return nil }
        return T(exactly: value)
    }

    /// The list of numbers at `offset` as `Float`s, or where its first element that is not a
    /// number is.
    func floats(at offset: Int) -> Result<[Float], JSONElementError> { read { $0.floats(at: offset) } }

    /// The value at `offset` as it reads in the text, shortened, for error messages.
    func excerpt(at offset: Int) -> String {
        let end = read { $0.valueEnd(at: offset) }
        let shown = String(decoding: bytes[offset..<min(end, offset + 40)], as: UTF8.self)
        return end > offset + 40 ? shown + "…" : shown
    }
}

/// What a JSON value is, as the error messages name it.
enum JSONKind {
    case object, array, string, number, bool, null

    /// The kind of the value whose first byte is `first`.
    init(first: UInt8) {
        switch first {
        case UInt8(ascii: "{"): self = .object
        case UInt8(ascii: "["): self = .array
        case UInt8(ascii: "\""): self = .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): self = .bool
        case UInt8(ascii: "n"): self = .null
        default: self = .number
        }
    }

    var phrase: String {
        switch self {
        case .object: "an object"
        case .array: "a list"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

/// Where a body stops being JSON: the byte offset and what is wrong there.
struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
    var offset: Int
    var problem: String
    var description: String { "\(problem) at byte \(offset)" }
}

/// The first element of a list that is not what the reader wanted: its index in the list
/// and its byte offset in the body.
struct JSONElementError: Error {
    var index: Int
    var offset: Int
}
