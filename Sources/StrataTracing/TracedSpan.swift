import Synchronization
import Tracing

/// A span as it is exported: everything OTLP sends of it.
public struct FinishedSpan: Sendable {
    public var name: String
    public var kind: SpanKind
    public var context: TraceContext
    /// 0 for a root span.
    public var parentSpanID: UInt64
    /// Nanoseconds since 1970.
    public var start: UInt64
    public var end: UInt64
    public var attributes: SpanAttributes
    public var status: SpanStatus?
    public var events: [SpanEvent]

    public init(
        name: String, kind: SpanKind, context: TraceContext, parentSpanID: UInt64, start: UInt64, end: UInt64, attributes: SpanAttributes,
        status: SpanStatus?, events: [SpanEvent]
    ) {
        self.name = name
        self.kind = kind
        self.context = context
        self.parentSpanID = parentSpanID
        self.start = start
        self.end = end
        self.attributes = attributes
        self.status = status
        self.events = events
    }
}

/// A span of ``EngineTracer``: records while open and hands itself to the tracer's
/// ``SpanBuffer`` when it ends. A span of an unsampled trace records nothing and only carries
/// its context on (so a call it makes still says the trace is not sampled).
public final class TracedSpan: Tracing.Span, Sendable {
    private struct State {
        var name: String
        var attributes = SpanAttributes()
        var status: SpanStatus?
        var events: [SpanEvent] = []
        var ended = false
    }

    public let context: InstrumentationContext
    public let isRecording: Bool
    private let kind: SpanKind
    private let trace: TraceContext
    private let parentSpanID: UInt64
    private let start: UInt64
    private let buffer: SpanBuffer?
    // Uncontended in practice: a span is written by the code it measures, one thread at a time.
    private let state: Mutex<State>

    init(
        name: String, kind: SpanKind, context: InstrumentationContext, trace: TraceContext, parentSpanID: UInt64, start: UInt64,
        buffer: SpanBuffer?
    ) {
        self.kind = kind
        self.trace = trace
        self.parentSpanID = parentSpanID
        self.start = start
        self.buffer = trace.sampled ? buffer : nil
        isRecording = trace.sampled && buffer != nil
        var context = context
        context.traceContext = trace
        self.context = context
        state = Mutex(State(name: name))
    }

    public var operationName: String {
        get { state.withLock { $0.name } }
        set { state.withLock { $0.name = newValue } }
    }

    public var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set {
            guard isRecording else { return }
            state.withLock { $0.attributes = newValue }
        }
    }

    /// Sets one attribute without copying the others (what `attributes[key] = value` does).
    public func setAttribute(_ key: String, _ value: SpanAttribute) {
        guard isRecording else { return }
        state.withLock { $0.attributes[key] = value }
    }

    public func setStatus(_ status: SpanStatus) {
        guard isRecording else { return }
        state.withLock { $0.status = status }
    }

    public func addEvent(_ event: SpanEvent) {
        guard isRecording else { return }
        state.withLock { $0.events.append(event) }
    }

    public func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        guard isRecording else { return }
        var attributes = attributes
        attributes["exception.type"] = "\(type(of: error))"
        attributes["exception.message"] = "\(error)"
        addEvent(SpanEvent(name: "exception", at: instant(), attributes: attributes))
    }

    /// Links are not kept: nothing in the engine makes them.
    public func addLink(_ link: SpanLink) {}

    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        guard let buffer else { return }
        let end = instant().nanosecondsSinceEpoch
        let finished: FinishedSpan? = state.withLock { state in
            guard !state.ended else { return nil }
            state.ended = true
            return FinishedSpan(
                name: state.name, kind: kind, context: trace, parentSpanID: parentSpanID, start: start, end: end,
                attributes: state.attributes, status: state.status, events: state.events)
        }
        if let finished { buffer.append(finished) }
    }
}
