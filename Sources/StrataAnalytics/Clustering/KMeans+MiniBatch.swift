import StrataKernels

extension KMeans {
    /// Mini-batch k-means (Sculley 2010): each batch assigns randomly drawn vectors and moves
    /// each centroid towards them with learning rate 1 / (vectors it has absorbed so far).
    ///
    /// An iteration is one epoch's worth of batches (`count / batchSize`, at least one). It
    /// stops early when the smoothed batch inertia improves by less than the tolerance.
    /// - Returns: iterations run, whether it stopped early, and the smoothed inertia per
    ///   iteration (scaled to the whole set).
    static func miniBatch(_ workspace: KMeansWorkspace, batchSize requested: Int, configuration: KMeansConfiguration, random: inout SeededRandom) -> (Int, Bool, [Double]) {
        let n = workspace.count
        let d = workspace.dimension
        let k = workspace.clusters
        let batchSize = min(requested, n)
        let batchesPerEpoch = max(1, n / batchSize)
        var absorbed = [Double](repeating: 0, count: k)
        var batch = [Float](repeating: 0, count: batchSize * d)
        var rows = [Int](repeating: 0, count: batchSize)
        var scores = [Float](repeating: 0, count: batchSize * k)
        var history: [Double] = []
        var smoothed: Double?
        for epoch in 0..<configuration.maxIterations {
            var epochInertia = 0.0
            for _ in 0..<batchesPerEpoch {
                batch.withUnsafeMutableBufferPointer { target in
                    for i in 0..<batchSize {
                        rows[i] = Int(random.next() % UInt64(n))
                        (target.baseAddress! + i * d).update(from: workspace.data + rows[i] * d, count: d)
                    }
                }
                batch.withUnsafeBufferPointer { source in
                    scores.withUnsafeMutableBufferPointer { out in
                        BatchScores.dotProducts(queries: source.baseAddress!, queryCount: batchSize, base: workspace.centroids, baseCount: k, dimension: d, into: out.baseAddress!)
                    }
                }
                for i in 0..<batchSize {
                    var best = 0
                    var bestValue = workspace.centroidNorms[0] - 2 * scores[i * k]
                    for j in 1..<k where workspace.centroidNorms[j] - 2 * scores[i * k + j] < bestValue {
                        bestValue = workspace.centroidNorms[j] - 2 * scores[i * k + j]
                        best = j
                    }
                    epochInertia += Double(max(0, workspace.norms[rows[i]] + bestValue))
                    absorbed[best] += 1
                    let rate = Float(1 / absorbed[best])
                    let centroid = workspace.centroids + best * d
                    let vector = workspace.data + rows[i] * d
                    for c in 0..<d { centroid[c] += rate * (vector[c] - centroid[c]) }
                }
                if configuration.spherical { normalizeCentroids(workspace) }
                workspace.refreshCentroidNorms()
            }
            let estimate = epochInertia * Double(n) / Double(batchesPerEpoch * batchSize)
            let previous = smoothed
            smoothed = previous.map { 0.7 * $0 + 0.3 * estimate } ?? estimate
            history.append(smoothed!)
            if let previous, configuration.tolerance > 0, previous - smoothed! <= configuration.tolerance * smoothed! {
                return (epoch + 1, true, history)
            }
        }
        return (configuration.maxIterations, false, history)
    }
}
