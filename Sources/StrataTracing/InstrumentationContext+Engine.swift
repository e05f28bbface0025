import Tracing

extension InstrumentationContext {
    /// The tracer the engine's spans go to (``EngineTrace``); nil, the default: no spans.
    public var engineTracer: (any Tracer)? {
        get { self[EngineTracerKey.self] }
        set { self[EngineTracerKey.self] = newValue }
    }
}

private enum EngineTracerKey: InstrumentationContextKey {
    typealias Value = any Tracer
    static var nameOverride: String? { "strata-engine-tracer" }
}
