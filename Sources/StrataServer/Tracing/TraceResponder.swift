import HTTPTypes
import Hummingbird
import StrataTracing
import Tracing

/// Makes each request a server span of the service's tracer and binds it, with the tracer,
/// for everything the request does (``EngineTrace``).
///
/// The span continues the caller's trace when the request carries a W3C `traceparent` (and
/// follows its sampled flag); the response carries the span's own `traceparent`, so a client
/// can find its request in the trace store. The router names the span by its route
/// (``RequestMetricsMiddleware``). Without a tracer the request goes straight on.
struct TraceResponder<Inner: HTTPResponder>: HTTPResponder {
    typealias Context = Inner.Context
    let inner: Inner
    let tracer: (any Tracer)?

    func respond(to request: Request, context: Context) async throws -> Response {
        guard let tracer else { return try await inner.respond(to: request, context: context) }
        var trace = InstrumentationContext.topLevel
        tracer.extract(request.headers, into: &trace, using: HTTPFieldsPropagation())
        trace.engineTracer = tracer
        let span = tracer.startAnySpan(
            request.method.rawValue, context: trace, ofKind: .server, at: DefaultTracerClock.now, function: #function, file: #fileID, line: #line)
        defer { span.end() }
        // Through EngineSpan: `span.attributes[key] =` copies every attribute set so far.
        let annotated = EngineSpan(span)
        annotated.set("http.request.method", request.method.rawValue)
        annotated.set("url.path", request.uri.path)
        if let agent = request.headers[.userAgent] { annotated.set("user_agent.original", agent) }
        if let id = request.headers[HTTPField.Name("x-request-id")!] { annotated.set("strata.request_id", id) }
        var bound = span.context
        bound.requestSpan = span
        do {
            var response = try await InstrumentationContext.$current.withValue(bound) {
                try await inner.respond(to: request, context: context)
            }
            finish(span, status: Int(response.status.code))
            tracer.inject(span.context, into: &response.headers, using: HTTPFieldsPropagation())
            return response
        } catch {
            let status = (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500
            finish(span, status: status)
            if status >= 500 { span.recordError(error) }
            throw error
        }
    }

    private func finish(_ span: any Span, status: Int) {
        EngineSpan(span).set("http.response.status_code", status)
        // OpenTelemetry's HTTP conventions: a 4xx is the client's error, not the server span's.
        if status >= 500 { span.setStatus(SpanStatus(code: .error, message: "HTTP \(status)")) }
    }
}

/// Reads and writes propagated trace fields (`traceparent`, `tracestate`) in HTTP headers.
struct HTTPFieldsPropagation: Extractor, Injector {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }

    func inject(_ value: String, forKey key: String, into carrier: inout HTTPFields) {
        if let name = HTTPField.Name(key) { carrier[name] = value }
    }
}
