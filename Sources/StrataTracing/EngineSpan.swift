import Tracing

/// A span of the engine's, or nothing when the work is not traced: what a traced body
/// annotates without checking first.
public struct EngineSpan: Sendable {
    @usableFromInline let span: (any Span)?

    /// `span`, or nothing.
    @inlinable
    public init(_ span: (any Span)? = nil) {
        self.span = span
    }

    /// Whether there is a span that records: compute an expensive attribute only then.
    public var isRecording: Bool { span?.isRecording ?? false }

    /// Sets attribute `key` (OpenTelemetry's names where there is one: `db.system.name`,
    /// `gen_ai.request.model`; else `strata.*`); `value` is computed only for a span.
    @inlinable
    public func set<Value: SpanAttributeConvertible>(_ key: String, _ value: @autoclosure () -> Value) {
        guard let span else { return }
        if let traced = span as? TracedSpan {
            traced.setAttribute(key, value().toSpanAttribute())
        } else {
            span.attributes[key] = value().toSpanAttribute()
        }
    }

    /// Names the span anew: the request's span once the router knows the route.
    public func rename(_ name: String) {
        span?.operationName = name
    }

    /// Records `error` on the span and marks it failed.
    public func fail(_ error: any Error) {
        guard let span else { return }
        span.recordError(error)
        span.setStatus(SpanStatus(code: .error, message: "\(error)"))
    }

    /// Marks the span failed with `message`, for a failure that is an answer, not an error
    /// (a 5xx response).
    public func fail(message: String) {
        span?.setStatus(SpanStatus(code: .error, message: message))
    }
}
