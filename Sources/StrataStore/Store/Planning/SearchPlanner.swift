/// How one search runs: how many candidates it gathers, how wide its graph searches look, and
/// whether a filtered search scans its matches exactly or searches the graphs with the filter
/// as a predicate.
///
/// Pure: the store counts what the filter matches and the tiers hold, the planner decides
/// (`SearchPlannerTests`), the store carries it out.
package struct SearchPlanner: Sendable {
    /// The graphs' candidate list when the request names none (``StoreConfiguration/efSearch``).
    package var efSearch: Int
    /// Filtered searches matching at most this many patterns are scanned exactly
    /// (``StoreConfiguration/exactScanLimit``).
    package var exactScanLimit: Int

    package init(efSearch: Int, exactScanLimit: Int) {
        self.efSearch = efSearch
        self.exactScanLimit = exactScanLimit
    }

    /// The route of one search.
    package enum Route: Equatable, Sendable {
        /// The graphs of both tiers, unfiltered, with this candidate list.
        case graph(ef: Int)
        /// An exact scan of the matching patterns' vectors.
        case exact
        /// The graphs with the filter as a predicate, the candidate list widened by the
        /// filter's selectivity.
        case filteredGraph(ef: Int)
    }

    /// How many results a search gathers (per leg) before fusing, re-ranking and cutting to
    /// `k`: re-ranking reorders, so it gathers four times as many (at least 40); fusing
    /// rewards a pattern both legs found, so each leg looks three times as deep (at least 30).
    package func candidates(k: Int, reranks: Bool, fuses: Bool = false) -> Int {
        max(reranks ? max(k * 4, 40) : k, fuses ? max(k * 3, 30) : k)
    }

    /// The candidate list of the graph searches: the request's, else the store's, never
    /// fewer than the candidates wanted.
    package func ef(requested: Int?, candidates: Int) -> Int {
        max(requested ?? efSearch, candidates)
    }

    /// The route: an unfiltered search goes to the graphs; a filtered (or exact) one needs
    /// `matched`, how many patterns the filter accepts, and `total`, how many live patterns
    /// the tiers hold (counted only for a filtered graph search: counting takes the hot
    /// graph's lock, which an unfiltered search never needs).
    package func route(filtered: Bool, exact: Bool, ef: Int, matched: Int, total: @autoclosure () -> Int) -> Route {
        if !filtered && !exact { return .graph(ef: ef) }
        if exact || matched <= exactScanLimit { return .exact }
        // Fewer matching nodes means more rejected ones on every path: widen the candidate
        // list by the inverse selectivity so recall holds, up to eight times.
        let widened = min(Double(ef) * Double(max(1, total())) / Double(max(1, matched)), Double(ef * 8))
        return .filteredGraph(ef: max(ef, Int(widened)))
    }
}
