import Tracing

extension InstrumentationContext {
    /// The tracer the engine's spans go to (``EngineTrace``); nil, the default: no spans.
    public var engineTracer: (any Tracer)? {
        get { self[EngineTracerKey.self] }
        set { self[EngineTracerKey.self] = newValue }
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

private enum EngineTracerKey: InstrumentationContextKey {
    typealias Value = any Tracer
    static var nameOverride: String? { "strata-engine-tracer" }
}
