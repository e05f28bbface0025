import Tracing

extension InstrumentationContext {
    /// The tracer the engine's spans go to (``EngineTrace``); nil, the default: no spans.
    public var engineTracer: (any Tracer)? {
        get { self[EngineTracerKey.self]?.tracer }
        set { self[EngineTracerKey.self] = newValue.map(TracerBox.init) }
    }
}

extension InstrumentationContext {
    /// The server span of the request this work serves (``EngineTrace/request``).
    public var requestSpan: (any Span)? {
        get { self[RequestSpanKey.self] }
        set { self[RequestSpanKey.self] = newValue }
    }
}

private enum RequestSpanKey: InstrumentationContextKey {
    typealias Value = any Span
    static var nameOverride: String? { "strata-request-span" }
}

/// The tracer in a final class: the context stores values as `any Sendable`, and reading one
/// back as `any Tracer` is a protocol-conformance cast on every span (some 100 ns), where a
/// class is a pointer compare.
private final class TracerBox: Sendable {
    let tracer: any Tracer

    init(_ tracer: any Tracer) { self.tracer = tracer }
}

private enum EngineTracerKey: InstrumentationContextKey {
    typealias Value = TracerBox
    static var nameOverride: String? { "strata-engine-tracer" }
}
