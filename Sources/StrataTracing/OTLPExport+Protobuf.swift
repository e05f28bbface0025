/// The binary protobuf encoding of an export request, written field by field (field numbers
/// from opentelemetry-proto `trace/v1/trace.proto` and `common/v1/common.proto`).
extension OTLPExport {
    func protobuf(_ spans: [FinishedSpan]) -> [UInt8] {
        var request = ProtobufWriter()
        request.message(1) { resourceSpans in  // ExportTraceServiceRequest.resource_spans
            resourceSpans.message(1) { resource in  // ResourceSpans.resource
                for (key, value) in self.resource.sorted(by: { $0.key < $1.key }) { resource.keyValue(1, key, .string(value)) }
            }
            resourceSpans.message(2) { scopeSpans in  // ResourceSpans.scope_spans
                scopeSpans.message(1) { $0.string(1, scope) }  // InstrumentationScope.name
                for span in spans { scopeSpans.message(2) { Self.write(span, into: &$0) } }
            }
        }
        return request.bytes
    }

    private static func write(_ span: FinishedSpan, into writer: inout ProtobufWriter) {
        writer.bytes(1, bigEndian: [span.context.traceID.high, span.context.traceID.low])
        writer.bytes(2, bigEndian: [span.context.spanID])
        if let state = span.context.state, !state.isEmpty { writer.string(3, state) }
        if span.parentSpanID != 0 { writer.bytes(4, bigEndian: [span.parentSpanID]) }
        writer.string(5, span.name)
        writer.varint(6, UInt64(kindNumber(span.kind)))
        writer.fixed64(7, span.start)
        writer.fixed64(8, span.end)
        for (key, value) in pairs(span.attributes) { writer.keyValue(9, key, value) }
        for event in span.events {
            writer.message(11) { encoded in
                encoded.fixed64(1, event.nanosecondsSinceEpoch)
                encoded.string(2, event.name)
                for (key, value) in pairs(event.attributes) { encoded.keyValue(3, key, value) }
            }
        }
        if let status = span.status {
            writer.message(15) { encoded in
                if let message = status.message, !message.isEmpty { encoded.string(2, message) }
                encoded.varint(3, UInt64(statusNumber(status)))
            }
        }
    }
}

/// Writes protobuf's wire format: varints, 64-bit fixed fields, length-delimited fields.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ field: Int, _ value: UInt64) {
        tag(field, wireType: 0)
        raw(value)
    }

    mutating func fixed64(_ field: Int, _ value: UInt64) {
        tag(field, wireType: 1)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func double(_ field: Int, _ value: Double) { fixed64(field, value.bitPattern) }

    mutating func string(_ field: Int, _ value: String) {
        tag(field, wireType: 2)
        raw(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    /// An id: the words' bytes, most significant first.
    mutating func bytes(_ field: Int, bigEndian words: [UInt64]) {
        tag(field, wireType: 2)
        raw(UInt64(words.count * 8))
        for word in words { for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) } }
    }

    /// A nested message, written by `body`.
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        body(&nested)
        tag(field, wireType: 2)
        raw(UInt64(nested.bytes.count))
        bytes += nested.bytes
    }

    /// A `KeyValue` (key 1, `AnyValue` value 2). A scalar value's lengths are worked out
    /// first and the pair written in place: most of a span's bytes are its attributes, and a
    /// nested buffer per pair doubled the cost of encoding one.
    mutating func keyValue(_ field: Int, _ key: String, _ value: OTLPExport.Value) {
        guard let valueLength = Self.scalarLength(value) else {
            message(field) { pair in
                pair.string(1, key)
                pair.message(2) { $0.anyValue(value) }
            }
            return
        }
        let keyLength = key.utf8.count
        tag(field, wireType: 2)
        raw(UInt64(1 + Self.varintLength(UInt64(keyLength)) + keyLength + 1 + Self.varintLength(UInt64(valueLength)) + valueLength))
        string(1, key)
        tag(2, wireType: 2)
        raw(UInt64(valueLength))
        anyValue(value)
    }

    /// The length of a scalar `AnyValue`'s encoding; nil for an array.
    static func scalarLength(_ value: OTLPExport.Value) -> Int? {
        switch value {
        case let .string(text): 1 + varintLength(UInt64(text.utf8.count)) + text.utf8.count
        case .bool: 2
        case let .int(number): 1 + varintLength(UInt64(bitPattern: number))
        case .double: 9
        case .array: nil
        }
    }

    static func varintLength(_ value: UInt64) -> Int {
        max(1, (64 - value.leadingZeroBitCount + 6) / 7)
    }

    /// The fields of an `AnyValue`: string 1, bool 2, int 3, double 4, array 5 (`ArrayValue`,
    /// values 1).
    mutating func anyValue(_ value: OTLPExport.Value) {
        switch value {
        case let .string(text): string(1, text)
        case let .bool(flag): varint(2, flag ? 1 : 0)
        case let .int(number): varint(3, UInt64(bitPattern: number))
        case let .double(number): double(4, number)
        case let .array(values): message(5) { array in for element in values { array.message(1) { $0.anyValue(element) } } }
        }
    }

    private mutating func tag(_ field: Int, wireType: UInt64) { raw(UInt64(field) << 3 | wireType) }

    private mutating func raw(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}
