import Foundation
import StrataKernels

/// Seeded, clustered vectors that look like sentence embeddings rather than uniform noise,
/// for benchmarks and tests; the same model as `../shared/bench/make_dataset.py`, in Swift.
///
/// A Gaussian mixture pushed onto the unit sphere: `centres` unit centres built from one
/// shared direction (real embeddings are not centred) plus a random part under a power-law
/// per-dimension spectrum; Zipf-like cluster weights; per-cluster noise in a random subspace
/// of rank `min(128, dimension / 3)` with decaying scales, plus small isotropic noise. Base
/// vectors and queries come from separate streams of the same mixture.
public struct SyntheticDataset: Sendable {
    /// Floats per vector.
    public let dimension: Int
    /// The mixture's centres, row-major unit vectors.
    let centres: [Float]
    /// Cumulative cluster weights, for sampling.
    let cumulativeWeights: [Double]
    /// Per cluster: `rank` directions of `dimension` floats, scaled.
    let subspaces: [[Float]]
    let rank: Int
    let seed: UInt64

    /// Builds the mixture.
    ///
    /// - Parameters:
    ///   - dimension: vector length, ≥ 2.
    ///   - centres: clusters; default 200.
    ///   - seed: the same seed gives the same vectors.
    public init(dimension: Int, centres centreCount: Int = 200, seed: UInt64) {
        precondition(dimension >= 2 && centreCount >= 1)
        self.dimension = dimension
        self.seed = seed
        var random = SeededRandom(seed: seed)
        var spectrum = (0..<dimension).map { Float(pow(Double($0 + 1), -0.5)) }
        let rms = (spectrum.reduce(0) { $0 + $1 * $1 } / Float(dimension)).squareRoot()
        spectrum = spectrum.map { $0 / rms }
        spectrum.shuffle(using: &random)

        func unit(_ v: [Float]) -> [Float] {
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / n }
        }
        let common = unit((0..<dimension).map { random.gaussian() * spectrum[$0] })
        var centres: [Float] = []
        for _ in 0..<centreCount {
            let raw = unit((0..<dimension).map { random.gaussian() * spectrum[$0] })
            centres += unit((0..<dimension).map { 0.35 * common[$0] + 0.9367 * raw[$0] })
        }
        self.centres = centres

        var weights = (0..<centreCount).map { pow(Double($0 + 1), -0.8) }
        weights.shuffle(using: &random)
        let total = weights.reduce(0, +)
        var running = 0.0
        cumulativeWeights = weights.map { running += $0 / total; return running }

        rank = min(128, max(1, dimension / 3))
        let axisScale = (0..<rank).map { pow(Double($0 + 1), -0.2) }
        let axisNorm = axisScale.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var subspaces: [[Float]] = []
        for _ in 0..<centreCount {
            let spread = Float(0.7 + 0.6 * random.uniform())
            var block: [Float] = []
            block.reserveCapacity(rank * dimension)
            for j in 0..<rank {
                let direction = unit((0..<dimension).map { random.gaussian() * spectrum[$0] })
                let scale = 0.75 * spread * Float(axisScale[j] / axisNorm)
                block += direction.map { $0 * scale }
            }
            subspaces.append(block)
        }
        self.subspaces = subspaces
    }

    /// `count` base vectors, unit length.
    public func base(count: Int) -> VectorSet { sample(count: count, stream: 1) }

    /// `count` queries from a stream apart from the base's.
    public func queries(count: Int) -> VectorSet { sample(count: count, stream: 2) }

    private func sample(count: Int, stream: UInt64) -> VectorSet {
        var values = [Float](repeating: 0, count: count * dimension)
        let chunk = 4096
        let chunks = (count + chunk - 1) / chunk
        values.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer.baseAddress!
            Parallel.forEach(chunks, threads: Parallel.coreCount) { _, c in
                var random = SeededRandom(seed: seed ^ (stream << 40) ^ UInt64(c) &* 0x9E37_79B9)
                var z = [Float](repeating: 0, count: rank)
                for i in (c * chunk)..<min(count, (c + 1) * chunk) {
                    let row = out + i * dimension
                    let u = random.uniform()
                    let cluster = cumulativeWeights.firstIndex { $0 >= u } ?? cumulativeWeights.count - 1
                    for d in 0..<dimension { row[d] = centres[cluster * dimension + d] + 0.015 * random.gaussian() }
                    for j in 0..<rank { z[j] = random.gaussian() }
                    subspaces[cluster].withUnsafeBufferPointer { basis in
                        for j in 0..<rank {
                            let axis = basis.baseAddress! + j * dimension
                            let w = z[j]
                            for d in 0..<dimension { row[d] += w * axis[d] }
                        }
                    }
                    Kernels.normalize(row, count: dimension)
                }
            }
        }
        return VectorSet(dimension: dimension, values: values)
    }
}
