/// The check ``JSONDocument/init(_:)`` runs once over the whole text: JSON's grammar (RFC 8259)
/// byte by byte, each failure with its offset.
extension JSONBytes {
    /// Checks that the text is one JSON value with white space around it at most, and notes
    /// where each object and list ends (``containerEnds``).
    mutating func checkDocument() throws(JSONSyntaxError) {
        let end = skipSpace(from: try checkValue(at: skipSpace(from: 0), depth: 0))
        guard end == text.count else { throw JSONSyntaxError(offset: end, problem: "text after the end of the JSON value") }
    }

    /// Checks the value starting at `offset` and returns the offset just past it.
    private mutating func checkValue(at offset: Int, depth: Int) throws(JSONSyntaxError) -> Int {
        switch self[offset] {
        case UInt8(ascii: "{"): return try checkObject(at: offset, depth: depth + 1)
        case UInt8(ascii: "["): return try checkArray(at: offset, depth: depth + 1)
        case UInt8(ascii: "\""): return try checkString(at: offset)
        case UInt8(ascii: "t"): return try checkLiteral("true", at: offset)
        case UInt8(ascii: "f"): return try checkLiteral("false", at: offset)
        case UInt8(ascii: "n"): return try checkLiteral("null", at: offset)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try checkNumber(at: offset)
        default: throw unexpected(at: offset, expecting: "a value")
        }
    }

    private mutating func checkObject(at offset: Int, depth: Int) throws(JSONSyntaxError) -> Int {
        guard depth <= Self.maximumDepth else { throw JSONSyntaxError(offset: offset, problem: "nesting deeper than \(Self.maximumDepth) levels") }
        var index = skipSpace(from: offset + 1)
        if self[index] == UInt8(ascii: "}") { return closed(offset, at: index) }
        while true {
            guard self[index] == UInt8(ascii: "\"") else { throw unexpected(at: index, expecting: "a member name in double quotes") }
            index = skipSpace(from: try checkString(at: index))
            guard self[index] == UInt8(ascii: ":") else { throw unexpected(at: index, expecting: "':' after a member name") }
            index = skipSpace(from: try checkValue(at: skipSpace(from: index + 1), depth: depth))
            if self[index] == UInt8(ascii: "}") { return closed(offset, at: index) }
            guard self[index] == UInt8(ascii: ",") else { throw unexpected(at: index, expecting: "',' or '}'") }
            index = skipSpace(from: index + 1)
        }
    }

    /// Notes where the container at `start` ends (its closing bracket is at `index`).
    private mutating func closed(_ start: Int, at index: Int) -> Int {
        containerEnds[start] = index + 1
        return index + 1
    }

    private mutating func checkArray(at offset: Int, depth: Int) throws(JSONSyntaxError) -> Int {
        guard depth <= Self.maximumDepth else { throw JSONSyntaxError(offset: offset, problem: "nesting deeper than \(Self.maximumDepth) levels") }
        var index = skipSpace(from: offset + 1)
        if self[index] == UInt8(ascii: "]") { return closed(offset, at: index) }
        while true {
            // Numbers straight to their check: a vector is hundreds of them.
            let first = self[index]
            let end = first == UInt8(ascii: "-") || Self.isDigit(first) ? try checkNumber(at: index) : try checkValue(at: index, depth: depth)
            index = skipSpace(from: end)
            if self[index] == UInt8(ascii: "]") { return closed(offset, at: index) }
            guard self[index] == UInt8(ascii: ",") else { throw unexpected(at: index, expecting: "',' or ']'") }
            index = skipSpace(from: index + 1)
        }
    }

    private func checkLiteral(_ literal: StaticString, at offset: Int) throws(JSONSyntaxError) -> Int {
        let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for (position, byte) in bytes.enumerated() where self[offset + position] != byte {
            throw unexpected(at: offset + position, expecting: "\"\(literal)\"")
        }
        return offset + bytes.count
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private func checkNumber(at offset: Int) throws(JSONSyntaxError) -> Int {
        var index = offset
        if self[index] == UInt8(ascii: "-") { index += 1 }
        if self[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            index = try checkDigits(from: index, what: "a digit")
        }
        if self[index] == UInt8(ascii: ".") {
            index = try checkDigits(from: index + 1, what: "a digit after the decimal point")
        }
        if self[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if self[index] == UInt8(ascii: "+") || self[index] == UInt8(ascii: "-") { index += 1 }
            index = try checkDigits(from: index, what: "a digit in the exponent")
        }
        return index
    }

    @inline(__always)
    private func checkDigits(from offset: Int, what: @autoclosure () -> String) throws(JSONSyntaxError) -> Int {
        var index = offset
        while Self.isDigit(self[index]) { index += 1 }
        guard index > offset else { throw unexpected(at: index, expecting: what()) }
        return index
    }

    /// A string: no raw control characters, valid escapes (surrogates in pairs), valid UTF-8.
    private func checkString(at offset: Int) throws(JSONSyntaxError) -> Int {
        var index = offset + 1
        while index < text.count {
            let byte = self[index]
            if byte == UInt8(ascii: "\"") { return index + 1 }
            if byte == UInt8(ascii: "\\") {
                index = try checkEscape(at: index)
            } else if byte < 0x20 {
                throw JSONSyntaxError(offset: index, problem: "a control character inside a string (write it as an escape such as \\n)")
            } else if byte >= 0x80 {
                index = try checkUTF8(at: index)
            } else {
                index += 1
            }
        }
        throw JSONSyntaxError(offset: offset, problem: "a string that is never closed")
    }

    private func checkEscape(at offset: Int) throws(JSONSyntaxError) -> Int {
        switch self[offset + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return offset + 2
        case UInt8(ascii: "u"):
            guard let unit = hexUnit(at: offset) else { throw JSONSyntaxError(offset: offset, problem: "a \\u escape without four hex digits") }
            if (0xDC00..<0xE000).contains(unit) { throw JSONSyntaxError(offset: offset, problem: "a \\u escape of a lone low surrogate") }
            guard (0xD800..<0xDC00).contains(unit) else { return offset + 6 }
            guard self[offset + 6] == UInt8(ascii: "\\"), self[offset + 7] == UInt8(ascii: "u"), let low = hexUnit(at: offset + 6), (0xDC00..<0xE000).contains(low) else {
                throw JSONSyntaxError(offset: offset, problem: "a \\u escape of a high surrogate without its low surrogate")
            }
            return offset + 12
        default:
            throw JSONSyntaxError(offset: offset, problem: "an unknown escape (expected \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)")
        }
    }

    /// One UTF-8 sequence starting at `offset` (a byte of 0x80 or more): no overlong forms, no
    /// surrogates, nothing past U+10FFFF.
    private func checkUTF8(at offset: Int) throws(JSONSyntaxError) -> Int {
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch self[offset] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; second = 0x80...0x8F
        default: throw JSONSyntaxError(offset: offset, problem: "a byte that is not UTF-8")
        }
        guard second.contains(self[offset + 1]), (offset + 2..<offset + length).allSatisfy({ (0x80...0xBF).contains(self[$0]) }) else {
            throw JSONSyntaxError(offset: offset, problem: "a byte that is not UTF-8")
        }
        return offset + length
    }

    private func unexpected(at offset: Int, expecting what: String) -> JSONSyntaxError {
        guard offset < text.count else { return JSONSyntaxError(offset: offset, problem: "the text ends where \(what) should be") }
        let byte = self[offset]
        let shown = (0x20..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        return JSONSyntaxError(offset: offset, problem: "\(shown) where \(what) should be")
    }
}
