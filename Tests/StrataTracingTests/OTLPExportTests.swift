import Foundation
import StrataTracing
import Testing
import Tracing

/// Export requests as a collector reads them: the protobuf fields at their numbers, and the
/// JSON mapping with hex ids.
@Suite struct OTLPExportTests {
    static func spans() -> [FinishedSpan] {
        var attributes = SpanAttributes()
        attributes["http.route"] = "/v1/search"
        attributes["http.response.status_code"] = 200
        attributes["strata.share"] = 0.5
        let root = FinishedSpan(
            name: "POST /v1/search", kind: .server, context: TraceContext(traceID: (0x0102_0304_0506_0708, 0x090A_0B0C_0D0E_0F10), spanID: 0xAA, sampled: true),
            parentSpanID: 0, start: 1_000, end: 5_000, attributes: attributes, status: SpanStatus(code: .error, message: "HTTP 503"), events: [])
        let child = FinishedSpan(
            name: "store.search", kind: .internal, context: TraceContext(traceID: root.context.traceID, spanID: 0xBB, sampled: true),
            parentSpanID: 0xAA, start: 2_000, end: 3_000, attributes: [:], status: nil,
            events: [SpanEvent(name: "exception", at: DefaultTracerClock.now, attributes: ["exception.message": "boom"])])
        return [root, child]
    }

    /// A protobuf message's fields: number → values (varints and fixed64 as numbers, the
    /// length-delimited as bytes).
    static func fields(_ bytes: [UInt8]) -> [Int: [Any]] {
        var fields: [Int: [Any]] = [:], index = 0
        func varint() -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        while index < bytes.count {
            let key = varint()
            let field = Int(key >> 3)
            switch key & 7 {
            case 0: fields[field, default: []].append(varint())
            case 1:
                fields[field, default: []].append((0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[index + $1]) << (8 * UInt64($1)) })
                index += 8
            case 2:
                let length = Int(varint())
                fields[field, default: []].append(Array(bytes[index..<index + length]))
                index += length
            default: Issue.record("wire type \(key & 7)")
                return fields
            }
        }
        return fields
    }

    static func message(_ fields: [Int: [Any]], _ number: Int, _ index: Int = 0) -> [Int: [Any]] {
        Self.fields(fields[number]?[index] as? [UInt8] ?? [])
    }

    static func text(_ fields: [Int: [Any]], _ number: Int) -> String? {
        (fields[number]?.first as? [UInt8]).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func protobufPutsEachFieldAtItsNumber() throws {
        let body = OTLPExport(resource: ["service.name": "strata-test"], encoding: .protobuf).body(Self.spans())
        let resourceSpans = Self.message(Self.fields(body), 1)
        let resourceAttribute = Self.message(Self.message(resourceSpans, 1), 1)
        #expect(Self.text(resourceAttribute, 1) == "service.name" && Self.text(Self.message(resourceAttribute, 2), 1) == "strata-test")
        let scopeSpans = Self.message(resourceSpans, 2)
        #expect(Self.text(Self.message(scopeSpans, 1), 1) == "strata")
        #expect(scopeSpans[2]?.count == 2)
        let root = Self.message(scopeSpans, 2, 0), child = Self.message(scopeSpans, 2, 1)
        #expect(root[1]?.first as? [UInt8] == Array(UInt8(1)...UInt8(16)))
        #expect(root[2]?.first as? [UInt8] == [0, 0, 0, 0, 0, 0, 0, 0xAA] && root[4] == nil)
        #expect(Self.text(root, 5) == "POST /v1/search" && root[6]?.first as? UInt64 == 2)
        #expect(root[7]?.first as? UInt64 == 1_000 && root[8]?.first as? UInt64 == 5_000)
        let attributes = (0..<(root[9]?.count ?? 0)).map { Self.message(root, 9, $0) }
        #expect(attributes.compactMap { Self.text($0, 1) } == ["http.response.status_code", "http.route", "strata.share"])
        #expect(Self.message(attributes[0], 2)[3]?.first as? UInt64 == 200)
        #expect(Self.message(attributes[2], 2)[4]?.first as? UInt64 == 0.5.bitPattern)
        let status = Self.message(root, 15)
        #expect(Self.text(status, 2) == "HTTP 503" && status[3]?.first as? UInt64 == 2)
        #expect(child[4]?.first as? [UInt8] == [0, 0, 0, 0, 0, 0, 0, 0xAA] && child[6]?.first as? UInt64 == 1)
        #expect(Self.text(Self.message(child, 11), 2) == "exception")
    }

    @Test func jsonWritesIdsInHexAndLongNumbersAsText() throws {
        let body = OTLPExport(resource: ["service.name": "strata-test"], encoding: .json).body(Self.spans())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let resourceSpans = try #require((object["resourceSpans"] as? [[String: Any]])?.first)
        let spans = try #require((resourceSpans["scopeSpans"] as? [[String: Any]])?.first?["spans"] as? [[String: Any]])
        #expect(spans[0]["traceId"] as? String == "0102030405060708090a0b0c0d0e0f10" && spans[0]["spanId"] as? String == "00000000000000aa")
        #expect(spans[0]["parentSpanId"] == nil && spans[1]["parentSpanId"] as? String == "00000000000000aa")
        #expect(spans[0]["startTimeUnixNano"] as? String == "1000" && spans[0]["kind"] as? Int == 2)
        let attributes = try #require(spans[0]["attributes"] as? [[String: Any]])
        #expect((attributes[0]["value"] as? [String: Any])?["intValue"] as? String == "200")
        #expect((spans[0]["status"] as? [String: Any])?["code"] as? Int == 2)
    }
}
