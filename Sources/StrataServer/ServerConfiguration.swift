import Foundation
import StrataKernels
import StrataStore
import StrataTracing
import Yams

/// How `strata serve` runs: where it listens, which store it serves, what it accepts.
///
/// Read in layers, each overriding the one before: the defaults; the config file's top-level
/// keys; the file's section for the environment (`environments.<name>`); `STRATA_*`
/// environment variables; command-line flags.
///
/// ```yaml
/// port: 8765
/// store: .strata
/// environments:
///   prod:
///     host: 0.0.0.0
///     api_key_env: STRATA_API_KEY
/// ```
public struct ServerConfiguration: Sendable, Equatable {
    /// Default 127.0.0.1: only this machine, unless told otherwise.
    public var host: String = "127.0.0.1"
    /// Default 8765.
    public var port: Int = 8765
    /// The store folder. Default `.strata`.
    public var store: String = ".strata"
    /// The store's catalog when not the folder's own: `postgres://user@host:port/db` for a
    /// replica of a shared store.
    public var catalog: String?
    /// Where `POST /v1/generate` writes nodes; default `<store>/generated`.
    public var output: String?
    /// The environment whose section of the config file applies: dev, staging, prod.
    public var environment: String = "dev"
    /// When set, writes need it in the `api-key` header (or `Authorization: Bearer`).
    public var apiKey: String?
    /// The largest request body accepted, in bytes. Default 32 MiB.
    public var maxBodyBytes: Int = ServerConfiguration.defaultMaxBodyBytes
    /// The default of ``maxBodyBytes``: 32 MiB.
    public static let defaultMaxBodyBytes = 32 << 20
    /// A connection silent for this many seconds is closed, so a client that stops sending
    /// in the middle of a request cannot hold the server. Default 30.
    public var idleTimeout: Double = 30
    /// A request not answered within this many seconds gets a 503 saying so. Default 60
    /// (a generation that calls a model provider takes seconds; a search, milliseconds).
    public var requestTimeout: Double = 60
    /// A request head must arrive whole within this many seconds of the connection opening or
    /// of the previous answer, however steadily it trickles (slow-loris). Default 30.
    public var headerTimeout: Double = 30
    /// A request body must arrive whole within this many seconds of its head. Default 120.
    public var bodyTimeout: Double = 120
    /// After an answer sent before its request's body ended (a 413), the server keeps reading
    /// and discarding that body for at most this many seconds before it closes, so clients
    /// that write everything before reading still see the answer. Default 10.
    public var lingerSeconds: Double = 10
    /// …and at most this many bytes: four times ``maxBodyBytes``.
    public var lingerBytes: Int { maxBodyBytes.multipliedReportingOverflow(by: 4).overflow ? Int.max : maxBodyBytes * 4 }
    /// Read every cold segment file into memory in the background at start-up, so that the
    /// first searches on a freshly booted machine do not wait on the disk. Default false.
    public var preload = false
    /// Threads a long job (a cluster run) may use: by default one fewer than the cores, so
    /// that searches always find a core free while it runs (at least 1).
    public var jobThreads = max(1, Parallel.coreCount - 1)
    /// The alert rules and webhooks (``AlertConfiguration``, a YAML file); default
    /// `<store>/alerts.yaml` when there is one.
    public var alerts: String?
    /// Where spans go, over OTLP/HTTP: a collector's base URL (`http://127.0.0.1:4318`; spans
    /// are posted to its `/v1/traces`). Default nil: tracing off, and no span is made.
    public var tracingEndpoint: String?
    /// The share of traces started here that are kept, 0 to 1. A request that arrives with a
    /// W3C `traceparent` follows its caller's decision instead. Default 1.
    public var tracingSampling: Double = 1
    /// The encoding spans are sent in: `http/protobuf` (the default) or `http/json`.
    public var tracingProtocol: OTLPExport.Encoding = .protobuf
    /// The `service.name` of the spans. Default `strata`.
    public var tracingServiceName: String = "strata"
    /// Seconds a finished span may wait to be sent with others. Default 5 (OpenTelemetry's).
    public var tracingExportDelay: Double = 5

    public init() {}

    /// The alerting to run: the file ``alerts`` names, else the store's `alerts.yaml`; nil
    /// when there is neither.
    ///
    /// - Throws: what ``AlertConfiguration/load(_:)`` throws for a file that is not valid.
    public func alertConfiguration() throws(ServerError) -> AlertConfiguration? {
        let path = alerts ?? (store + "/alerts.yaml")
        guard alerts != nil || FileManager.default.fileExists(atPath: path) else { return nil }
        return try AlertConfiguration.load(path)
    }

    /// The keys a file section and `STRATA_<KEY>` variables may set.
    static let keys = [
        "host", "port", "store", "catalog", "output", "environment", "api_key", "max_body_bytes", "idle_timeout", "request_timeout", "header_timeout",
        "body_timeout", "linger_seconds", "preload", "job_threads", "alerts", "tracing_endpoint", "tracing_sampling", "tracing_protocol",
        "tracing_service_name", "tracing_export_delay",
    ]

    /// Applies `values` (config keys to their text), naming the source in errors.
    mutating func apply(_ values: [String: String], source: String) throws(ServerError) {
        for (key, value) in values {
            switch key {
            case "host": host = value
            case "port":
                guard let number = Int(value), (1...65_535).contains(number) else {
                    throw .configuration("\(source): port \"\(value)\" is not a port number (1-65535)")
                }
                port = number
            case "store": store = value
            case "catalog":
                if !value.isEmpty {
                    do {
                        _ = try CatalogLocation(parsing: value)
                    } catch {
                        throw .configuration("\(source): catalog: \(error)")
                    }
                }
                catalog = value.isEmpty ? nil : value
            case "output": output = value
            case "alerts": alerts = value.isEmpty ? nil : value
            case "tracing_endpoint", "tracing_sampling", "tracing_protocol", "tracing_service_name":
                try applyTracing(key, value, source: source)
            case "environment": environment = value
            case "api_key": apiKey = value.isEmpty ? nil : value
            case "max_body_bytes":
                guard let number = Int(value), number >= 1024 else {
                    throw .configuration("\(source): max_body_bytes \"\(value)\" must be a whole number of bytes, at least 1024")
                }
                maxBodyBytes = number
            case "idle_timeout": idleTimeout = try Self.seconds(value, key: key, source: source)
            case "request_timeout": requestTimeout = try Self.seconds(value, key: key, source: source)
            case "header_timeout": headerTimeout = try Self.seconds(value, key: key, source: source)
            case "body_timeout": bodyTimeout = try Self.seconds(value, key: key, source: source)
            case "linger_seconds": lingerSeconds = try Self.seconds(value, key: key, source: source)
            case "tracing_export_delay": tracingExportDelay = try Self.seconds(value, key: key, source: source)
            case "preload":
                guard let flag = ["true": true, "yes": true, "1": true, "false": false, "no": false, "0": false][value.lowercased()] else {
                    throw .configuration("\(source): preload \"\(value)\" must be true or false")
                }
                preload = flag
            case "job_threads":
                guard let number = Int(value), (1...1_024).contains(number) else {
                    throw .configuration("\(source): job_threads \"\(value)\" must be a whole number of threads, 1 to 1024")
                }
                jobThreads = number
            default:
                throw .configuration("\(source): unknown key \"\(key)\"; known keys: \(Self.keys.joined(separator: ", "))")
            }
        }
    }

    /// A positive, finite number of seconds, or an error naming the key and its source.
    private static func seconds(_ value: String, key: String, source: String) throws(ServerError) -> Double {
        guard let number = Double(value), number > 0, number.isFinite else {
            throw .configuration("\(source): \(key) \"\(value)\" must be seconds, more than 0")
        }
        return number
    }

    /// The configuration from the layers: defaults, `file` (top level, then the environment's
    /// section), `STRATA_*` variables, then `overrides` (the flags, config keys to text).
    ///
    /// The environment is chosen by the flag, else `STRATA_ENVIRONMENT`, else the file's
    /// top-level `environment`, else dev.
    public static func load(
        file: String?, environment variables: [String: String] = ProcessInfo.processInfo.environment, overrides: [String: String] = [:]
    ) throws(ServerError) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        var sections: [String: [String: String]] = [:]
        if let file {
            let (topLevel, environments) = try read(file)
            try configuration.apply(topLevel, source: file)
            sections = environments
        }
        let fromVariables = Dictionary(uniqueKeysWithValues: keys.compactMap { key in
            variables["STRATA_" + key.uppercased()].map { (key, $0) }
        })
        configuration.environment = overrides["environment"] ?? fromVariables["environment"] ?? configuration.environment
        if let file, !sections.isEmpty, sections[configuration.environment] == nil {
            throw .configuration("\(file): no section for environment \"\(configuration.environment)\"; it has \(sections.keys.sorted().joined(separator: ", "))")
        }
        if let section = sections[configuration.environment], let file {
            try configuration.apply(section, source: "\(file) (environments.\(configuration.environment))")
        }
        try configuration.apply(fromVariables, source: "STRATA_* environment variables")
        try configuration.apply(overrides, source: "the command line")
        return configuration
    }

    private static func read(_ path: String) throws(ServerError) -> (topLevel: [String: String], environments: [String: [String: String]]) {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw .configuration("cannot read the config file \(path): \(error.localizedDescription)")
        }
        let parsed: Any?
        do { parsed = try Yams.load(yaml: text) } catch {
            throw .configuration("\(path) is not valid YAML: \(error)")
        }
        guard let root = parsed as? [String: Any] else {
            throw .configuration("\(path) must be a mapping of keys (host, port, store, ...) with an optional environments section")
        }
        var topLevel: [String: String] = [:]
        var environments: [String: [String: String]] = [:]
        for (key, value) in root {
            if key == "environments" {
                guard let sections = value as? [String: Any] else {
                    throw .configuration("\(path): environments must map names (dev, staging, prod) to sections of keys")
                }
                for (name, section) in sections {
                    guard let section = section as? [String: Any] else {
                        throw .configuration("\(path): environments.\(name) must be a mapping of keys")
                    }
                    environments[name] = section.mapValues { "\($0)" }
                }
            } else {
                topLevel[key] = "\(value)"
            }
        }
        return (topLevel, environments)
    }
}
