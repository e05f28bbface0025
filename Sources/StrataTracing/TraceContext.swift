import Tracing

/// Where a span sits: its trace, its own id, whether its trace is sampled, and the vendors'
/// `tracestate` it carries on. What W3C Trace Context's `traceparent` header says.
public struct TraceContext: Sendable, Equatable {
    /// 128 bits, high half first; never zero.
    public var traceID: (high: UInt64, low: UInt64)
    /// Never zero.
    public var spanID: UInt64
    /// Whether the trace is kept (the `sampled` flag).
    public var sampled: Bool
    /// The `tracestate` header, passed on as it came.
    public var state: String?

    public init(traceID: (high: UInt64, low: UInt64), spanID: UInt64, sampled: Bool, state: String? = nil) {
        self.traceID = traceID
        self.spanID = spanID
        self.sampled = sampled
        self.state = state
    }

    public static func == (lhs: TraceContext, rhs: TraceContext) -> Bool {
        lhs.traceID == rhs.traceID && lhs.spanID == rhs.spanID && lhs.sampled == rhs.sampled && lhs.state == rhs.state
    }

    /// The trace id in hex, 32 digits, as `traceparent` and OTLP/JSON write it.
    public var traceHex: String { Self.hex(traceID.high) + Self.hex(traceID.low) }
    /// The span id in hex, 16 digits.
    public var spanHex: String { Self.hex(spanID) }

    /// `00-<trace>-<span>-<flags>`.
    public var traceparent: String { "00-\(traceHex)-\(spanHex)-\(sampled ? "01" : "00")" }

    /// Reads a `traceparent` header; nil for anything W3C Trace Context says to ignore (a
    /// wrong length or version, an id of zeros, a character that is not lower-case hex).
    public init?(traceparent: String, state: String? = nil) {
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        // Version 00 has exactly four fields; a later version may append more, which a reader
        // of version 00 ignores.
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff", parts[0] != "00" || parts.count == 4,
              parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
              let high = Self.number(parts[1].prefix(16)), let low = Self.number(parts[1].suffix(16)),
              let span = Self.number(parts[2]), let flags = Self.number(parts[3]), Self.number(parts[0]) != nil,
              high | low != 0, span != 0
        else { return nil }
        self.init(traceID: (high, low), spanID: span, sampled: flags & 1 == 1, state: state)
    }

    private static func number(_ text: Substring) -> UInt64? {
        guard text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        return UInt64(text, radix: 16)
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension InstrumentationContext {
    /// The span (or the remote caller's span) that work of this context belongs to.
    public var traceContext: TraceContext? {
        get { self[TraceContextKey.self] }
        set { self[TraceContextKey.self] = newValue }
    }
}

private enum TraceContextKey: InstrumentationContextKey {
    typealias Value = TraceContext
    static var nameOverride: String? { "strata-trace-context" }
}
