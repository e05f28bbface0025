import StrataIndex
import StrataKernels
import Testing
import StrataAnalytics

@Suite struct SilhouetteTests {
    @Test func separatedClustersScoreNearOneAndShuffledLabelsNearZero() {
        let blobs = Blobs(clusters: 3, perCluster: 50, dimension: 8, spread: 0.02, separation: 5, seed: 3)
        let truth = blobs.labels.map(Int32.init)
        #expect(Silhouette.mean(blobs.vectors, assignments: truth, clusters: 3) > 0.95)
        var random = SeededRandom(seed: 1)
        let shuffled = truth.map { _ in Int32(random.next() % 3) }
        #expect(abs(Silhouette.mean(blobs.vectors, assignments: shuffled, clusters: 3)) < 0.1)
        // A sample of rows gives nearly the same answer.
        let rows = Array(stride(from: 0, to: 150, by: 2))
        #expect(Silhouette.mean(blobs.vectors, assignments: truth, clusters: 3, rows: rows) > 0.95)
    }

    @Test func oneClusterOrOneVectorScoresZero() {
        let set = VectorSet(dimension: 2, values: [0, 0, 1, 1, 2, 2])
        #expect(Silhouette.mean(set, assignments: [0, 0, 0], clusters: 1) == 0)
        #expect(Silhouette.mean(set, assignments: [0, 1, 1], clusters: 2, rows: [0]) == 0)
    }
}
