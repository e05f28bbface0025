import StrataStore
import Testing

/// The fusion rules apart from any store: what each method makes of legs that agree, legs
/// that disagree, weights and degenerate legs.
@Suite struct SearchFusionTests {
    typealias Candidate = SearchFusion.Candidate

    static func leg(_ scores: [(UInt64, Float)]) -> [Candidate] { scores.map { Candidate(row: $0.0, score: $0.1) } }

    @Test(arguments: [FusionMethod.rrf, .dbsf])
    func aRowBothLegsRankWellBeatsOneOnlyOneLegFinds(method: FusionMethod) {
        let dense = Self.leg([(1, 0.90), (2, 0.85), (3, 0.50), (4, 0.40)])
        let lexical = Self.leg([(2, 12), (5, 11.5), (1, 3), (6, 2)])
        let fused = SearchFusion(method: method).fuse([dense, lexical])
        #expect(fused.first?.row == 2)
        #expect(Set(fused.map(\.row)) == [1, 2, 3, 4, 5, 6], "every row of every leg is kept")
        #expect(zip(fused, fused.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test(arguments: [FusionMethod.rrf, .dbsf])
    func theWeightDecidesBetweenLegsThatDisagree(method: FusionMethod) {
        let dense = Self.leg([(1, 0.9), (3, 0.5), (4, 0.45), (5, 0.4)])
        let lexical = Self.leg([(2, 9), (6, 4), (7, 3.5), (8, 3)])
        #expect(SearchFusion(method: method).fuse([dense, lexical], weights: [1, 3]).first?.row == 2)
        #expect(SearchFusion(method: method).fuse([dense, lexical], weights: [3, 1]).first?.row == 1)
    }

    @Test func distributionScalingKeepsAnOutliersLead() {
        // One clear winner far beyond 3σ of the rest: clamping would tie it with row 2.
        var scores: [(UInt64, Float)] = [(1, 100)]
        scores += (2...60).map { (UInt64($0), Float(10 - Double($0) * 0.01)) }
        let normalized = SearchFusion.distributionNormalized(Self.leg(scores))
        #expect(normalized[0].score > 1)
        #expect(normalized[0].score > normalized[1].score + 0.5)
        // Linear: the order and the ratios of the gaps are kept.
        let gaps = zip(scores, normalized).map { $0.1.score }
        #expect(zip(gaps, gaps.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func degenerateLegsAreDefined() {
        #expect(SearchFusion.distributionNormalized([]).isEmpty)
        #expect(SearchFusion.distributionNormalized(Self.leg([(7, 3)])) == Self.leg([(7, 0.5)]))
        #expect(SearchFusion.distributionNormalized(Self.leg([(1, 2), (2, 2)])).map(\.score) == [0.5, 0.5])
        // Ties in the fused score go to the lower row.
        let fused = SearchFusion(method: .rrf).fuse([Self.leg([(9, 1)]), Self.leg([(4, 1)])])
        #expect(fused.map(\.row) == [4, 9])
        #expect(SearchFusion(method: .dbsf).fuse([[], []]).isEmpty)
    }
}
