import Foundation

/// OTLP/JSON: protobuf's JSON mapping with OTLP's exceptions (ids in hex, enums as numbers,
/// 64-bit integers as strings).
extension OTLPExport {
    func json(_ spans: [FinishedSpan]) -> [UInt8] {
        let resource: [String: Any] = ["attributes": self.resource.sorted { $0.key < $1.key }.map { Self.keyValue($0.key, .string($0.value)) }]
        let scopeSpans: [String: Any] = ["scope": ["name": scope], "spans": spans.map(Self.object)]
        let request: [String: Any] = ["resourceSpans": [["resource": resource, "scopeSpans": [scopeSpans]]]]
        // Only strings, numbers, flags, arrays and dictionaries: it cannot fail.
        return Array(try! JSONSerialization.data(withJSONObject: request, options: [.sortedKeys]))
    }

    private static func object(_ span: FinishedSpan) -> [String: Any] {
        var object: [String: Any] = [
            "traceId": span.context.traceHex, "spanId": span.context.spanHex, "name": span.name, "kind": kindNumber(span.kind),
            "startTimeUnixNano": String(span.start), "endTimeUnixNano": String(span.end),
            "attributes": pairs(span.attributes).map { keyValue($0.0, $0.1) },
        ]
        if span.parentSpanID != 0 { object["parentSpanId"] = TraceContext.hex(span.parentSpanID) }
        if let state = span.context.state, !state.isEmpty { object["traceState"] = state }
        if !span.events.isEmpty {
            object["events"] = span.events.map { event -> [String: Any] in
                ["timeUnixNano": String(event.nanosecondsSinceEpoch), "name": event.name, "attributes": pairs(event.attributes).map { keyValue($0.0, $0.1) }]
            }
        }
        if let status = span.status {
            var encoded: [String: Any] = ["code": statusNumber(status)]
            if let message = status.message, !message.isEmpty { encoded["message"] = message }
            object["status"] = encoded
        }
        return object
    }

    private static func keyValue(_ key: String, _ value: Value) -> [String: Any] {
        ["key": key, "value": anyValue(value)]
    }

    private static func anyValue(_ value: Value) -> [String: Any] {
        switch value {
        case let .string(text): ["stringValue": text]
        case let .bool(flag): ["boolValue": flag]
        case let .int(number): ["intValue": String(number)]
        case let .double(number): ["doubleValue": number]
        case let .array(values): ["arrayValue": ["values": values.map(anyValue)]]
        }
    }
}
