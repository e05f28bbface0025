/// One ranking from a search's legs: each leg is a list of rows, best first, with the leg's
/// own score (higher is better).
///
/// Pure, so that the fusion rules are tested apart from any store (`SearchFusionTests`).
package struct SearchFusion: Sendable {
    /// A leg's result: a row and the leg's score for it, higher is better.
    package struct Candidate: Sendable, Equatable {
        package var row: UInt64
        package var score: Float

        package init(row: UInt64, score: Float) {
            self.row = row
            self.score = score
        }
    }

    /// Reciprocal rank fusion's damping constant: ranks 1 and 2 differ little, a pattern
    /// both legs rank well beats one that only one leg ranks first.
    package static let reciprocalRankOffset: Float = 60

    package let method: FusionMethod

    package init(method: FusionMethod) {
        self.method = method
    }

    /// The rows of every leg, best fused score first (ties by ascending row), with their
    /// fused scores; each leg's contribution is multiplied by its weight (1 when `weights`
    /// names none for it).
    package func fuse(_ legs: [[Candidate]], weights: [Float] = []) -> [Candidate] {
        var fused: [UInt64: Float] = [:]
        for (index, leg) in legs.enumerated() {
            let weight = index < weights.count ? weights[index] : 1
            switch method {
            case .rrf:
                for (rank, candidate) in leg.enumerated() {
                    fused[candidate.row, default: 0] += weight / (Self.reciprocalRankOffset + Float(rank + 1))
                }
            case .dbsf:
                let normalized = Self.distributionNormalized(leg)
                for candidate in normalized { fused[candidate.row, default: 0] += weight * candidate.score }
            }
        }
        return fused.map { Candidate(row: $0.key, score: $0.value) }
            .sorted { $0.score > $1.score || ($0.score == $1.score && $0.row < $1.row) }
    }

    /// `leg`'s scores mapped linearly so that mean − 3σ → 0 and mean + 3σ → 1. Not clamped (as
    /// in Qdrant's client): a result that stands out beyond 3σ, the mark of a leg sure of its
    /// answer, keeps its lead instead of tying with the next one at 1. Clamped, the lexical
    /// leg's clear winners tied and the weaker dense leg chose among them (retrieval dev set,
    /// Benchmarks/retrieval, MRR@10 with docstrings: 0.901 clamped, 0.97 not). A leg of one
    /// result, or of equal scores, maps to ½.
    package static func distributionNormalized(_ leg: [Candidate]) -> [Candidate] {
        guard !leg.isEmpty else { return [] }
        let count = Float(leg.count)
        let mean = leg.reduce(0) { $0 + $1.score } / count
        let variance = leg.reduce(0) { $0 + ($1.score - mean) * ($1.score - mean) } / count
        let spread = 3 * variance.squareRoot()
        guard spread > 0, spread.isFinite else { return leg.map { Candidate(row: $0.row, score: 0.5) } }
        let low = mean - spread
        return leg.map { Candidate(row: $0.row, score: ($0.score - low) / (2 * spread)) }
    }
}
