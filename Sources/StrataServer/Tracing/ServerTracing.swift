import Foundation
import Logging
import StrataTracing
import StrataTransport
import Synchronization
import Tracing

/// The tracer of a service with tracing on (``ServerConfiguration/tracingEndpoint``) and its
/// exporter: finished spans are batched (``SpanBuffer``) and posted to the collector over
/// OTLP/HTTP by a thread of their own, through libcurl, with retries.
///
/// The tracer is the service's own, not bootstrapped process-wide: the request responder binds
/// it into each request's context (``TraceResponder``), where the engine's spans find it.
/// `OTEL_EXPORTER_OTLP_HEADERS` (`key=value,...`, URL-encoded values, as OpenTelemetry
/// specifies) adds headers to every export: a collector's token.
package final class ServerTracing: Sendable {
    package let tracer: EngineTracer
    private let buffer: SpanBuffer
    private let failures: ExportFailures

    /// The tracing `configuration` asks for, exporting in the background; nil when it is off.
    package init?(configuration: ServerConfiguration, logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let url = configuration.tracesURL else { return nil }
        let export = OTLPExport(
            resource: ["service.name": configuration.tracingServiceName, "telemetry.sdk.name": "strata", "telemetry.sdk.language": "swift"],
            encoding: configuration.tracingProtocol)
        let headers = ["Content-Type: " + export.encoding.contentType, "User-Agent: strata"] + Self.headers(environment["OTEL_EXPORTER_OTLP_HEADERS"])
        let failures = ExportFailures(logger: logger, url: url)
        self.failures = failures
        buffer = SpanBuffer(configuration: .init(delay: .milliseconds(Int64(configuration.tracingExportDelay * 1000)))) { spans in
            failures.post(CurlTransfer.Request(
                url: url, headers: headers, body: export.body(spans), timeout: .seconds(10), connectTimeout: .seconds(3), maxResponseBytes: 1 << 20),
                spans: spans.count)
        }
        tracer = EngineTracer(sampling: configuration.tracingSampling, buffer: buffer)
    }

    /// Sends what is left and stops the exporter; waits at most `seconds` for it.
    package func shutdown(seconds: Double = 5) {
        buffer.shutdown(timeout: .milliseconds(Int64(seconds * 1000)))
    }

    /// Spans not delivered: dropped from a full queue, or lost with a failed export.
    package var lostSpans: Int { buffer.dropped + failures.lost }

    /// `OTEL_EXPORTER_OTLP_HEADERS` as header lines.
    package static func headers(_ variable: String?) -> [String] {
        (variable ?? "").split(separator: ",").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            let name = parts[0].trimmingCharacters(in: .whitespaces), value = parts[1].trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? nil : "\(name): \(value.removingPercentEncoding ?? value)"
        }
    }
}

/// Posts export requests on the exporter's thread and keeps count of what could not be sent;
/// logs a failure when it starts and when it ends, not once per batch.
private final class ExportFailures: @unchecked Sendable {
    private let logger: Logger
    private let url: String
    // Touched only by the exporter's one thread, but for `lost`, read under the lock.
    private let state = Mutex<(lost: Int, failing: Bool)>((0, false))
    private var transfer: CurlTransfer?

    init(logger: Logger, url: String) {
        self.logger = logger
        self.url = url
    }

    var lost: Int { state.withLock { $0.lost } }

    func post(_ request: CurlTransfer.Request, spans: Int) {
        var problem: String?
        do throws(CurlTransfer.Failure) {
            if transfer == nil { transfer = try CurlTransfer() }
            guard let transfer else { return }
            let (outcome, _) = transfer.perform(request, retrying: HTTPRetryPolicy(maxRetries: 2, baseDelay: .milliseconds(200), maxDelay: .seconds(2)))
            switch outcome {
            case let .response(response) where (200..<300).contains(response.status): break
            case let .response(response): problem = "the collector answered \(response.status): \(HTTPBodyText.excerpt(response.body))"
            case let .failure(failure): problem = failure.description
            }
        } catch {
            problem = error.description
        }
        let (wasFailing, lost) = state.withLock { state in
            defer {
                state.failing = problem != nil
                if problem != nil { state.lost += spans }
            }
            return (state.failing, state.lost)
        }
        if let problem, !wasFailing {
            logger.warning("spans cannot be sent to \(url): \(problem); they are dropped until it answers")
        } else if problem == nil, wasFailing {
            logger.notice("spans reach \(url) again; \(lost) were lost meanwhile")
        }
    }
}
