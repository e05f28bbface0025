import Dispatch
import Logging
import OTel
import ServiceLifecycle
import Synchronization
import Tracing

/// The tracer of a service with tracing on (``ServerConfiguration/tracingEndpoint``), and
/// its exporter: spans are batched and posted over OTLP/HTTP by swift-otel, in the background,
/// from start until ``shutdown()``.
///
/// The tracer is the service's own, not bootstrapped process-wide: the request responder
/// binds it into each request's context (``TraceResponder``), where the engine's spans find
/// it. `OTEL_*` environment variables (headers, timeouts, the batch sizes) apply over the
/// configuration, as OpenTelemetry specifies.
package final class ServerTracing: Sendable {
    package let tracer: any Tracer
    private let group: ServiceGroup
    /// The exporter's services, running until a shutdown has sent what was left.
    private let running: Task<Void, Never>
    private let finished = FinishFlag()

    /// The tracing `configuration` asks for, exporting in the background; nil when it is off.
    package init?(configuration: ServerConfiguration, logger: Logger) throws(ServerError) {
        guard let url = configuration.tracesURL else { return nil }
        var settings = OTel.Configuration.default
        settings.serviceName = configuration.tracingServiceName
        settings.logs.enabled = false
        settings.metrics.enabled = false
        settings.traces.enabled = true
        settings.traces.exporter = .otlp
        settings.traces.otlpExporter.endpoint = url
        settings.traces.otlpExporter.protocol = configuration.tracingProtocol == "http/json" ? .httpJSON : .httpProtobuf
        // A caller's sampled flag decides for its trace; the ratio, for traces started here.
        settings.traces.sampler = .parentBasedTraceIDRatio(ratio: configuration.tracingSampling) ?? .parentBasedAlwaysOn
        settings.traces.batchSpanProcessor.scheduleDelay = .milliseconds(Int64(configuration.tracingExportDelay * 1000))
        settings.diagnosticLogger = .custom(logger)
        settings.diagnosticLogLevel = .warning
        let backend: (factory: any Tracer, service: any Service)
        do {
            let made = try OTel.makeTracingBackend(configuration: settings)
            backend = (made.factory, made.service)
        } catch {
            throw .configuration("tracing to \(url) cannot start: \(error)")
        }
        tracer = backend.factory
        let group = ServiceGroup(services: [backend.service], logger: logger)
        self.group = group
        running = Task { [finished] in
            do { try await group.run() } catch { logger.error("the span exporter stopped: \(error)") }
            finished.value.withLock { $0 = true }
        }
    }

    /// Sends what is left and stops the exporter, waiting at most `seconds` for it: for a
    /// thread outside Swift concurrency's pool (the command's main thread), whose tasks do
    /// the sending. Returns at once when already stopped.
    package func shutdown(seconds: Double = 5) {
        guard !finished.value.withLock({ $0 }) else { return }
        let done = DispatchSemaphore(value: 0)
        Task { [self] in
            await shutdown()
            done.signal()
        }
        _ = done.wait(timeout: .now() + seconds)
    }

    /// Sends what is left and stops the exporter.
    package func shutdown() async {
        await group.triggerGracefulShutdown()
        await running.value
    }
}

/// Whether the exporter has stopped, shared with the task that runs it.
private final class FinishFlag: Sendable {
    let value = Mutex(false)
}
