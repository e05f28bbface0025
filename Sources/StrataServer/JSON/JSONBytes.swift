/// JSON text read byte by byte during one pass: the readers of ``JSONDocument``.
///
/// A read past the end gives 0, a byte no JSON text continues with, so every loop stops at
/// the end of the text without a separate bounds test; the readers other than the grammar
/// check (``checkDocument()``) also rely on the text having passed it.
///
/// - Important: the pointer lives only as long as the `withUnsafeBufferPointer` call that
///   made it (``JSONDocument/read(_:)``): never store a `JSONBytes`.
struct JSONBytes {
    let text: UnsafeBufferPointer<UInt8>
    /// The offset just past each object and list, by the offset of its first byte: found by
    /// the grammar check, so that stepping over a value never reads it twice.
    var containerEnds: [Int: Int] = [:]

    /// Objects and lists nested deeper than this are refused (a guard for the grammar check's
    /// recursion, far above any request's shape).
    static let maximumDepth = 256

    @inline(__always)
    subscript(offset: Int) -> UInt8 { offset < text.count ? text[offset] : 0 }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Powers of ten a `Double` holds exactly.
    private static let exactPowers: [Double] = (0...22).map { power in (0..<power).reduce(1.0) { value, _ in value * 10 } }

    func skipSpace(from offset: Int) -> Int {
        var index = offset
        while Self.isSpace(self[index]) { index += 1 }
        return index
    }

    // MARK: structure

    func members(at offset: Int) -> [(key: String, value: Int)] {
        var members: [(key: String, value: Int)] = []
        var index = skipSpace(from: offset + 1)
        while self[index] == UInt8(ascii: "\"") {
            let key = string(at: index)
            index = skipSpace(from: skipSpace(from: valueEnd(at: index)) + 1)  // past the colon
            members.append((key, index))
            index = skipSpace(from: valueEnd(at: index))
            if self[index] == UInt8(ascii: ",") { index = skipSpace(from: index + 1) }
        }
        return members
    }

    func elements(at offset: Int) -> [Int] {
        var elements: [Int] = []
        var index = skipSpace(from: offset + 1)
        while self[index] != UInt8(ascii: "]") {
            elements.append(index)
            index = skipSpace(from: valueEnd(at: index))
            if self[index] == UInt8(ascii: ",") { index = skipSpace(from: index + 1) }
        }
        return elements
    }

    /// The offset just past the value at `offset`.
    func valueEnd(at offset: Int) -> Int {
        switch self[offset] {
        case UInt8(ascii: "\""):
            var index = offset + 1
            while self[index] != UInt8(ascii: "\"") { index += self[index] == UInt8(ascii: "\\") ? 2 : 1 }
            return index + 1
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if let end = containerEnds[offset] { return end }
            // Brackets balance outside strings: the text is valid.
            var depth = 0
            var index = offset
            repeat {
                switch self[index] {
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; index += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1; index += 1
                case UInt8(ascii: "\""): index = valueEnd(at: index)
                default: index += 1
                }
            } while depth > 0
            return index
        case UInt8(ascii: "t"), UInt8(ascii: "n"): return offset + 4
        case UInt8(ascii: "f"): return offset + 5
        default:
            var index = offset + 1
            while Self.isDigit(self[index]) || self[index] == UInt8(ascii: ".") || self[index] | 0x20 == UInt8(ascii: "e")
                || self[index] == UInt8(ascii: "+") || self[index] == UInt8(ascii: "-") { index += 1 }
            return index
        }
    }

    // MARK: strings

    func string(at offset: Int) -> String {
        var index = offset + 1
        var start = index
        var unescaped: [UInt8]?
        while self[index] != UInt8(ascii: "\"") {
            guard self[index] == UInt8(ascii: "\\") else { index += 1; continue }
            if unescaped == nil { unescaped = [] }
            unescaped!.append(contentsOf: text[start..<index])
            index = unescape(at: index, into: &unescaped!)
            start = index
        }
        guard var unescaped else { return String(decoding: text[start..<index], as: UTF8.self) }
        unescaped.append(contentsOf: text[start..<index])
        return String(decoding: unescaped, as: UTF8.self)
    }

    /// Appends the UTF-8 of the escape at `offset` (a backslash) and returns the offset after it.
    private func unescape(at offset: Int, into out: inout [UInt8]) -> Int {
        switch self[offset + 1] {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = hexUnit(at: offset) ?? 0
            guard (0xD800..<0xDC00).contains(scalar) else {
                out.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                return offset + 6
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + ((hexUnit(at: offset + 6) ?? 0xDC00) - 0xDC00)
            out.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
            return offset + 12
        default: out.append(self[offset + 1])
        }
        return offset + 2
    }

    /// The code unit of the `\uXXXX` escape at `offset`; nil without four hex digits.
    func hexUnit(at offset: Int) -> UInt32? {
        var unit: UInt32 = 0
        for index in offset + 2..<offset + 6 {
            let byte = self[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt32(digit)
        }
        return unit
    }

    // MARK: numbers

    /// The list of numbers at `offset` as `Float`s, or where its first element that is not a
    /// number is: a search's vector, read in one pass over its digits.
    func floats(at offset: Int) -> Result<[Float], JSONElementError> {
        var values: [Float] = []
        values.reserveCapacity(512)
        var index = skipSpace(from: offset + 1)
        while self[index] != UInt8(ascii: "]") {
            guard self[index] == UInt8(ascii: "-") || Self.isDigit(self[index]) else {
                return .failure(JSONElementError(index: values.count, offset: index))
            }
            let (value, end) = number(at: index)
            values.append(Float(value))
            index = skipSpace(from: end)
            if self[index] == UInt8(ascii: ",") { index = skipSpace(from: index + 1) }
        }
        return .success(values)
    }

    /// The valid JSON number at `offset` and the offset after it.
    ///
    /// Up to 19 digits with a power of ten within ±22 take the exact fast path: the mantissa
    /// is then at most 2⁵³, so one IEEE multiplication or division rounds correctly (Clinger's
    /// fast path). Anything else goes to the standard library's correctly rounded parser. A
    /// `Float` is this `Double` rounded to the nearest `Float`, as `NSNumber.floatValue` gave
    /// before.
    @inline(__always)
    func number(at offset: Int) -> (value: Double, end: Int) {
        var index = offset
        let negative = self[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        // Digits wrap past 19 of them; the count sends such numbers to the slow path.
        var mantissa: UInt64 = 0
        let integerStart = index
        while case let digit = self[index] &- UInt8(ascii: "0"), digit < 10 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            index += 1
        }
        var digits = index - integerStart
        var exponent = 0
        if self[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while case let digit = self[index] &- UInt8(ascii: "0"), digit < 10 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                index += 1
            }
            exponent = fractionStart - index
            digits += index - fractionStart
        }
        if self[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            let negativePower = self[index] == UInt8(ascii: "-")
            if negativePower || self[index] == UInt8(ascii: "+") { index += 1 }
            var power = 0
            while case let digit = self[index] &- UInt8(ascii: "0"), digit < 10 {
                power = min(power &* 10 &+ Int(digit), 100_000)
                index += 1
            }
            exponent += negativePower ? -power : power
        }
        if digits <= 19, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let magnitude = exponent < 0 ? Double(mantissa) / Self.exactPowers[-exponent] : Double(mantissa) * Self.exactPowers[exponent]
            return (negative ? -magnitude : magnitude, index)
        }
        return (slowNumber(from: offset, to: index), index)
    }

    /// The correctly rounded value of a number the fast path cannot take.
    @inline(never)
    private func slowNumber(from start: Int, to end: Int) -> Double {
        Double(String(decoding: text[start..<end], as: UTF8.self)) ?? .nan
    }
}
