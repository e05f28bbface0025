import StrataIndex
import StrataKernels
import Testing
import StrataAnalytics

@Suite struct KMeansTests {
    @Test func findsPlantedClustersAndReportsTheirInertia() throws {
        let blobs = Blobs(clusters: 8, perCluster: 150, dimension: 32)
        let result = try KMeans.fit(blobs.vectors, configuration: KMeansConfiguration(clusters: 8, seed: 3))
        #expect(result.k == 8)
        #expect(purity(found: result.assignments, truth: blobs.labels) == 1.0)
        #expect(result.sizes.sorted() == [Int](repeating: 150, count: 8))
        // The reported inertia is the squared distance to the assigned centroid, recomputed here.
        let recomputed = inertia(blobs.vectors, centroids: result.centroids, assignments: result.assignments)
        #expect(abs(result.inertia - recomputed) / recomputed < 1e-4)
        // Points around a centre with sd 0.05 in 32 dimensions: about n × 32 × 0.0025.
        #expect(abs(recomputed - 1_200 * 32 * 0.0025) / (1_200 * 32 * 0.0025) < 0.1)
        #expect(result.converged)
    }

    @Test func everyVectorSitsAtItsNearestCentroidAndInertiaNeverRises() throws {
        let blobs = Blobs(clusters: 12, perCluster: 60, dimension: 24, spread: 0.4, seed: 11)
        var configuration = KMeansConfiguration(clusters: 10, maxIterations: 40, tolerance: 0, seed: 5)
        configuration.variant = .lloyd
        let result = try KMeans.fit(blobs.vectors, configuration: configuration)
        let d = blobs.vectors.dimension
        for row in stride(from: 0, to: blobs.vectors.count, by: 7) {
            let vector = blobs.vectors[row]
            let distances = (0..<result.k).map { c in
                zip(vector, result.centroids[c]).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
            }
            let assigned = distances[Int(result.assignments[row])]
            #expect(assigned <= distances.min()! * (1 + 1e-4) + 1e-6, "row \(row) is not at its nearest centroid")
        }
        for (before, after) in zip(result.inertiaHistory, result.inertiaHistory.dropFirst()) {
            #expect(after <= before * (1 + 1e-5))
        }
        #expect(d == 24)
    }

    @Test func theSameSeedGivesTheSameClusters() throws {
        let blobs = Blobs(clusters: 6, perCluster: 80, dimension: 16, spread: 0.5, seed: 2)
        let configuration = KMeansConfiguration(clusters: 6, seed: 42)
        let first = try KMeans.fit(blobs.vectors, configuration: configuration)
        let second = try KMeans.fit(blobs.vectors, configuration: configuration)
        #expect(first.assignments == second.assignments)
        #expect(first.centroids == second.centroids)
        #expect(first.inertia == second.inertia)
    }

    @Test func asManyClustersAsVectorsLeavesNoneEmpty() throws {
        // 20 distinct points, each repeated 3 times: k = 20 must give every cluster one point.
        var values: [Float] = []
        var random = SeededRandom(seed: 9)
        let points = (0..<20).map { _ in (0..<8).map { _ in random.gaussian() } }
        for _ in 0..<3 { for point in points { values += point } }
        let set = VectorSet(dimension: 8, values: values)
        let result = try KMeans.fit(set, configuration: KMeansConfiguration(clusters: 20, seed: 1))
        #expect(result.sizes.allSatisfy { $0 == 3 })
        #expect(result.inertia < 1e-3)
        // k = n over distinct points: every vector alone (seeds landing twice in one cluster
        // leave others empty, which the repair fills).
        let distinct = VectorSet(dimension: 8, values: points.flatMap { $0 })
        let single = try KMeans.fit(distinct, configuration: KMeansConfiguration(clusters: 20, seed: 1))
        #expect(single.sizes.allSatisfy { $0 == 1 })
        #expect(single.inertia < 1e-4)
    }

    @Test func sphericalCentroidsAreUnitVectors() throws {
        let blobs = Blobs(clusters: 5, perCluster: 100, dimension: 48, spread: 0.1, separation: 3, seed: 4)
        var configuration = KMeansConfiguration(clusters: 5, seed: 8, spherical: true)
        configuration.threads = 1
        let result = try KMeans.fit(blobs.vectors, configuration: configuration)
        for c in 0..<result.k {
            let norm = result.centroids[c].reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-4)
        }
        #expect(purity(found: result.assignments, truth: blobs.labels) == 1.0)
    }

    @Test func miniBatchComesCloseToLloyd() throws {
        let blobs = Blobs(clusters: 10, perCluster: 300, dimension: 32, spread: 0.15, seed: 13)
        var lloyd = KMeansConfiguration(clusters: 10, seed: 21)
        lloyd.variant = .lloyd
        var miniBatch = lloyd
        miniBatch.variant = .miniBatch(batchSize: 256)
        miniBatch.maxIterations = 20
        let exact = try KMeans.fit(blobs.vectors, configuration: lloyd)
        let approximate = try KMeans.fit(blobs.vectors, configuration: miniBatch)
        #expect(purity(found: approximate.assignments, truth: blobs.labels) > 0.98)
        #expect(approximate.inertia < exact.inertia * 1.05)
    }

    @Test func threadCountDoesNotChangeTheClusters() throws {
        let blobs = Blobs(clusters: 7, perCluster: 400, dimension: 20, spread: 0.3, seed: 17)
        var one = KMeansConfiguration(clusters: 7, seed: 2)
        one.threads = 1
        var two = one
        two.threads = 2
        let a = try KMeans.fit(blobs.vectors, configuration: one)
        let b = try KMeans.fit(blobs.vectors, configuration: two)
        #expect(a.assignments == b.assignments)
        #expect(abs(a.inertia - b.inertia) / a.inertia < 1e-5)
    }

    @Test func choosesKBySilhouetteWhenNotGiven() throws {
        let blobs = Blobs(clusters: 5, perCluster: 60, dimension: 16, spread: 0.05, seed: 23)
        var configuration = KMeansConfiguration(clusters: nil, seed: 1)
        configuration.candidateClusters = [2, 3, 4, 5, 6, 7, 8]
        let result = try KMeans.fit(blobs.vectors, configuration: configuration)
        #expect(result.k == 5)
        #expect((result.silhouette ?? 0) > 0.7)
        #expect(result.silhouetteByK.count == 7)
        #expect(purity(found: result.assignments, truth: blobs.labels) == 1.0)
    }

    @Test func restartsKeepTheLowestInertia() throws {
        let blobs = Blobs(clusters: 12, perCluster: 20, dimension: 16, spread: 0.05, seed: 29)
        var single = KMeansConfiguration(clusters: 12, seed: 3)
        var several = single
        several.restarts = 6
        let once = try KMeans.fit(blobs.vectors, configuration: single)
        let best = try KMeans.fit(blobs.vectors, configuration: several)
        // The first restart is the single run itself, so the best of six is never worse.
        #expect(best.inertia <= once.inertia)
        #expect(purity(found: best.assignments, truth: blobs.labels) == 1.0)
        single.restarts = 0
        #expect(throws: AnalyticsError.self) { try KMeans.fit(blobs.vectors, configuration: single) }
    }

    @Test func trainingOnASampleStillAssignsEveryVector() throws {
        let blobs = Blobs(clusters: 6, perCluster: 400, dimension: 24, spread: 0.1, seed: 37)
        var full = KMeansConfiguration(clusters: 6, seed: 4)
        full.variant = .lloyd
        var sampled = full
        sampled.trainingSample = 300
        let exact = try KMeans.fit(blobs.vectors, configuration: full)
        let quick = try KMeans.fit(blobs.vectors, configuration: sampled)
        #expect(quick.assignments.count == 2_400)
        #expect(quick.sizes.reduce(0, +) == 2_400)
        #expect(purity(found: quick.assignments, truth: blobs.labels) == 1.0)
        #expect(quick.inertia < exact.inertia * 1.02)
        let recomputed = inertia(blobs.vectors, centroids: quick.centroids, assignments: quick.assignments)
        #expect(abs(quick.inertia - recomputed) / recomputed < 1e-4)
        sampled.trainingSample = 5
        #expect(throws: AnalyticsError.self) { try KMeans.fit(blobs.vectors, configuration: sampled) }
    }

    @Test func refusesBadInput() {
        let blobs = Blobs(clusters: 2, perCluster: 5, dimension: 4)
        #expect(throws: AnalyticsError.invalidArgument(name: "k", value: "0", expected: "between 1 and the number of vectors (10)")) {
            try KMeans.fit(blobs.vectors, configuration: KMeansConfiguration(clusters: 0))
        }
        #expect(throws: AnalyticsError.self) { try KMeans.fit(blobs.vectors, configuration: KMeansConfiguration(clusters: 11)) }
        #expect(throws: AnalyticsError.self) { try KMeans.fit(blobs.vectors, configuration: KMeansConfiguration(clusters: 2, maxIterations: 0)) }
        var withNaN = blobs.vectors
        withNaN.values[9] = .nan
        #expect(throws: AnalyticsError.invalidArgument(name: "vector 2", value: "component 1", expected: "finite numbers (no NaN or infinity)")) {
            try KMeans.fit(withNaN, configuration: KMeansConfiguration(clusters: 2))
        }
        var withZero = blobs.vectors
        for i in 4..<8 { withZero.values[i] = 0 }
        #expect(throws: AnalyticsError.self) { try KMeans.fit(withZero, configuration: KMeansConfiguration(clusters: 2, spherical: true)) }
        #expect(throws: AnalyticsError.insufficientData(what: "vectors to cluster", needed: 1, got: 0)) {
            try KMeans.fit(VectorSet(dimension: 4, values: []), configuration: KMeansConfiguration(clusters: 1))
        }
        // Choosing k needs at least 5 vectors per candidate cluster.
        #expect(throws: AnalyticsError.self) { try KMeans.fit(blobs.vectors.prefix(6), configuration: KMeansConfiguration(clusters: nil)) }
    }
}
