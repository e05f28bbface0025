import Foundation

/// Search by the patterns' named sparse vectors (``Pattern/sparse``): exact, by dot product,
/// over an inverted index kept in RAM beside the filter columns (built with them on first
/// use, kept current by every write).
public struct SparseVectorSearch: Sendable {
    let store: PatternStore

    /// The `k` patterns whose `name` sparse vector scores highest against `query` (dot
    /// product), best first, among those the filter accepts. A pattern sharing no dimension
    /// with the query is not a hit; the hit's score and similarity are the dot product.
    ///
    /// - Throws: ``StoreError/invalidArgument(name:value:expected:)`` for a malformed query or
    ///   k out of 1 to 10,000.
    public func search(_ name: String, _ query: SparseVector, k: Int = 10, filter: PatternFilter = PatternFilter()) throws(StoreError) -> [SearchHit] {
        try store.ensureOpen()
        guard (1...10_000).contains(k) else { throw .invalidArgument(name: "k", value: "\(k)", expected: "1 to 10,000") }
        if let problem = query.problem { throw .invalidArgument(name: "sparse query", value: problem, expected: "one finite value per index, each index once") }
        let allowed = filter.isEmpty ? nil : Set(try FilteredRows(store: store).locations(filter).map(\.row))
        let ranked = try store.payloadIndex().sparseNearest(name, query, k: k, allowed: allowed)
        let patterns = try store.read { () throws(StoreError) in try store.reader.patterns(rows: ranked.map(\.row)) }
        return ranked.compactMap { row, score in
            patterns[row].map { SearchHit(pattern: $0, score: Double(score), similarity: Double(score)) }
        }
    }
}
