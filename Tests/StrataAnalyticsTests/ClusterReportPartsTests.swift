import Foundation
import Testing
import StrataAnalytics

@Suite struct ClusterReportPartsTests {
    // The report's word splitting (IdentifierWords) is tested with StrataText, where it lives
    // (IdentifierWordsTests).

    @Test func distinctiveWordsAreCommonInTheGroupAndRareElsewhere() {
        let texts = (0..<4).map { "kafka_producer_\($0)(topic)" } + (0..<4).map { "postgres_cursor_\($0)(topic)" }
        let index = TokenIndex(texts: texts, minimumLength: 3, threads: 2)
        #expect(index.documentCount == 8)
        var scratch: [Int32] = []
        let tokens = index.distinctive([0, 1, 2, 3], limit: 8, counts: &scratch)
        // `topic` is in every text: weight 0, left out.
        #expect(tokens.map(\.token) == ["kafka", "producer"])
        #expect(tokens.allSatisfy { abs($0.weight - 0.6931471805599453) < 1e-12 })
        // Shared by both: the preferred word first, then the rarest (`postgres` before `topic`).
        #expect(index.shared(by: [4, 5], preferring: ["cursor"], limit: 3) == ["cursor", "postgres", "topic"])
        // The same index, whatever the thread count.
        let single = TokenIndex(texts: texts, minimumLength: 3, threads: 1)
        #expect(single.vocabulary == index.vocabulary && single.tokens == index.tokens && single.offsets == index.offsets)
    }

    @Test func nearDuplicatesJoinTransitivelyWithinClustersOnly() {
        // Rows 0–2: a chain (0·1 and 1·2 ≈ 0.96, 0·2 ≈ 0.85); row 3 a copy of 0 in another cluster.
        func unit(_ angle: Double) -> [Float] { [Float(cos(angle)), Float(sin(angle)), 0] }
        let step = acos(0.96)
        let rows = unit(0) + unit(step) + unit(2 * step) + unit(0) + [0, 0, 1]
        let groups = NearDuplicates.groups(unit: rows, dimension: 3, members: [[0, 1, 2, 4], [3]], threshold: 0.95)
        #expect(groups.map(\.rows) == [[0, 1, 2]])
        #expect(abs(Double(groups[0].minimumSimilarity) - 0.96) < 1e-4)
        #expect(NearDuplicates.groups(unit: rows, dimension: 3, members: [[0, 1, 2, 4], [3]], threshold: 0.97).isEmpty)
        #expect(NearDuplicates.groups(unit: rows, dimension: 3, members: [[0, 1, 2, 3, 4]], threshold: 0.95).map(\.rows) == [[0, 1, 2, 3]])
    }

    @Test func chartCeilingsAreRoundNumbers() {
        #expect(SVGChart.niceCeiling(1709) == 2000)
        #expect(SVGChart.niceCeiling(1) == 1)
        #expect(SVGChart.niceCeiling(0.8) == 1)
        #expect(SVGChart.niceCeiling(230) == 250)
        #expect(SVGChart.niceCeiling(0) == 1)
    }
}
