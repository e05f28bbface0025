import Foundation
import StrataStore

/// A past clustering run as the catalog keeps it.
public struct ClusterRunRecord: Sendable, Equatable {
    /// The run's id, increasing with time.
    public var id: Int64
    /// When the clustering ran.
    public var createdAt: Date
    /// The filter expression (empty: every pattern).
    public var filter: String
    /// Clusters.
    public var k: Int
    /// Patterns clustered.
    public var n: Int
    /// Vector dimension.
    public var dimension: Int
    /// Whether it was spherical (cosine) k-means.
    public var spherical: Bool
    /// k-means inertia.
    public var inertia: Double
    /// Mean silhouette of a sample, when k was chosen by silhouette.
    public var silhouette: Double?
    /// Members per cluster, in that run's cluster order.
    public var sizes: [Int]
}

/// The clustering runs of a store, in its catalog: each run's time, k, filter, per-cluster
/// summaries, centroids and every pattern's cluster, so a later report can say what moved.
///
/// Tables (component `cluster_runs`): `cluster_runs` (one row a run, centroids as a float
/// blob, cluster summaries as JSON) and `cluster_run_assignments` (run, pattern id, cluster).
///
/// - Important: Not thread-safe, like the ``AnalyticsCatalog`` it writes to.
public struct ClusterRunHistory: Sendable {
    /// The catalog the runs are kept in.
    public let catalog: AnalyticsCatalog

    static let migrations = [
        """
        CREATE TABLE cluster_runs(
            id INTEGER PRIMARY KEY,
            created_at REAL NOT NULL,
            filter TEXT NOT NULL,
            k INTEGER NOT NULL,
            n INTEGER NOT NULL,
            dimension INTEGER NOT NULL,
            spherical INTEGER NOT NULL,
            seed INTEGER NOT NULL,
            inertia REAL NOT NULL,
            silhouette REAL,
            centroids BLOB NOT NULL,
            clusters TEXT NOT NULL
        );
        CREATE INDEX cluster_runs_by_filter ON cluster_runs(filter, id);
        CREATE TABLE cluster_run_assignments(
            run INTEGER NOT NULL REFERENCES cluster_runs(id) ON DELETE CASCADE,
            pattern_id TEXT NOT NULL,
            cluster INTEGER NOT NULL,
            PRIMARY KEY(run, pattern_id)
        ) WITHOUT ROWID;
        """,
    ]

    /// Opens the history in `catalog`, creating its tables the first time.
    public init(catalog: AnalyticsCatalog) throws(AnalyticsError) {
        self.catalog = catalog
        try catalog.migrate(component: "cluster_runs", steps: Self.migrations)
    }

    /// Past runs, newest first.
    ///
    /// - Parameters:
    ///   - filter: only runs on this filter expression; `nil`: all.
    ///   - limit: at most this many.
    public func runs(filter: String? = nil, limit: Int = 100) throws(AnalyticsError) -> [ClusterRunRecord] {
        try catalog.run { () throws(StoreError) in
            let columns = "id, created_at, filter, k, n, dimension, spherical, inertia, silhouette, clusters"
            let statement = if let filter {
                try catalog.database.statement("SELECT \(columns) FROM cluster_runs WHERE filter = ? ORDER BY id DESC LIMIT ?").bind(1, filter).bind(2, limit)
            } else {
                try catalog.database.statement("SELECT \(columns) FROM cluster_runs ORDER BY id DESC LIMIT ?").bind(1, limit)
            }
            return try statement.rows { row in
                ClusterRunRecord(
                    id: row.int64(0), createdAt: Date(timeIntervalSince1970: row.double(1)), filter: row.string(2),
                    k: row.int(3), n: row.int(4), dimension: row.int(5), spherical: row.int(6) != 0,
                    inertia: row.double(7), silhouette: row.optionalDouble(8), sizes: Self.sizes(fromSummaryJSON: row.string(9)))
            }
        }
    }

    /// Binds and runs the insert of a run on the statement's own type (a chain of bindings
    /// through `any CatalogStatement` costs the optimizer minutes).
    private static func insertRun(_ report: ClusterReport, summaries: String, into statement: some CatalogStatement) throws(StoreError) -> Int64? {
        try statement
            .bind(1, report.createdAt.timeIntervalSince1970).bind(2, report.filter).bind(3, report.k).bind(4, report.n)
            .bind(5, report.dimension).bind(6, report.spherical ? 1 : 0).bind(7, Int64(bitPattern: report.seed))
            .bind(8, report.inertia).bind(9, report.silhouette).bind(10, floats: report.centroids).bind(11, summaries)
            .runReturning()
    }

    /// Stores `report` as a new run and returns its id.
    @discardableResult
    public func record(_ report: ClusterReport) throws(AnalyticsError) -> Int64 {
        let summaries = String(decoding: (try? JSONSerialization.data(withJSONObject: report.clusters.map { $0.historyObject }, options: [.sortedKeys])) ?? Data("[]".utf8), as: UTF8.self)
        return try catalog.transaction { () throws(StoreError) in
            let id = try Self.insertRun(report, summaries: summaries, into: catalog.database.statement("""
                INSERT INTO cluster_runs(created_at, filter, k, n, dimension, spherical, seed, inertia, silhouette, centroids, clusters)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """))
            guard let id else { throw .catalog(problem: "the cluster run was not stored (no id came back)") }
            for (row, pattern) in report.patternIDs.enumerated() {
                try catalog.database.statement("INSERT INTO cluster_run_assignments(run, pattern_id, cluster) VALUES(?, ?, ?)")
                    .bind(1, id).bind(2, pattern).bind(3, Int(report.assignments[row])).run()
            }
            return id
        }
    }

    /// The centroids of run `id`, `k × dimension` row-major.
    public func centroids(run id: Int64) throws(AnalyticsError) -> [Float] {
        let found = try catalog.run { () throws(StoreError) in
            try catalog.database.statement("SELECT centroids FROM cluster_runs WHERE id = ?").bind(1, id).rows { $0.floats(0) }
        }
        guard let centroids = found.first else { throw .unknown(kind: "cluster run", name: "\(id)", known: try runs(limit: 12).map { "\($0.id)" }) }
        return centroids
    }

    /// Every pattern's cluster in run `id`.
    public func assignments(run id: Int64) throws(AnalyticsError) -> [String: Int32] {
        let pairs = try catalog.run { () throws(StoreError) in
            try catalog.database.statement("SELECT pattern_id, cluster FROM cluster_run_assignments WHERE run = ?").bind(1, id)
                .rows { ($0.string(0), Int32($0.int(1))) }
        }
        return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    /// What changed since the newest recorded run on `report`'s filter and dimension, or
    /// `nil` when there is none.
    public func changes(since report: ClusterReport) throws(AnalyticsError) -> ClusterChanges? {
        guard let previous = try runs(filter: report.filter, limit: 50).first(where: { $0.dimension == report.dimension && $0.id != report.runID }) else {
            return nil
        }
        return ClusterChanges.compare(report, previousRunID: previous.id, previousCreatedAt: previous.createdAt,
                                      previousCentroids: try centroids(run: previous.id), previousSizes: previous.sizes,
                                      previousAssignments: try assignments(run: previous.id))
    }

    static func sizes(fromSummaryJSON text: String) -> [Int] {
        let objects = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] ?? []
        return objects.map { $0["size"] as? Int ?? 0 }
    }
}

extension ClusterSummary {
    /// What the history keeps of a cluster.
    var historyObject: [String: Any] {
        ["index": index, "size": size, "cohesion": cohesion, "mean_quality": meanQuality,
         "tokens": distinctiveTokens.prefix(5).map(\.token)]
    }
}
