import ArgumentParser
import Foundation
import StrataAnalytics
import StrataIndex
import StrataStore

extension Strata {
    struct Cluster: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cluster the store's patterns into a report (HTML for people, JSON for tools), or cluster a vector file.",
            discussion: """
            On a store: strata cluster --report report.html [--json report.json] [--k N] [--filter EXPR]. A cosine store is \
            clustered with spherical k-means; without --k, k is chosen by silhouette. Each run is recorded in the store's \
            catalog, and the report says what moved since the previous run on the same filter; --history lists the runs.
            On a vector file: strata cluster --vectors FILE.fvecs|FILE.npy --k 64 --max-iter 25 --seed 1 --json out.json \
            writes {"k","n","iterations","seconds","inertia","sizes"}: plain k-means, inertia the sum of squared L2 \
            distances to the assigned centroids, every iteration run unless no assignment changes.
            """)

        @Option(name: .customLong("store"), help: "The store folder. Default: $STRATA_STORE, else ./.strata")
        var storeFolder: String?
        @Option(name: .customLong("catalog"), help: ArgumentHelp("The store's catalog when shared (postgres://…). Default: $STRATA_CATALOG, else the store folder's own.", valueName: "url"))
        var catalogText: String?
        @Option(help: "Cluster the vectors of this file (.fvecs or .npy) instead of a store.")
        var vectors: String?
        @Option(help: "Clusters; omitted, k is chosen by silhouette among 4…64.")
        var k: Int?
        @Option(help: "Only the patterns this filter accepts. Format: node_type=effect,quality>=0.7")
        var filter: String?
        @Option(help: "Seed of the k-means++ draws and samples.")
        var seed: UInt64 = 1
        @Option(name: .customLong("max-iter"), help: "k-means iterations at most.")
        var maxIterations: Int = 25

        @Option(help: "Runs from different seeds, the lowest inertia kept (k-means finds a local optimum; restarts help small, well-separated sets).")
        var restarts: Int = 1
        @Option(help: "Write the HTML report here.")
        var report: String?
        @Option(help: "Write the report's JSON here (with --vectors: the k-means summary).")
        var json: String?
        @Option(help: "With --vectors: write the centroids here (.fvecs).")
        var centroids: String?
        @Option(name: .customLong("duplicate-similarity"), help: "Cosine at or above which two patterns are near-duplicates.")
        var duplicateSimilarity: Double = 0.95
        @Option(name: .customLong("min-members"), help: "Members a cluster needs before it is proposed as one shared piece.")
        var minimumMembers: Int = 8
        @Flag(help: "List the recorded clustering runs of the store, newest first.")
        var history = false
        @Flag(name: .customLong("no-record"), help: "Do not record this run in the store's history (it is still compared with the last one).")
        var noRecord = false

        func validate() throws {
            if let k, k < 1 { throw ValidationError("--k must be at least 1") }
            if maxIterations < 1 { throw ValidationError("--max-iter must be at least 1") }
            if restarts < 1 { throw ValidationError("--restarts must be at least 1") }
            if vectors != nil {
                if filter != nil || report != nil || history {
                    throw ValidationError("--vectors clusters a file: --filter, --report and --history work on a store")
                }
            } else if centroids != nil {
                throw ValidationError("--centroids goes with --vectors")
            }
            if history, k != nil || filter != nil || report != nil {
                throw ValidationError("--history lists past runs; drop --k, --filter and --report")
            }
        }

        func run() throws {
            if let vectors { return try clusterFile(vectors) }
            let path = StoreOptions.path(storeFolder)
            let catalog = try AnalyticsCatalog.open(storeDirectory: path, catalog: StoreOptions.catalog(catalogText))
            let runs = try ClusterRunHistory(catalog: catalog)
            if history { return try listRuns(runs) }
            try clusterStore(path, history: runs)
        }

        private func clusterStore(_ path: String, history: ClusterRunHistory) throws {
            var settings = KMeansConfiguration(clusters: k, maxIterations: maxIterations, seed: seed)
            settings.restarts = restarts
            var reportSettings = ClusterReportConfiguration()
            reportSettings.duplicateSimilarity = duplicateSimilarity
            reportSettings.suggestionMinimumMembers = minimumMembers
            try reportSettings.validate()
            let store = try PatternStore.open(at: path, catalog: history.catalog.location)
            defer { try? store.close() }
            var clusterReport = try ClusterReport.generate(store: store, filter: filter ?? "", clustering: settings,
                                                           configuration: reportSettings, history: noRecord ? nil : history)
            var started = Date()
            if noRecord {
                clusterReport.changes = try history.changes(since: clusterReport)
                clusterReport.timings.history = Date().timeIntervalSince(started)
            }
            var steps = clusterReport.timings.steps
            if let report {
                started = Date()
                try write(Data(clusterReport.html().utf8), to: report)
                steps.append(("html", Date().timeIntervalSince(started)))
            }
            if let json {
                started = Date()
                try write(clusterReport.jsonData(), to: json)
                steps.append(("json", Date().timeIntervalSince(started)))
            }
            print(summary(clusterReport))
            note("timings: " + steps.map { "\($0.name) \(format($0.seconds, digits: 3)) s" }.joined(separator: ", "))
            for file in [report, json].compactMap({ $0 }) { note("wrote \(file)") }
        }

        private func summary(_ report: ClusterReport) -> String {
            var lines = ["clustered \(report.n) patterns into \(report.k) clusters"
                + " (\(report.spherical ? "spherical " : "")k-means, \(report.iterations) iterations, inertia \(format(report.inertia))"
                + (report.silhouette.map { ", silhouette \(format($0))" } ?? "") + ")"
                + (report.runID.map { ", run #\($0)" } ?? "")]
            lines.append(table(["#", "size", "cohesion", "quality", "node types", "distinctive words"], report.clusters.map { cluster in
                ["\(cluster.index)", "\(cluster.size)", format(cluster.cohesion, digits: 2), format(cluster.meanQuality, digits: 2),
                 cluster.nodeTypes.prefix(2).map { "\($0.name) \($0.count)" }.joined(separator: ", "),
                 cluster.distinctiveTokens.prefix(5).map(\.token).joined(separator: " ")]
            }))
            let grouped = report.duplicateGroups.reduce(0) { $0 + $1.members.count }
            lines.append("near-duplicate groups: \(report.duplicateGroups.count) (\(grouped) patterns)")
            if !report.suggestions.isEmpty {
                lines.append("suggestions:")
                lines += report.suggestions.map { "  - " + $0.text }
            }
            if let changes = report.changes {
                lines.append("since run #\(changes.previousRunID): \(changes.movedCount) moved, \(changes.addedPatterns) new, \(changes.removedPatterns) gone"
                    + ", \(changes.newClusters.count) new and \(changes.vanishedClusters.count) vanished clusters")
            }
            return lines.joined(separator: "\n")
        }

        private func listRuns(_ history: ClusterRunHistory) throws {
            let runs = try history.runs()
            if let json {
                let objects: [[String: Any]] = runs.map { run in
                    ["id": run.id, "created_at": ISO8601DateFormatter().string(from: run.createdAt), "filter": run.filter, "k": run.k, "n": run.n,
                     "inertia": run.inertia, "silhouette": run.silhouette.map { $0 as Any } ?? NSNull(), "sizes": run.sizes]
                }
                try write(try JSONSerialization.data(withJSONObject: ["runs": objects], options: [.sortedKeys, .withoutEscapingSlashes]), to: json)
            }
            guard !runs.isEmpty else { return print("no clustering runs recorded yet; run strata cluster --report report.html") }
            print(table(["run", "created", "filter", "k", "n", "inertia", "silhouette", "largest clusters"], runs.map { run in
                ["#\(run.id)", ISO8601DateFormatter().string(from: run.createdAt), run.filter.isEmpty ? "(all)" : run.filter, "\(run.k)", "\(run.n)",
                 format(run.inertia), run.silhouette.map { format($0) } ?? "-", run.sizes.prefix(6).map(String.init).joined(separator: " ")]
            }))
        }

        private func clusterFile(_ path: String) throws {
            let set = try VectorSet.read(contentsOf: path)
            // tolerance 0: the iterations asked for are run, unless no assignment changes.
            var settings = KMeansConfiguration(clusters: k, maxIterations: maxIterations, tolerance: 0, seed: seed, spherical: false)
            settings.restarts = restarts
            let result = try KMeans.fit(set, configuration: settings)
            if let json {
                let object: [String: Any] = ["k": result.k, "n": set.count, "iterations": result.iterations, "seconds": result.seconds,
                                             "inertia": result.inertia, "sizes": result.sizes]
                try write(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), to: json)
            }
            if let centroids { try TexmexFile.write(result.centroids, to: centroids) }
            print("k \(result.k)  n \(set.count)  iterations \(result.iterations)\(result.converged ? " (converged)" : "")  "
                + "seconds \(format(result.seconds))  inertia \(format(result.inertia, digits: 1))"
                + (result.silhouette.map { "  silhouette \(format($0))" } ?? ""))
            print("sizes: " + result.sizes.map(String.init).joined(separator: " "))
        }

        private func write(_ data: Data, to path: String) throws {
            do {
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw ValidationError("cannot write \(path): \(error.localizedDescription)")
            }
        }
    }
}
