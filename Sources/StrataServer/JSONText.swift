import Foundation

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

    private static func writeDouble(_ number: Double, into out: inout [UInt8]) {
        guard number.isFinite else { return out += Array("null".utf8) }
        if number == number.rounded(), abs(number) < 1e15 {
            out += Array(String(Int64(number)).utf8)
        } else {
            out += Array("\(number)".utf8)
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// JSON text already checked (a stored payload), written as it is.
package struct RawJSON {
    package let text: String
    package init(_ text: String) { self.text = text }
}
