/// A `Decoder` over one value of a checked ``JSONDocument``: what turns a request body into
/// the route's `Decodable` type.
///
/// It reads lazily from the bytes: an object's container finds its members' offsets once, and
/// a member is read only when the type asks for it, as the type it asks for. Types are kept
/// apart strictly: a boolean is `true` or `false` (never 0 or 1, never a string), an integer
/// is a whole number within its type's range, a string is a string. Every mismatch is a
/// `DecodingError` whose coding path names the field; ``JSONBodyDecoder`` turns it into the
/// 400 answer.
///
/// `[Float]` (a vector) does not go element by element through an unkeyed container: it is
/// read in one pass over its digits (``JSONDocument/floats(at:)``), the one hot path of a
/// request body.
struct JSONValueDecoder: Decoder {
    let document: JSONDocument
    /// The offset of the value's first byte.
    let offset: Int
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try document.require(.object, [String: Any].self, at: offset, path: codingPath)
        return KeyedDecodingContainer(JSONObjectContainer(document: document, codingPath: codingPath, members: document.members(at: offset)))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try document.require(.array, [Any].self, at: offset, path: codingPath)
        return JSONArrayContainer(document: document, codingPath: codingPath, elements: document.elements(at: offset))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        JSONSingleValueContainer(document: document, offset: offset, codingPath: codingPath)
    }
}

/// A list element's place in a coding path: `[3]`.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue!)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue _: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

extension JSONDocument {
    /// Reads the value at `offset` as `T`: scalars and `[Float]` directly, anything else
    /// through its `init(from:)`.
    func decode<T: Decodable>(_ type: T.Type, at offset: Int, path: [any CodingKey]) throws -> T {
        if type == [Float].self { return try floats(at: offset, path: path) as! T }
        if type == String.self { return try require(.string, String.self, at: offset, path: path, string(at: offset)) as! T }
        if type == Bool.self { return try require(.bool, Bool.self, at: offset, path: path, bytes[offset] == UInt8(ascii: "t")) as! T }
        if type == Double.self { return try require(.number, Double.self, at: offset, path: path, double(at: offset)) as! T }
        if type == Float.self { return try require(.number, Float.self, at: offset, path: path, Float(double(at: offset))) as! T }
        if let integer = type as? any FixedWidthInteger.Type { return try self.integer(integer, at: offset, path: path) as! T }
        return try T(from: JSONValueDecoder(document: self, offset: offset, codingPath: path))
    }

    /// `value` when the value at `offset` is of `kind`, a `DecodingError` naming the path
    /// otherwise (`valueNotFound` for null).
    @discardableResult
    func require<V>(_ kind: JSONKind, _ type: Any.Type, at offset: Int, path: [any CodingKey], _ value: @autoclosure () -> V = ()) throws -> V {
        let found = self.kind(at: offset)
        guard found == kind else {
            let context = DecodingError.Context(codingPath: path, debugDescription: mismatch(Self.expectation(type), at: offset))
            throw found == .null ? DecodingError.valueNotFound(type, context) : DecodingError.typeMismatch(type, context)
        }
        return value()
    }

    private func integer<I: FixedWidthInteger>(_ type: I.Type, at offset: Int, path: [any CodingKey]) throws -> I {
        try require(.number, type, at: offset, path: path)
        guard let value = integer(type, at: offset) else {
            throw DecodingError.typeMismatch(type, .init(codingPath: path, debugDescription: mismatch(Self.expectation(type), at: offset)))
        }
        return value
    }

    private func floats(at offset: Int, path: [any CodingKey]) throws -> [Float] {
        try require(.array, [Float].self, at: offset, path: path)
        switch floats(at: offset) {
        case let .success(values): return values
        case let .failure(element):
            let context = DecodingError.Context(codingPath: path + [JSONIndexKey(element.index)], debugDescription: mismatch("a number", at: element.offset))
            throw DecodingError.typeMismatch(Float.self, context)
        }
    }

    /// "must be true or false, not 1 (byte 12)"
    func mismatch(_ expected: String, at offset: Int) -> String {
        let found = kind(at: offset)
        let shown = found == .object || found == .array ? found.phrase : excerpt(at: offset)
        return "must be \(expected), not \(shown) (byte \(offset))"
    }

    /// What a field of `type` takes, in words.
    static func expectation(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        case is Double.Type, is Float.Type: "a number"
        case is any FixedWidthInteger.Type: "a whole number"
        case is [Float].Type: "a list of numbers"
        case is [Any].Type: "a list"
        default: "a JSON object"
        }
    }
}

struct JSONObjectContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let document: JSONDocument
    let codingPath: [any CodingKey]
    let members: [(key: String, value: Int)]

    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

    /// The offset of the member's value; the last one when a name repeats.
    private func offset(of key: Key) -> Int? {
        let name = key.stringValue
        return members.last { $0.key == name }?.value
    }

    private func value(_ key: Key) throws -> Int {
        guard let offset = offset(of: key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "is required"))
        }
        return offset
    }

    func contains(_ key: Key) -> Bool { offset(of: key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { document.kind(at: try value(key)) == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try read(type, forKey: key) }

    private func read<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try document.decode(type, at: try value(key), path: codingPath + [key])
    }

    /// Absent and null both read as nil.
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let offset = offset(of: key), document.kind(at: offset) != .null else { return nil }
        return try document.decode(type, at: offset, path: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try superDecoder(forKey: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try superDecoder(forKey: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        try superDecoder(forKey: Key(stringValue: "super")!)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoder(document: document, offset: try value(key), codingPath: codingPath + [key])
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try read(type, forKey: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try read(type, forKey: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try read(type, forKey: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try read(type, forKey: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try read(type, forKey: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try read(type, forKey: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try read(type, forKey: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try read(type, forKey: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try read(type, forKey: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try read(type, forKey: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try read(type, forKey: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try read(type, forKey: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try read(type, forKey: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try read(type, forKey: key) }
}

struct JSONArrayContainer: UnkeyedDecodingContainer {
    let document: JSONDocument
    let codingPath: [any CodingKey]
    let elements: [Int]
    private(set) var currentIndex = 0

    init(document: JSONDocument, codingPath: [any CodingKey], elements: [Int]) {
        self.document = document
        self.codingPath = codingPath
        self.elements = elements
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> (offset: Int, path: [any CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "has only \(elements.count) elements"))
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], codingPath + [JSONIndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, document.kind(at: elements[currentIndex]) == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try read(type) }

    private mutating func read<T: Decodable>(_ type: T.Type) throws -> T {
        let (offset, path) = try next()
        return try document.decode(type, at: offset, path: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try superDecoder().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try superDecoder().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (offset, path) = try next()
        return JSONValueDecoder(document: document, offset: offset, codingPath: path)
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try read(type) }
    mutating func decode(_ type: String.Type) throws -> String { try read(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try read(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try read(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try read(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try read(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try read(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try read(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try read(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try read(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try read(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try read(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try read(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try read(type) }
}

struct JSONSingleValueContainer: SingleValueDecodingContainer {
    let document: JSONDocument
    let offset: Int
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { document.kind(at: offset) == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try read(type) }

    private func read<T: Decodable>(_ type: T.Type) throws -> T { try document.decode(type, at: offset, path: codingPath) }

    func decode(_ type: Bool.Type) throws -> Bool { try read(type) }
    func decode(_ type: String.Type) throws -> String { try read(type) }
    func decode(_ type: Double.Type) throws -> Double { try read(type) }
    func decode(_ type: Float.Type) throws -> Float { try read(type) }
    func decode(_ type: Int.Type) throws -> Int { try read(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try read(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try read(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try read(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try read(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try read(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try read(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try read(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try read(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try read(type) }
}
