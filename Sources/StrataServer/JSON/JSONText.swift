import Foundation
import StrataStore

/// Writes JSON text from the plain values the routes build (strings, numbers, booleans,
/// arrays, dictionaries, optionals, NSNull) straight into bytes.
///
/// `JSONSerialization` bridges every dictionary and array to its NS counterpart first: under
/// load that was half of a search answer's CPU time (measured with perf), more than the
/// search itself.
package enum JSONText {
    package static func bytes(_ value: Any) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(value, into: &out)
        return out
    }

    static func write(_ value: Any, into out: inout [UInt8]) {
        // What JSONSerialization parsed: on Linux such a number casts to Bool when it is 0 or
        // 1, so its own type code decides (`c` is a boolean). The metatype is tested first: a
        // cast of every value to NSNumber would bridge each dictionary and string to its NS
        // counterpart (measured: a tenth of a search answer's CPU).
        if type(of: value) is NSNumber.Type, let number = value as? NSNumber {
            switch String(cString: number.objCType) {
            case "c", "B": out.append(literal: number.boolValue ? "true" : "false")
            case "d", "f": writeDouble(number.doubleValue, into: &out)
            default: out.append(contentsOf: number.stringValue.utf8)
            }
            return
        }
        switch value {
        case let raw as RawJSON: out.append(contentsOf: raw.text.utf8)
        case let text as String: writeString(text, into: &out)
        case let flag as Bool: out.append(literal: flag ? "true" : "false")
        case let number as Int: out.append(decimal: number)
        case let number as Int64: out.append(decimal: number)
        case let number as Double: writeDouble(number, into: &out)
        case let number as Float: writeDouble(Double(number), into: &out)
        case let list as [Any]:
            out.append(UInt8(ascii: "["))
            for (index, element) in list.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let object as [String: Any]:
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, element) in object {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case let number as NSNumber: writeDouble(number.doubleValue, into: &out)
        case is NSNull: out.append(literal: "null")
        default:
            // An optional inside Any: its wrapped value, or null.
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                if let wrapped = mirror.children.first?.value { write(wrapped, into: &out) } else { out.append(literal: "null") }
            } else {
                writeString(String(describing: value), into: &out)
            }
        }
    }

    static func writeDouble(_ number: Double, into out: inout [UInt8]) {
        guard number.isFinite else { return out.append(literal: "null") }
        if number == number.rounded(), abs(number) < 1e15 {
            out.append(decimal: Int64(number))
        } else {
            out.append(contentsOf: number.description.utf8)
        }
    }

    /// Writes a vector as a list of numbers (each `Float` as the `Double` it converts to).
    static func writeFloats(_ values: [Float], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            writeDouble(Double(value), into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// Writes `text` as a JSON string. Runs of bytes that need no escape (nearly all of them)
    /// are copied whole, and an escape is appended byte by byte: no array is made per escape.
    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // A native string lends its bytes as they are; a bridged one is copied first.
        if text.utf8.withContiguousStorageIfAvailable({ writeEscaped($0, into: &out) }) == nil {
            var text = text
            text.withUTF8 { writeEscaped($0, into: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The bytes of a string's text with JSON's escapes.
    private static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var start = 0
        for index in bytes.indices {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            start = index + 1
            out.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
            case UInt8(ascii: "\n"): out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): out.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): out.append(UInt8(ascii: "t"))
            default:
                out.append(literal: "u00")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
    }

    /// Writes typed fields as the members of a JSON object, without its braces: the search
    /// answers' hot path, which skips `Any` and its dynamic casts.
    static func writeMembers(_ fields: [(key: String, value: JSONScalar)], into out: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            writeString(field.key, into: &out)
            out.append(UInt8(ascii: ":"))
            write(field.value, into: &out)
        }
    }

    static func write(_ value: JSONScalar, into out: inout [UInt8]) {
        switch value {
        case let .string(text): writeString(text, into: &out)
        case let .integer(number): out.append(decimal: number)
        case let .double(number): writeDouble(number, into: &out)
        case let .raw(text): out.append(contentsOf: text.utf8)
        case let .strings(list):
            out.append(UInt8(ascii: "["))
            for (index, element) in list.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }
}

/// JSON text already checked (a stored payload), written as it is.
package struct RawJSON {
    package let text: String
    package init(_ text: String) { self.text = text }
}

extension [UInt8] {
    /// Appends the bytes of a literal, with no array made in between.
    mutating func append(literal text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends the decimal digits of `number`, with no string made in between.
    mutating func append(decimal number: some BinaryInteger) {
        if number < 0 { append(UInt8(ascii: "-")) }
        var magnitude = UInt64(number.magnitude)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}
