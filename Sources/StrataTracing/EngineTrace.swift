import Tracing

/// The spans the engine reports: requests, search legs, catalog calls, embedding, the stages
/// of a generation, provider calls.
///
/// A span is made only when the running task's ``InstrumentationContext`` carries a tracer
/// (``InstrumentationContext/engineTracer``), which the server binds for each request once
/// tracing is configured. Everything else, the command line and a server with tracing off
/// included, pays one task-local read per span site and makes nothing. No process-wide
/// tracer is bootstrapped, so services of one process (and tests running side by side) each
/// trace to their own exporter or not at all.
///
/// Work that moves to another thread takes the context along (`WorkContext` in
/// StrataCatalog): a task-local stays with the task that bound it.
public enum EngineTrace {
    /// Runs `body` inside a span named `name`, a child of the task's current span; just runs
    /// it when the task carries no tracer. A thrown error is recorded on the span and its
    /// status set to error, then rethrown.
    ///
    /// - Parameters:
    ///   - name: What the span measures, dotted: `search.dense`, `catalog.read`.
    ///   - kind: `.client` for a call to another service (a model provider), else internal.
    ///   - body: The work, given the span to annotate (``EngineSpan``; does nothing when
    ///     there is no span).
    @inlinable
    public static func span<T, E: Error>(
        _ name: String, kind: SpanKind = .internal, _ body: (EngineSpan) throws(E) -> T
    ) throws(E) -> T {
        guard let context = InstrumentationContext.current, let tracer = context.engineTracer else { return try body(EngineSpan()) }
        return try traced(name, kind: kind, context: context, tracer: tracer, body)
    }

    // Inlinable too, so that each call site's closure and result types are known: generic
    // through the module boundary, every traced span asked the runtime for their metadata.
    @inlinable
    static func traced<T, E: Error>(
        _ name: String, kind: SpanKind, context: InstrumentationContext, tracer: any Tracer, _ body: (EngineSpan) throws(E) -> T
    ) throws(E) -> T {
        let span = tracer.startAnySpan(name, context: context, ofKind: kind, at: DefaultTracerClock.now, function: #function, file: #fileID, line: #line)
        defer { span.end() }
        let outcome: Result<T, E> = InstrumentationContext.$current.withValue(span.context) { Result { () throws(E) -> T in try body(EngineSpan(span)) } }
        if case let .failure(error) = outcome { EngineSpan(span).fail(error) }
        return try outcome.get()
    }

    /// The server span of the request the running task serves, when it is traced: for the
    /// router to name it by its route.
    public static var request: EngineSpan { EngineSpan(InstrumentationContext.current?.requestSpan) }

    /// Whether the running task is traced: work done only to annotate spans can be skipped
    /// when not.
    public static var isActive: Bool { InstrumentationContext.current?.engineTracer != nil }

    /// `Name: value` header lines (W3C `traceparent`, and `tracestate` when there is one)
    /// that carry the running task's trace to a service it calls; empty when untraced.
    public static func propagationHeaders() -> [String] {
        guard let context = InstrumentationContext.current, let tracer = context.engineTracer else { return [] }
        var fields: [(String, String)] = []
        tracer.inject(context, into: &fields, using: HeaderListInjector())
        return fields.map { "\($0.0): \($0.1)" }
    }
}

extension Tracer {
    /// `startSpan`, through the existential, as the protocol's requirement returns `Self.Span`.
    @inlinable
    public func startAnySpan(
        _ name: String, context: InstrumentationContext, ofKind kind: SpanKind, at instant: some TracerInstant, function: String, file: String, line: UInt
    ) -> any Tracing.Span {
        startSpan(name, context: context, ofKind: kind, at: instant, function: function, file: file, line: line)
    }
}

/// Writes propagated fields as (name, value) pairs.
struct HeaderListInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [(String, String)]) {
        carrier.append((key, value))
    }
}
