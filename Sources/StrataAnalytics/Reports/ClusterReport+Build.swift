import Foundation
import StrataIndex
import StrataKernels
import StrataStore

extension ClusterReport {
    /// The report on `snapshot` as clustered by `clustering` (run on the snapshot's vectors,
    /// in the same order).
    ///
    /// Clusters are renumbered largest first; empty clusters are left out. Cohesion,
    /// exemplars and near-duplicates use cosine similarity whatever the store's metric.
    ///
    /// - Parameters:
    ///   - filter: the filter expression the snapshot was read with, for the record.
    /// - Throws: ``AnalyticsError/invalidArgument(name:value:expected:)`` when the clustering
    ///   does not match the snapshot or a setting is out of range.
    /// - Complexity: O(n × d) for the summaries, Σ size² × d for the near-duplicates, O(n × d²)
    ///   for the map's components, O(text) for the words.
    public static func build(snapshot: PatternSnapshot, clustering: KMeansResult, filter: String = "",
                             configuration: ClusterReportConfiguration = ClusterReportConfiguration()) throws(AnalyticsError) -> ClusterReport {
        try configuration.validate()
        let n = snapshot.patterns.count
        let d = snapshot.vectors.dimension
        guard clustering.assignments.count == n, snapshot.vectors.count == n else {
            throw .invalidArgument(name: "clustering", value: "\(clustering.assignments.count) assignments",
                                   expected: "one per pattern of the snapshot (\(n)); cluster the snapshot's own vectors")
        }
        guard clustering.centroids.dimension == d else {
            throw .invalidArgument(name: "centroid dimension", value: "\(clustering.centroids.dimension)", expected: "\(d), the snapshot's dimension")
        }
        var timings = Timings()
        var clock = Stopwatch()

        // Largest cluster first; empty ones dropped.
        let order = (0..<clustering.k).filter { clustering.sizes[$0] > 0 }
            .sorted { clustering.sizes[$0] != clustering.sizes[$1] ? clustering.sizes[$0] > clustering.sizes[$1] : $0 < $1 }
        var renumber = [Int32](repeating: -1, count: clustering.k)
        for (position, old) in order.enumerated() { renumber[old] = Int32(position) }
        let assignments = clustering.assignments.map { renumber[Int($0)] }
        let k = order.count
        var centroids = [Float](repeating: 0, count: k * d)
        for (position, old) in order.enumerated() {
            for i in 0..<d { centroids[position * d + i] = clustering.centroids.values[old * d + i] }
            centroids.withUnsafeMutableBufferPointer { _ = Kernels.normalize($0.baseAddress! + position * d, count: d) }
        }
        let unit = unitRows(snapshot.vectors)
        var members = [[Int]](repeating: [], count: k)
        for row in 0..<n { members[Int(assignments[row])].append(row) }
        var similarity = [Float](repeating: 0, count: n)
        unit.values.withUnsafeBufferPointer { rows in
            centroids.withUnsafeBufferPointer { centres in
                for row in 0..<n {
                    similarity[row] = Kernels.dot(rows.baseAddress! + row * d, centres.baseAddress! + Int(assignments[row]) * d, count: d)
                }
            }
        }
        var clusters = (0..<k).map { cluster in
            summary(cluster, members: members[cluster], patterns: snapshot.patterns, similarity: similarity, configuration: configuration)
        }
        timings.summaries = clock.lap()

        let index = TokenIndex(texts: snapshot.patterns.map(\.text), minimumLength: configuration.minimumTokenLength)
        var counts: [Int32] = []
        for cluster in 0..<k {
            clusters[cluster].distinctiveTokens = index.distinctive(members[cluster], limit: configuration.distinctiveTokens, counts: &counts)
        }
        timings.tokens = clock.lap()

        let groups = NearDuplicates.groups(unit: unit.values, dimension: d, members: members, threshold: configuration.duplicateSimilarity)
        var duplicateGroups: [DuplicateGroup] = []
        for group in groups {
            let cluster = Int(assignments[group.rows[0]])
            let marking = clusters[cluster].distinctiveTokens.map(\.token)
            let types: [NodeType] = group.rows.map { snapshot.patterns[$0].nodeType }
            duplicateGroups.append(DuplicateGroup(
                cluster: cluster, members: group.rows.map { snapshot.patterns[$0].id },
                minimumSimilarity: Double(group.minimumSimilarity),
                sharedTokens: index.shared(by: group.rows, preferring: marking, limit: 6),
                nodeType: mostCommon(types) ?? .none))
        }
        duplicateGroups.sort { $0.members.count != $1.members.count ? $0.members.count > $1.members.count : $0.members[0] < $1.members[0] }
        timings.duplicates = clock.lap()

        let map = try ClusterMap.make(unit: unit, ids: snapshot.patterns.map(\.id), assignments: assignments,
                                      centroids: VectorSet(dimension: d, values: centroids),
                                      sample: configuration.mapSample, seed: configuration.seed)
        timings.pca = clock.lap()

        var report = ClusterReport(
            runID: nil, createdAt: Date(), filter: filter, n: n, dimension: d, spherical: false,
            inertia: clustering.inertia, silhouette: clustering.silhouette, iterations: clustering.iterations, seed: 0,
            clusters: clusters, assignments: assignments, patternIDs: snapshot.patterns.map(\.id), centroids: centroids,
            duplicateGroups: duplicateGroups, suggestions: [], map: map, changes: nil, timings: timings)
        report.suggestions = report.makeSuggestions(meanQuality: snapshot.patterns.map(\.quality).mean, configuration: configuration)
        return report
    }

    /// One cluster's numbers, words left for the TF-IDF pass.
    private static func summary(_ cluster: Int, members: [Int], patterns: [Pattern], similarity: [Float],
                                configuration: ClusterReportConfiguration) -> ClusterSummary {
        let nearest = members.sorted { similarity[$0] != similarity[$1] ? similarity[$0] > similarity[$1] : $0 < $1 }
            .prefix(configuration.exemplars)
        let quality = members.map { patterns[$0].quality }
        let meanQuality = quality.mean
        let variance = quality.map { ($0 - meanQuality) * ($0 - meanQuality) }.mean
        return ClusterSummary(
            index: cluster, size: members.count,
            cohesion: members.map { Double(similarity[$0]) }.mean,
            exemplars: nearest.map { row in
                Exemplar(id: patterns[row].id, name: patterns[row].name, excerpt: excerpt(patterns[row].text, limit: configuration.excerptLength),
                         similarity: Double(similarity[row]))
            },
            distinctiveTokens: [],
            nodeTypes: shares(members.map { patterns[$0].nodeType.rawValue }),
            domains: shares(members.map { patterns[$0].domain.isEmpty ? "(none)" : patterns[$0].domain }),
            meanQuality: meanQuality, qualitySpread: variance.squareRoot(),
            meanSuccessRate: members.map { patterns[$0].successRate }.mean)
    }

    /// Counts of each value, most common first (ties by name).
    static func shares(_ values: [String]) -> [Share] {
        var counts: [String: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        return counts.map { Share(name: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
    }

    /// The node type of at least half of `types`.
    static func mostCommon(_ types: [NodeType]) -> NodeType? {
        shares(types.map(\.rawValue)).first.flatMap { 2 * $0.count >= types.count ? NodeType(rawValue: $0.name) : nil }
    }

    /// The first lines of `text`, blank lines skipped, cut at `limit` characters.
    static func excerpt(_ text: String, limit: Int) -> String {
        var lines: [Substring] = []
        var length = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true)
        where !line.allSatisfy(\.isWhitespace) {
            if length + line.count > limit {
                if lines.isEmpty { lines.append(line.prefix(limit - 1) + "…") } else { lines.append("…") }
                break
            }
            lines.append(line)
            length += line.count + 1
        }
        return lines.joined(separator: "\n")
    }

    /// Unit-length copies of the rows (a zero row stays zero).
    static func unitRows(_ vectors: VectorSet) -> VectorSet {
        var copy = vectors
        let d = vectors.dimension
        copy.values.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<vectors.count { _ = Kernels.normalize(buffer.baseAddress! + row * d, count: d) }
        }
        return copy
    }
}

extension [Double] {
    /// The arithmetic mean; 0 for no values.
    var mean: Double { isEmpty ? 0 : reduce(0, +) / Double(count) }
}

/// Wall-clock laps for the report's timing split.
struct Stopwatch {
    private var last = DispatchTime.now().uptimeNanoseconds

    /// Seconds since the previous lap (or the start).
    mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e9
    }
}
