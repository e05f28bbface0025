import Foundation
import StrataTracing

extension ServerConfiguration {
    /// Applies one of the `tracing_*` keys, or says what the value should have been.
    mutating func applyTracing(_ key: String, _ value: String, source: String) throws(ServerError) {
        switch key {
        case "tracing_endpoint":
            guard !value.isEmpty else {
                tracingEndpoint = nil
                return
            }
            guard let url = URLComponents(string: value), ["http", "https"].contains(url.scheme ?? ""), url.host?.isEmpty == false else {
                throw .configuration("\(source): tracing_endpoint \"\(value)\" must be an http:// or https:// URL of an OTLP/HTTP collector, such as http://127.0.0.1:4318")
            }
            tracingEndpoint = value
        case "tracing_sampling":
            guard let ratio = Double(value), (0...1).contains(ratio) else {
                throw .configuration("\(source): tracing_sampling \"\(value)\" must be a share of traces from 0 to 1 (1: every trace)")
            }
            tracingSampling = ratio
        case "tracing_protocol":
            guard let encoding = OTLPExport.Encoding(rawValue: value) else {
                let known = OTLPExport.Encoding.allCases.map(\.rawValue).joined(separator: ", ")
                throw .configuration("\(source): tracing_protocol \"\(value)\" must be one of \(known)")
            }
            tracingProtocol = encoding
        default:
            guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .configuration("\(source): tracing_service_name must not be empty")
            }
            tracingServiceName = value
        }
    }

    /// Where the exporter posts: ``tracingEndpoint`` with `/v1/traces`, as OpenTelemetry's
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` is read, unless it already names that path.
    package var tracesURL: String? {
        guard let endpoint = tracingEndpoint else { return nil }
        if endpoint.hasSuffix("/v1/traces") { return endpoint }
        return endpoint.hasSuffix("/") ? endpoint + "v1/traces" : endpoint + "/v1/traces"
    }
}
