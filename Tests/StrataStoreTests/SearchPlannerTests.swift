import StrataStore
import Testing

/// The search's decisions, without a store: candidates, candidate lists, and the route a
/// filter takes by how much it matches.
@Suite struct SearchPlannerTests {
    let planner = SearchPlanner(efSearch: 64, exactScanLimit: 2_000)

    @Test func rerankingGathersMoreCandidatesAndTheListIsNeverShorter() {
        #expect(planner.candidates(k: 10, reranks: false) == 10)
        #expect(planner.candidates(k: 5, reranks: true) == 40)
        #expect(planner.candidates(k: 30, reranks: true) == 120)
        #expect(planner.ef(requested: nil, candidates: 10) == 64)
        #expect(planner.ef(requested: 16, candidates: 10) == 16)
        #expect(planner.ef(requested: 16, candidates: 120) == 120)
    }

    @Test func filtersMatchingFewAreScannedExactlyAndManyWidenTheGraphSearch() {
        #expect(planner.route(filtered: false, exact: false, ef: 64, matched: 0, total: 50_000) == .graph(ef: 64))
        #expect(planner.route(filtered: false, exact: true, ef: 64, matched: 50_000, total: 50_000) == .exact)
        #expect(planner.route(filtered: true, exact: false, ef: 64, matched: 2_000, total: 50_000) == .exact)
        // A tenth of the store: ten times the list.
        #expect(planner.route(filtered: true, exact: false, ef: 64, matched: 5_000, total: 50_000) == .filteredGraph(ef: 512))
        // Nearly everything: the list as asked.
        #expect(planner.route(filtered: true, exact: false, ef: 64, matched: 49_000, total: 50_000) == .filteredGraph(ef: 65))
        // Widening stops at eight times.
        #expect(planner.route(filtered: true, exact: false, ef: 64, matched: 2_001, total: 1_000_000) == .filteredGraph(ef: 512))
    }
}
