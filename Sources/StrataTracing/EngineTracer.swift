import Synchronization
import Tracing

/// The engine's tracer: OpenTelemetry's data model through swift-distributed-tracing's
/// `Tracer`, made for a hot path. Starting a span is a few allocations and a clock read;
/// ending one appends it to a ``SpanBuffer``, whose own thread encodes and sends batches.
///
/// Sampling is parent-based, as OpenTelemetry's default: a span with a parent (in this process
/// or a caller's `traceparent`) follows the parent's sampled flag; a root span is kept with
/// probability ``sampling``, decided by its trace id (so every process that sees the id
/// agrees). Propagation is W3C Trace Context (`traceparent`, `tracestate`).
public final class EngineTracer: Tracer, Sendable {
    public typealias Span = TracedSpan

    /// The share of root traces kept, 0 to 1.
    public let sampling: Double
    /// Where ended spans go.
    public let buffer: SpanBuffer
    private let threshold: UInt64
    private let random = Mutex(SplitMix(seed: UInt64.random(in: 1...UInt64.max)))

    public init(sampling: Double, buffer: SpanBuffer) {
        self.sampling = min(1, max(0, sampling))
        self.buffer = buffer
        threshold = self.sampling >= 1 ? .max : UInt64(self.sampling * 0x1p64)
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> InstrumentationContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> TracedSpan {
        let context = context()
        let (high, low, spanID) = random.withLock { ($0.next(), $0.next(), $0.next()) }
        let trace: TraceContext
        let parent: UInt64
        if let parentTrace = context.traceContext {
            trace = TraceContext(traceID: parentTrace.traceID, spanID: max(1, spanID), sampled: parentTrace.sampled, state: parentTrace.state)
            parent = parentTrace.spanID
        } else {
            // The low half decides, as OpenTelemetry's trace-id ratio sampler reads the id.
            trace = TraceContext(traceID: (high, max(1, low)), spanID: max(1, spanID), sampled: threshold == .max || low < threshold)
            parent = 0
        }
        return TracedSpan(
            name: operationName, kind: kind, context: context, trace: trace, parentSpanID: parent, start: instant().nanosecondsSinceEpoch,
            buffer: buffer)
    }

    public func forceFlush() { buffer.flush() }

    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        guard let header = extractor.extract(key: "traceparent", from: carrier),
              let trace = TraceContext(traceparent: header, state: extractor.extract(key: "tracestate", from: carrier))
        else { return }
        context.traceContext = trace
    }

    public func inject<Carrier, Inject: Injector>(_ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        guard let trace = context.traceContext else { return }
        injector.inject(trace.traceparent, forKey: "traceparent", into: &carrier)
        if let state = trace.state, !state.isEmpty { injector.inject(state, forKey: "tracestate", into: &carrier) }
    }
}

/// Sebastiano Vigna's SplitMix64: ids that only need to be unique and well spread, at a few
/// nanoseconds each (the system generator costs a system call).
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
