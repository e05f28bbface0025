/// The checks request types make while they decode, each failure a `DecodingError` at the
/// field's path, so that the answer names the field (``JSONBodyDecoder``).
extension KeyedDecodingContainer {
    /// A whole number in `range`; nil when absent or null.
    func decodeIfPresent(_ type: Int.Type, forKey key: Key, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = try decodeIfPresent(type, forKey: key) else { return nil }
        guard range.contains(value) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(value)")
        }
        return value
    }

    /// A number in `range`; nil when absent or null.
    func decodeIfPresent(_ type: Double.Type, forKey key: Key, in range: ClosedRange<Double>) throws -> Double? {
        guard let value = try decodeIfPresent(type, forKey: key) else { return nil }
        guard range.contains(value) else {
            let bounds = range.upperBound == .greatestFiniteMagnitude ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "must be a number \(bounds), not \(value)")
        }
        return value
    }

    /// A string naming one case of `T` (any letter case); nil when absent or null.
    func decodeCaseIfPresent<T: RawRepresentable & CaseIterable>(_: T.Type, forKey key: Key) throws -> T? where T.RawValue == String {
        guard let name = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let value = T(rawValue: name.lowercased()) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "must be \(Self.alternatives(T.allCases.map(\.rawValue))), not \"\(name)\"")
        }
        return value
    }

    /// "a, b or c"
    static func alternatives(_ names: [String]) -> String {
        names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}

extension Decoder {
    /// A body that is one `T` (the object itself) or a non-empty list of them under `key`
    /// (`{"patterns": [...]}`).
    func oneOrList<T: Decodable>(of _: T.Type, under key: String, naming what: String) throws -> [T] {
        let body = try container(keyedBy: JSONKey.self)
        guard body.contains(JSONKey(key)) else { return [try T(from: self)] }
        let list = try body.decode([T].self, forKey: JSONKey(key))
        guard !list.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: JSONKey(key), in: body, debugDescription: "must be a non-empty array of \(what) objects")
        }
        return list
    }

    /// Runs a library's own check of a decoded value, its failure reported at this value's
    /// path: `"generations[2]" is not valid: invalid quality '3': expected 0 to 1`.
    func checked<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DecodingError {
            throw error
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "is not valid: \(error)"))
        }
    }
}

/// Any member name: for reading objects whose keys are data (a payload), or for listing the
/// keys a request sent.
struct JSONKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue _: Int) { nil }
}
