import Foundation
import StrataKernels

extension KMeans {
    /// Greedy k-means++ (Arthur & Vassilvitskii 2007; several candidates per draw, the one
    /// lowering the potential most kept) over a uniform sample of the vectors, writing the
    /// seeds into `workspace.centroids`.
    ///
    /// Each draw scores all candidates against the sample with one `sgemm`. The sample bounds
    /// the cost at large n: seeding every vector of 100k would cost more than the 25 Lloyd
    /// passes after it, which then use every vector anyway.
    static func seed(_ workspace: KMeansWorkspace, configuration: KMeansConfiguration, random: inout SeededRandom) {
        let n = workspace.count
        let d = workspace.dimension
        let k = workspace.clusters
        let sampleSize = min(n, configuration.seedingSample ?? max(4_096, 64 * k))
        let trials = max(1, configuration.seedingTrials ?? (2 + Int(log(Double(k)))))

        // The sample, gathered contiguously (the whole set when it is small enough).
        let rows: [Int] = sampleSize == n ? Array(0..<n) : sampleWithoutReplacement(n, sampleSize, &random)
        var sample = [Float](repeating: 0, count: sampleSize * d)
        var sampleNorms = [Float](repeating: 0, count: sampleSize)
        sample.withUnsafeMutableBufferPointer { target in
            for (i, row) in rows.enumerated() {
                (target.baseAddress! + i * d).update(from: workspace.data + row * d, count: d)
                sampleNorms[i] = workspace.norms[row]
            }
        }

        var nearest = [Float](repeating: 0, count: sampleSize)   // squared distance to the closest seed so far
        var candidateScores = [Float](repeating: 0, count: sampleSize * trials)
        var candidates = [Float](repeating: 0, count: trials * d)
        var candidateRows = [Int](repeating: 0, count: trials)

        sample.withUnsafeBufferPointer { samplePointer in
            let base = samplePointer.baseAddress!
            func setCentroid(_ j: Int, sampleRow: Int) {
                (workspace.centroids + j * d).update(from: base + sampleRow * d, count: d)
            }
            let first = Int(random.next() % UInt64(sampleSize))
            setCentroid(0, sampleRow: first)
            BatchScores.dotProducts(query: base + first * d, base: base, baseCount: sampleSize, dimension: d, into: &nearest)
            let firstNorm = sampleNorms[first]
            for i in 0..<sampleSize { nearest[i] = max(0, sampleNorms[i] + firstNorm - 2 * nearest[i]) }

            for j in 1..<k {
                let potential = nearest.reduce(0.0) { $0 + Double($1) }
                for t in 0..<trials {
                    candidateRows[t] = potential > 0 ? drawProportional(nearest, total: potential, &random) : Int(random.next() % UInt64(sampleSize))
                    candidates.withUnsafeMutableBufferPointer {
                        ($0.baseAddress! + t * d).update(from: base + candidateRows[t] * d, count: d)
                    }
                }
                candidates.withUnsafeBufferPointer { candidatePointer in
                    candidateScores.withUnsafeMutableBufferPointer { scores in
                        BatchScores.dotProducts(queries: base, queryCount: sampleSize, base: candidatePointer.baseAddress!, baseCount: trials, dimension: d, into: scores.baseAddress!)
                    }
                }
                // The candidate whose addition leaves the smallest potential.
                var bestTrial = 0
                var bestPotential = Double.infinity
                for t in 0..<trials {
                    let candidateNorm = sampleNorms[candidateRows[t]]
                    var total = 0.0
                    for i in 0..<sampleSize {
                        let distance = max(0, sampleNorms[i] + candidateNorm - 2 * candidateScores[i * trials + t])
                        total += Double(min(nearest[i], distance))
                    }
                    if total < bestPotential {
                        bestPotential = total
                        bestTrial = t
                    }
                }
                let chosen = candidateRows[bestTrial]
                let chosenNorm = sampleNorms[chosen]
                for i in 0..<sampleSize {
                    let distance = max(0, sampleNorms[i] + chosenNorm - 2 * candidateScores[i * trials + bestTrial])
                    nearest[i] = min(nearest[i], distance)
                }
                setCentroid(j, sampleRow: chosen)
            }
        }
    }

    /// An index drawn with probability proportional to `weights[i]` (`total` = their sum).
    static func drawProportional(_ weights: [Float], total: Double, _ random: inout SeededRandom) -> Int {
        let target = random.uniform() * total
        var running = 0.0
        for (i, weight) in weights.enumerated() {
            running += Double(weight)
            if running > target, weight > 0 { return i }
        }
        // Rounding left the target past the end: the last index with weight.
        return weights.lastIndex(where: { $0 > 0 }) ?? 0
    }

    /// `count` distinct indices of `0..<n` in increasing order (partial Fisher–Yates).
    static func sampleWithoutReplacement(_ n: Int, _ count: Int, _ random: inout SeededRandom) -> [Int] {
        var indices = Array(0..<n)
        for i in 0..<count {
            let j = i + Int(random.next() % UInt64(n - i))
            indices.swapAt(i, j)
        }
        return indices[0..<count].sorted()
    }
}
