import ArgumentParser
import Dispatch
import Foundation
import StrataServer
import Synchronization

extension Strata {
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the store over HTTP: the native JSON API under /v1, a Qdrant-compatible API under /collections, the dashboard, /healthz, /readyz and /metrics.",
            discussion: """
            Settings come in layers: defaults, then --config FILE (YAML: top-level keys, then the section \
            environments.<env>), then STRATA_HOST, STRATA_PORT, STRATA_STORE, STRATA_ENVIRONMENT, STRATA_API_KEY, \
            STRATA_MAX_BODY_BYTES, STRATA_IDLE_TIMEOUT, STRATA_REQUEST_TIMEOUT, then these flags. Listens on 127.0.0.1:8765 unless told \
            otherwise. SIGTERM or SIGINT stops it gracefully: requests in flight finish, the store is flushed and closed.
            """)

        @Option(help: "A YAML config file.") var config: String?
        @Option(help: "The environment whose config section applies (dev, staging, prod).") var environment: String?
        @Option(help: "The address to listen on (default 127.0.0.1).") var host: String?
        @Option(help: "The port (default 8765).") var port: Int?
        @Option(help: "The store folder (default .strata).") var store: String?
        @Option(help: "The store's catalog when shared: postgres://user@host:port/db[?schema=name] (default: what the store folder holds).") var catalog: String?
        @Option(name: .customLong("max-body-bytes"), help: "The largest request body accepted.") var maxBodyBytes: Int?
        @Option(name: .customLong("request-timeout"), help: "Seconds before an unanswered request gets a 503 (default 60).") var requestTimeout: Double?
        @Flag(help: "Read every segment file into memory in the background at start-up, so the first searches do not wait on the disk.") var preload = false

        func run() throws {
            StrataService.runTasksOnEventLoops()
            var overrides: [String: String] = [:]
            overrides["environment"] = environment
            overrides["host"] = host
            overrides["port"] = port.map(String.init)
            overrides["store"] = store
            overrides["catalog"] = catalog
            overrides["max_body_bytes"] = maxBodyBytes.map(String.init)
            overrides["request_timeout"] = requestTimeout.map { String($0) }
            if preload { overrides["preload"] = "true" }
            let configuration = try ServerConfiguration.load(file: config, overrides: overrides)
            let service = try StrataService.open(configuration)
            let base = "http://\(configuration.host):\(configuration.port)"
            note("serving \(configuration.store) at \(base) (\(configuration.environment)); writes \(configuration.apiKey == nil ? "open" : "need the API key") unless the store has tenant keys (then every request needs one)")
            // Unbuffered: `make run` and scripts read it while the server runs.
            FileHandle.standardOutput.write(Data("dashboard: \(base)/dashboard\n".utf8))
            let failure = Mutex<(any Error)?>(nil)
            let done = DispatchSemaphore(value: 0)
            Task {
                do {
                    try await service.makeApplication().runService()
                } catch {
                    failure.withLock { $0 = error }
                }
                done.signal()
            }
            done.wait()
            try service.shutdown()
            if let error = failure.withLock({ $0 }) { throw error }
        }
    }
}
