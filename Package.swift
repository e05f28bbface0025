// swift-tools-version:6.1
import Foundation
import PackageDescription

/// Code generation for the hot modules (kernels and graph).
///
/// Swift on Linux targets baseline x86-64 (SSE2) unless told otherwise, which turns
/// `SIMD.addProduct` into per-lane library calls. When the building machine has AVX2 and
/// FMA, the hot modules are compiled for Haswell (`ymm` registers, `vfmadd231ps`); the
/// `strata` executable checks at start-up that the running CPU has them too, and refuses to
/// run with a clear message instead of dying on an illegal instruction.
///
/// `STRATA_TARGET_CPU=<cpu>` overrides the choice (`generic` turns it off), for a binary
/// meant to be copied to other machines.
let hotTargetCPU: String? = {
    if let forced = ProcessInfo.processInfo.environment["STRATA_TARGET_CPU"] {
        return forced == "generic" || forced.isEmpty ? nil : forced
    }
    #if arch(x86_64) && os(Linux)
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return nil }
    let flags = Set(flagsLine.split(separator: " ").map(String.init))
    return flags.contains("avx2") && flags.contains("fma") ? "haswell" : nil
    #else
    return nil
    #endif
}()

let hotSettings: [SwiftSetting] = {
    var settings: [SwiftSetting] = []
    if let cpu = hotTargetCPU {
        settings.append(.unsafeFlags(["-target-cpu", cpu]))
        settings.append(.define("STRATA_AVX2"))
    }
    return settings
}()

/// Internal consistency checks (the store's lock order): on in debug builds, and in any build
/// made with `STRATA_INTERNAL_CHECKS=1` in the environment. They cost time on every lock, so
/// release builds leave them out.
let internalChecks: [SwiftSetting] = ProcessInfo.processInfo.environment["STRATA_INTERNAL_CHECKS"] == "1"
    ? [.define("STRATA_INTERNAL_CHECKS")]
    : [.define("STRATA_INTERNAL_CHECKS", .when(configuration: .debug))]

let package = Package(
    name: "Strata",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "StrataKernels", targets: ["StrataKernels"]),
        .library(name: "StrataIndex", targets: ["StrataIndex"]),
        .library(name: "StrataText", targets: ["StrataText"]),
        .library(name: "StrataCatalog", targets: ["StrataCatalog"]),
        .library(name: "StrataTransport", targets: ["StrataTransport"]),
        .library(name: "StrataEmbedding", targets: ["StrataEmbedding"]),
        .library(name: "StrataStore", targets: ["StrataStore"]),
        .library(name: "StrataAnalytics", targets: ["StrataAnalytics"]),
        .library(name: "StrataGeneration", targets: ["StrataGeneration"]),
        .library(name: "StrataServer", targets: ["StrataServer"]),
        .executable(name: "strata", targets: ["strata"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // SHA-256 content hashes for exact dedup; Hummingbird brings it in later anyway.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Node templates: spec-complete Mustache with partials and inheritance, no dependencies.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The service: HTTP on SwiftNIO, metrics exported for Prometheus, the config file.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's own transport; named here only to run request handlers on its event
        // loops (NIOSingletons), which saves two thread hops a request.
        .package(url: "https://github.com/apple/swift-nio", from: "2.86.0"),
        // The HTTP parts Hummingbird's pipeline carries, named for the connection guard that
        // sits in it (slow clients, lingering close); already resolved through Hummingbird.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // TLS to a PostgreSQL catalog (sslmode); already resolved through postgres-nio.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // The shared store of record for replicas (issue 7): PostgreSQL's wire protocol.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The span API the engine's modules call; already resolved through Hummingbird.
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    ],
    targets: [
        // OpenBLAS (cblas.h) and LAPACKE (lapacke.h). The module map links `openblas`
        // directly so that the reference BLAS behind Debian's alternatives is never picked.
        .systemLibrary(
            name: "CLinearAlgebra",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // Small C helpers Swift cannot express: CPU feature detection, prefetch,
        // hardware CRC-32C.
        .target(name: "CStrataShims"),
        .target(
            name: "StrataKernels",
            dependencies: ["CLinearAlgebra", "CStrataShims"],
            swiftSettings: hotSettings
        ),
        .target(
            name: "StrataIndex",
            dependencies: ["StrataKernels", "CStrataShims"],
            swiftSettings: hotSettings
        ),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // libcurl, with typed wrappers (shim.h) for the variadic curl_easy_setopt.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // The one tokenizer and word splitter for code and prose, the keyword tables and the
        // Python scanner, shared by the embedder, search re-ranking, ingest, the cluster report
        // and the validation gates. It depends on nothing.
        .target(name: "StrataText"),
        // The engine's spans (requests, search legs, catalog calls, embedding, generation
        // stages, provider calls) over swift-distributed-tracing's API, made only where the
        // running task carries a tracer; its own tracer, batching and OTLP encodings.
        .target(name: "StrataTracing", dependencies: [.product(name: "Tracing", package: "swift-distributed-tracing")]),
        // The store of record: the connection protocol over SQLite and PostgreSQL, migrations
        // written per dialect, connection settings, and the locks a store needs. The only
        // module that speaks either database's own SQL.
        .target(
            name: "StrataCatalog",
            dependencies: [
                "CSQLite", "StrataTracing",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // HTTP client over libcurl: transfers, a pool of them, retries with Retry-After. The
        // HTTP embedder and the generation providers both send through it.
        .target(name: "StrataTransport", dependencies: ["CCurl"]),
        // Texts to vectors: the sentence encoder (its forward pass on OpenBLAS sgemm), the
        // static embedder distilled from it, the hashed code embedder, HTTP embedders.
        .target(
            name: "StrataEmbedding",
            dependencies: [
                "StrataKernels", "StrataText", "StrataTransport", "CLinearAlgebra", "CStrataShims",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: hotSettings
        ),
        .target(
            name: "StrataStore",
            dependencies: [
                "StrataIndex", "StrataKernels", "StrataText", "StrataEmbedding", "StrataCatalog", "StrataTransport", "StrataTracing", "CStrataShims",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: internalChecks
        ),
        .target(
            name: "StrataAnalytics",
            dependencies: [
                "StrataStore", "StrataCatalog", "StrataText", "StrataIndex", "StrataKernels", "CLinearAlgebra",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: hotSettings
        ),
        .target(
            name: "StrataGeneration",
            dependencies: [
                "StrataAnalytics", "StrataStore", "StrataText", "StrataKernels", "StrataTransport", "StrataTracing",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "StrataServer",
            dependencies: [
                "StrataGeneration", "StrataAnalytics", "StrataStore", "StrataTransport", "StrataTracing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "strata",
            dependencies: [
                "StrataIndex",
                "StrataStore",
                "StrataAnalytics",
                "StrataGeneration",
                "StrataServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "strata-kernel-bench",
            dependencies: ["StrataKernels", "StrataIndex", "CLinearAlgebra"],
            path: "Benchmarks/KernelBenchmarks",
            swiftSettings: hotSettings
        ),
        .executableTarget(
            name: "strata-generation-bench",
            dependencies: ["StrataGeneration", "StrataAnalytics", "StrataStore"],
            path: "Benchmarks/GenerationBenchmarks"
        ),
        .executableTarget(
            name: "strata-replication-bench",
            dependencies: ["StrataStore", "StrataIndex"],
            path: "Benchmarks/ReplicationBenchmarks"
        ),
        // The sentence encoder's throughput (tokens/s) on a JSONL of texts; vectors out for
        // Benchmarks/encoder/compare.py.
        .executableTarget(
            name: "strata-embedding-bench",
            dependencies: ["StrataEmbedding"],
            path: "Benchmarks/EmbeddingBenchmarks"
        ),
        .executableTarget(
            name: "strata-analytics-bench",
            dependencies: ["StrataAnalytics", "StrataIndex", "StrataKernels"],
            path: "Benchmarks/AnalyticsBenchmarks"
        ),
        .testTarget(name: "StrataKernelsTests", dependencies: ["StrataKernels", "CStrataShims"]),
        .testTarget(name: "StrataIndexTests", dependencies: ["StrataIndex", "StrataTestSupport"]),
        .testTarget(name: "StrataTextTests", dependencies: ["StrataText"]),
        .testTarget(name: "StrataTracingTests", dependencies: ["StrataTracing", .product(name: "Tracing", package: "swift-distributed-tracing")]),
        .testTarget(name: "StrataEmbeddingTests", dependencies: ["StrataEmbedding", "StrataTestSupport", "CStrataShims"]),
        .testTarget(name: "StrataTransportTests", dependencies: ["StrataTransport", "StrataTestSupport"]),
        // Helpers shared by test targets (a loopback HTTP server, the catalog backends); a plain target because a
        // test target cannot depend on another test target.
        .target(name: "StrataTestSupport", dependencies: ["StrataStore", "StrataCatalog"], path: "Tests/StrataTestSupport"),
        .testTarget(name: "StrataCatalogTests", dependencies: ["StrataCatalog", "StrataTestSupport"]),
        .testTarget(name: "StrataStoreTests", dependencies: ["StrataStore", "StrataTestSupport"]),
        .testTarget(name: "StrataAnalyticsTests", dependencies: ["StrataAnalytics", "StrataStore", "StrataIndex", "StrataTestSupport"]),
        .testTarget(name: "StrataGenerationTests", dependencies: ["StrataGeneration", "StrataAnalytics", "StrataStore", "StrataTestSupport"]),
        .testTarget(name: "StrataServerTests", dependencies: [
            "StrataServer", "StrataStore", "StrataAnalytics", "StrataGeneration", "StrataCatalog", "StrataTestSupport", "StrataTracing",
            .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["explorer_browser_check.py"]),
        .testTarget(
            name: "strataTests", dependencies: ["strata", "StrataIndex", "StrataStore", "StrataAnalytics"],
            // Run by QdrantClientTests with the official client, not compiled.
            exclude: ["qdrant_client_check.py"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

