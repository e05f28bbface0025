import Foundation
import Tracing

/// Spans as an OTLP/HTTP export request (`ExportTraceServiceRequest` of
/// opentelemetry-proto's `collector/trace/v1`), in either encoding a collector accepts: binary
/// protobuf (`application/x-protobuf`, the default) or JSON (`application/json`, ids in hex).
public struct OTLPExport: Sendable {
    public enum Encoding: String, Sendable, CaseIterable {
        case protobuf = "http/protobuf"
        case json = "http/json"

        /// The `Content-Type` of a request body in this encoding.
        public var contentType: String { self == .protobuf ? "application/x-protobuf" : "application/json" }
    }

    /// The resource's attributes: `service.name` and the like.
    public var resource: [String: String]
    /// The instrumentation scope every span is reported under.
    public var scope: String
    public var encoding: Encoding

    public init(resource: [String: String], scope: String = "strata", encoding: Encoding = .protobuf) {
        self.resource = resource
        self.scope = scope
        self.encoding = encoding
    }

    /// The request body carrying `spans`.
    public func body(_ spans: [FinishedSpan]) -> [UInt8] {
        encoding == .protobuf ? protobuf(spans) : json(spans)
    }

    /// OTLP's numbers for span kinds.
    static func kindNumber(_ kind: SpanKind) -> Int {
        switch kind {
        case .internal: 1
        case .server: 2
        case .client: 3
        case .producer: 4
        case .consumer: 5
        }
    }

    /// OTLP's status codes: 0 unset, 1 ok, 2 error.
    static func statusNumber(_ status: SpanStatus) -> Int {
        switch status.code {
        case .ok: 1
        case .error: 2
        }
    }

    /// An attribute as OTLP's `AnyValue` can hold it: text, a whole number, a double, a flag,
    /// or a list of them.
    enum Value {
        case string(String), int(Int64), double(Double), bool(Bool), array([Value])

        init(_ attribute: SpanAttribute) {
            switch attribute {
            case let .int32(value): self = .int(Int64(value))
            case let .int64(value): self = .int(value)
            case let .double(value): self = .double(value)
            case let .bool(value): self = .bool(value)
            case let .string(value): self = .string(value)
            case let .int32Array(values): self = .array(values.map { .int(Int64($0)) })
            case let .int64Array(values): self = .array(values.map { .int($0) })
            case let .doubleArray(values): self = .array(values.map { .double($0) })
            case let .boolArray(values): self = .array(values.map { .bool($0) })
            case let .stringArray(values): self = .array(values.map { .string($0) })
            case let .stringConvertibleArray(values): self = .array(values.map { .string($0.description) })
            case let .stringConvertible(value): self = .string(value.description)
            default: self = .string("\(attribute)")
            }
        }
    }

    /// Attributes in a stable order (by key), as pairs.
    static func pairs(_ attributes: SpanAttributes) -> [(String, Value)] {
        var pairs: [(String, Value)] = []
        attributes.forEach { key, value in pairs.append((key, Value(value))) }
        return pairs.sorted { $0.0 < $1.0 }
    }
}
