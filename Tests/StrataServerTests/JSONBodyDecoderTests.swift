import Foundation
import StrataServer
import Testing

/// The request body decoder on its own: JSON's grammar with the byte of each failure, strict
/// types naming the field, numbers read exactly, and the vector fast path.
@Suite struct JSONBodyDecoderTests {
    struct Probe: Decodable {
        var exact: Bool?
        var k: Int?
        var id: UInt64?
        var text: String?
        var vector: [Float]?
        var numbers: [Double]?
        var nested: Nested?

        struct Nested: Decodable {
            var values: [[Float]]
            var flag: Bool
        }
    }

    static func decode(_ text: String) throws(ServerError) -> Probe {
        try JSONBodyDecoder.decode(Probe.self, from: Array(text.utf8))
    }

    /// The refusal's message, or "" when the body decodes.
    static func refusal(_ text: String) -> String {
        do {
            _ = try decode(text)
            return ""
        } catch {
            #expect(error.status == .badRequest, "\(text)")
            return error.description
        }
    }

    @Test func aBooleanIsTrueOrFalseAndNothingElse() throws {
        #expect(try Self.decode(#"{"exact": true}"#).exact == true)
        #expect(try Self.decode(#"{"exact": false}"#).exact == false)
        #expect(try Self.decode(#"{"exact": null}"#).exact == nil)
        for bad in ["1", "0", "\"yes\"", "\"true\"", "[true]", "{}"] {
            let message = Self.refusal(#"{"exact": \#(bad)}"#)
            #expect(message.hasPrefix("\"exact\" must be true or false"), "\(bad): \(message)")
        }
        #expect(Self.refusal(#"{"nested": {"values": [], "flag": 1}}"#).hasPrefix("\"nested.flag\" must be true or false, not 1 (byte 34)"))
    }

    @Test func fieldsOfTheWrongTypeAreNamedWithTheirPath() {
        let cases: [(String, String)] = [
            (#"{"k": "10"}"#, #""k" must be a whole number, not "10""#),
            (#"{"k": 2.5}"#, #""k" must be a whole number, not 2.5"#),
            (#"{"text": 5}"#, #""text" must be a string, not 5"#),
            (#"{"vector": {"a": 1}}"#, #""vector" must be a list of numbers, not an object"#),
            (#"{"vector": [0.5, 1, "2"]}"#, #""vector[2]" must be a number, not "2" (byte 20)"#),
            (#"{"vector": [0.5, null]}"#, #""vector[1]" must be a number, not null"#),
            (#"{"nested": {"values": [[1], [2, true]], "flag": true}}"#, #""nested.values[1][1]" must be a number, not true"#),
            (#"{"nested": {"values": []}}"#, #""nested.flag" is required"#),
            (#"[1, 2]"#, "the body must be a JSON object, not a list"),
            (#"{"id": -1}"#, #""id" must be a whole number, not -1"#),
            (#"{"id": 18446744073709551616}"#, #""id" must be a whole number, not 18446744073709551616"#),
        ]
        for (body, expected) in cases {
            let message = Self.refusal(body)
            #expect(message.hasPrefix(expected), "\(body): \(message)")
        }
    }

    @Test func wholeNumbersAreExactInTheirType() throws {
        #expect(try Self.decode(#"{"id": 18446744073709551615}"#).id == UInt64.max)
        #expect(try Self.decode(#"{"k": 3.0}"#).k == 3)
        #expect(try Self.decode(#"{"k": 1e2}"#).k == 100)
        #expect(try Self.decode(#"{"k": -9223372036854775808}"#).k == Int.min)
        #expect(Self.refusal(#"{"k": 1e30}"#).hasPrefix("\"k\" must be a whole number"))
    }

    /// Every way a number may be written reads as the standard library reads it, on the fast
    /// path (up to 19 digits, powers of ten within ±22) and off it.
    @Test func numbersReadAsTheStandardLibraryReadsThem() throws {
        var generator = SystemRandomNumberGenerator()
        var texts = ["0", "-0", "0.0", "1e0", "1E+2", "-1e-2", "123456789012345678901234567890", "0.000000000000000000000000001",
                     "1.7976931348623157e308", "4.9e-324", "2.2250738585072014e-308", "9007199254740993", "0.1", "1e23", "8.589973e9"]
        for _ in 0..<2_000 {
            let value = Double.random(in: -1...1, using: &generator) * pow(10, Double(Int.random(in: -40...40, using: &generator)))
            texts += [String(value), String(format: "%.7g", value), String(format: "%.9e", value), String(format: "%.17g", value)]
            if Float(value).isFinite { texts.append(String(Float(value))) }
        }
        let numbers = try #require(try Self.decode("{\"numbers\": [\(texts.joined(separator: ", "))]}").numbers)
        let floats = try #require(try Self.decode("{\"vector\": [\(texts.joined(separator: ","))]}").vector)
        for (index, text) in texts.enumerated() {
            let expected = try #require(Double(text))
            #expect(numbers[index].bitPattern == expected.bitPattern, "\(text): \(numbers[index]) != \(expected)")
            #expect(floats[index].bitPattern == Float(expected).bitPattern, "\(text) as a Float")
        }
    }

    @Test func stringsKeepEveryCharacter() throws {
        let text = "quote \" backslash \\ slash / tab \t newline \n bell \u{07} é ✓ 😀 \u{10FFFF}"
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["text": text]), as: UTF8.self)
        #expect(try Self.decode(body).text == text)
        #expect(try Self.decode(#"{"text": "\ud83d\ude00\u00e9\/"}"#).text == "😀é/")
    }

    @Test func textThatIsNotJSONIsRefusedAtItsByte() {
        let cases: [(String, String)] = [
            (#"{"k": }"#, "'}' where a value should be at byte 6"),
            (#"{"k": 1,}"#, "'}' where a member name in double quotes should be at byte 8"),
            (#"{"k" 1}"#, "'1' where ':' after a member name should be at byte 5"),
            (#"{"k": 01}"#, "'1' where ',' or '}' should be at byte 7"),
            (#"{"k": 1.}"#, "'}' where a digit after the decimal point should be at byte 8"),
            (#"{"k": -}"#, "'}' where a digit should be at byte 7"),
            (#"{"k": tru}"#, "'}' where \"true\" should be at byte 9"),
            (#"{"text": "\x"}"#, "an unknown escape"),
            (#"{"text": "\ud800"}"#, "a high surrogate without its low surrogate at byte 10"),
            ("{\"text\": \"a\u{01}\"}", "a control character inside a string"),
            (#"{"k": 1} {}"#, "text after the end of the JSON value at byte 9"),
            (#"{"text": "open"#, "a string that is never closed at byte 9"),
            (#"{"k": "#, "the text ends where a value should be"),
            (String(repeating: "[", count: 300), "nesting deeper than 256 levels"),
        ]
        for (body, expected) in cases {
            let message = Self.refusal(body)
            #expect(message.hasPrefix("the body is not valid JSON: "), "\(body): \(message)")
            #expect(message.contains(expected), "\(body): \(message)")
        }
        do {
            _ = try JSONBodyDecoder.decode(Probe.self, from: Array(#"{"text": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8))
            Issue.record("invalid UTF-8 was accepted")
        } catch {
            #expect(error.description.contains("a byte that is not UTF-8 at byte 10"), "\(error.description)")
        }
    }

    @Test func anEmptyBodyIsRefused() {
        for body in ["", " \n\t "] {
            #expect(Self.refusal(body) == "the body is empty; send a JSON object")
        }
    }
}
