import Foundation
import StrataStore
import Testing
import StrataTestSupport
import StrataAnalytics

@Suite struct ClusterRunHistoryTests {
    @Test(arguments: CatalogBackend.available) func aSecondRunSaysWhatMovedWhatIsNewAndWhatWasKept(_ backend: CatalogBackend) throws {
        // One shape per family: four tight clusters, so both runs find the same ones.
        try PatternFamilies.withStore(PatternFamilies.patterns(perFamily: 40, shapes: 1), backend: backend) { store, directory in
            let history = try ClusterRunHistory(catalog: AnalyticsCatalog.open(storeDirectory: directory))
            let settings = KMeansConfiguration(clusters: 4, seed: 5)
            let first = try ClusterReport.generate(store: store, clustering: settings, history: history)
            #expect(first.changes == nil)
            let firstID = try #require(first.runID)

            // Six kafka patterns are rewritten as database code, and 30 new http patterns arrive.
            let rewritten = (10..<16).map { "kafka-\($0)" }
            let databaseCode = PatternFamilies.patterns(perFamily: 6, families: 1..<2, shapes: 1, idOffset: 40)
            let replacements = zip(rewritten, databaseCode).map { id, pattern in
                var copy = pattern
                copy.id = id
                return copy
            }
            _ = try store.add(replacements, existing: .replace)
            _ = try store.add(PatternFamilies.patterns(perFamily: 30, families: 2..<3, shapes: 1, idOffset: 100))
            // Another filter's run in between must not be taken as "the previous run".
            _ = try ClusterReport.generate(store: store, filter: "node_type=compute", clustering: KMeansConfiguration(clusters: 2, seed: 5), history: history)
            let second = try ClusterReport.generate(store: store, clustering: settings, history: history)

            let changes = try #require(second.changes)
            #expect(changes.previousRunID == firstID)
            #expect(changes.addedPatterns == 30)
            #expect(changes.removedPatterns == 0)
            #expect(changes.matches.count == 4)
            #expect(changes.matches.allSatisfy { $0.similarity > 0.9 })
            #expect(changes.newClusters.isEmpty && changes.vanishedClusters.isEmpty)
            #expect(changes.movedCount == 6)
            #expect(changes.moves.map(\.id) == rewritten.sorted())
            let familiesNow = ClusterReportTests.majorityFamily(second, try store.snapshot().patterns)
            for move in changes.moves {
                #expect(move.from == ClusterReportTests.cluster(of: move.id, in: first))
                #expect(move.to == ClusterReportTests.cluster(of: move.id, in: second))
                #expect(familiesNow[move.to] == "database")
            }
            let grown = changes.matches.map { $0.size - $0.previousSize }
            #expect(grown.reduce(0, +) == 30)
            #expect(changes.matches.filter { familiesNow[$0.cluster] == "http" }.map { $0.size - $0.previousSize }.reduce(0, +) == 30)

            let runs = try history.runs()
            #expect(runs.map(\.id) == [second.runID!, firstID + 1, firstID])
            #expect(runs[0].sizes == second.clusters.map(\.size))
            #expect(runs[0].n == 190 && runs[2].n == 160)
            #expect(try history.runs(filter: "node_type=compute").count == 1)
            #expect(try history.assignments(run: firstID).count == 160)
            #expect(try history.centroids(run: firstID) == first.centroids)
            #expect(throws: AnalyticsError.self) { try history.centroids(run: 999) }
        }
    }

    @Test func clustersAreMatchedGreedilyByCentroidCosine() {
        // Previous clusters: x, y and z axes; now: y, a new direction, and x.
        let report = ClusterReport(
            runID: nil, createdAt: Date(), filter: "", n: 3, dimension: 3, spherical: true, inertia: 0, silhouette: nil, iterations: 1, seed: 1,
            clusters: (0..<3).map { ClusterSummary(index: $0, size: 1, cohesion: 1, exemplars: [], distinctiveTokens: [], nodeTypes: [], domains: [],
                                                  meanQuality: 0, qualitySpread: 0, meanSuccessRate: 0) },
            assignments: [0, 1, 2], patternIDs: ["a", "b", "c"], centroids: [0, 1, 0, 0.6, 0, 0.8, 1, 0, 0],
            duplicateGroups: [], suggestions: [], map: ClusterMap(points: [], centroids: [], explainedRatios: [], total: 3), changes: nil, timings: .init())
        let changes = ClusterChanges.compare(report, previousRunID: 1, previousCreatedAt: Date(), previousCentroids: [1, 0, 0, 0, 1, 0, 0, 0, 1],
                                             previousSizes: [4, 5, 6], previousAssignments: ["a": 1, "b": 2, "c": 1, "gone": 0])
        #expect(changes.matches.map { [$0.cluster, $0.previousCluster] } == [[0, 1], [1, 2], [2, 0]])
        #expect(changes.newClusters.isEmpty && changes.vanishedClusters.isEmpty)
        #expect(changes.moves == [.init(id: "c", from: 1, to: 2)])
        #expect(changes.addedPatterns == 0 && changes.removedPatterns == 1)
        let strict = ClusterChanges.compare(report, previousRunID: 1, previousCreatedAt: Date(), previousCentroids: [1, 0, 0, 0, 1, 0, 0, 0, 1],
                                            previousSizes: [4, 5, 6], previousAssignments: [:], minimumSimilarity: 0.9)
        #expect(strict.newClusters == [1] && strict.vanishedClusters == [2])
    }
}
