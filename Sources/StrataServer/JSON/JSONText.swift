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
            case "c", "B": out += number.boolValue ? Array("true".utf8) : Array("false".utf8)
            case "d", "f": writeDouble(number.doubleValue, into: &out)
            default: out += Array(number.stringValue.utf8)
            }
            return
        }
        switch value {
        case let raw as RawJSON: out += Array(raw.text.utf8)
        case let text as String: writeString(text, into: &out)
        case let flag as Bool: out += flag ? Array("true".utf8) : Array("false".utf8)
        case let number as Int: out += Array(String(number).utf8)
        case let number as Int64: out += Array(String(number).utf8)
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
        case is NSNull: out += Array("null".utf8)
        default:
            // An optional inside Any: its wrapped value, or null.
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                if let wrapped = mirror.children.first?.value { write(wrapped, into: &out) } else { out += Array("null".utf8) }
            } else {
                writeString(String(describing: value), into: &out)
            }
        }
    }

    static func writeDouble(_ number: Double, into out: inout [UInt8]) {
        guard number.isFinite else { return out += Array("null".utf8) }
        if number == number.rounded(), abs(number) < 1e15 {
            out += Array(String(Int64(number)).utf8)
        } else {
            out += Array("\(number)".utf8)
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
    /// are copied whole.
    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
                case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                default: out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
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
        case let .integer(number): out += Array(String(number).utf8)
        case let .double(number): writeDouble(number, into: &out)
        case let .raw(text): out += Array(text.utf8)
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
