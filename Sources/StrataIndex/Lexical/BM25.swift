import Foundation
import StrataKernels

/// Okapi BM25's two settings.
public struct BM25Parameters: Sendable, Equatable {
    /// How fast a term's repeats saturate (1.2: the third occurrence adds little).
    public var k1: Float
    /// How much a long text is discounted against the average (0: not at all, 1: fully).
    public var b: Float

    public init(k1: Float = 1.2, b: Float = 0.75) {
        self.k1 = k1
        self.b = b
    }
}

/// The corpus-wide counts BM25 weighs a term by: every tier adds its own in.
public struct LexicalStatistics: Sendable, Equatable {
    /// Documents, across the tiers.
    public var documents: Int
    /// Words in all documents, across the tiers.
    public var totalLength: Int

    public init(documents: Int = 0, totalLength: Int = 0) {
        self.documents = documents
        self.totalLength = totalLength
    }

    public static func + (a: LexicalStatistics, b: LexicalStatistics) -> LexicalStatistics {
        LexicalStatistics(documents: a.documents + b.documents, totalLength: a.totalLength + b.totalLength)
    }

    /// Mean words per document (1 for an empty corpus, so that lengths normalise to 1).
    public var averageLength: Float { documents > 0 && totalLength > 0 ? Float(totalLength) / Float(documents) : 1 }
}

/// A query ready to score in any tier: its terms with their weights, the corpus's average
/// length and BM25's settings. Built once per search from the statistics of all tiers, so
/// that a pattern scores the same whichever tier holds it.
public struct BM25Query: Sendable {
    /// A query term: its key and its weight (inverse document frequency times the number of
    /// times the query repeats it).
    public struct Term: Sendable, Equatable {
        public var term: UInt64
        public var weight: Float
    }

    public let terms: [Term]
    public let averageLength: Float
    public let parameters: BM25Parameters

    /// What a phrase term (two adjacent words) weighs against a word term of the same rarity.
    /// A quarter: enough that the text holding the query's words in its order wins
    /// (measured on the retrieval dev set, Benchmarks/retrieval: MRR@10 with docstrings 0.954
    /// → 0.974), little enough that phrases do not drown the single words that carry a query
    /// written in other words than the code's (without docstrings 0.341 → 0.340; at a weight
    /// of 1, 0.293).
    public static let phraseWeight: Float = 0.25

    /// Weighs `queryTerms` and `phraseTerms` by the corpus: `documentFrequency` answers how
    /// many documents of all tiers hold a term. Terms no document holds are dropped: they
    /// score nothing.
    ///
    /// The weight is BM25's smoothed inverse document frequency, ln(1 + (N − df + ½)/(df + ½)),
    /// which stays positive for a term in most documents (a stop word weighs little, never
    /// less than nothing), times the query's count of the term, times ``phraseWeight`` for a
    /// phrase.
    public init(
        queryTerms: [TermFrequency], phraseTerms: [TermFrequency] = [], statistics: LexicalStatistics,
        parameters: BM25Parameters = BM25Parameters(), documentFrequency: (UInt64) -> Int
    ) {
        let n = Double(statistics.documents)
        let weighed = queryTerms.map { ($0, Float(1)) } + phraseTerms.map { ($0, Self.phraseWeight) }
        terms = weighed.compactMap { query, scale in
            let df = Double(documentFrequency(query.term))
            guard df > 0 else { return nil }
            let idf = log(1 + (n - df + 0.5) / (df + 0.5))
            return Term(term: query.term, weight: Float(idf) * Float(query.count) * scale)
        }
        averageLength = statistics.averageLength
        self.parameters = parameters
    }

    /// True when no term of the query occurs anywhere: every tier answers nothing.
    public var isEmpty: Bool { terms.isEmpty }
}

/// A tier's inverted index as the scorer reads it.
protocol LexicalPostingsSource {
    /// Ordinals in use or free: scores are accumulated in an array this long.
    var ordinalCount: Int { get }
    /// Calls `body` with `term`'s postings, unless the tier holds none.
    func withPostings(_ term: UInt64, _ body: (UnsafeBufferPointer<LexicalPosting>) -> Void)
    /// The length of the document at `ordinal`.
    func length(_ ordinal: UInt32) -> UInt32
    /// The catalog row of the document at `ordinal`, nil for a free ordinal.
    func row(_ ordinal: UInt32) -> UInt64?
}

/// BM25 over one tier's postings: accumulates every query term's contribution per document,
/// then keeps the best `k` that `accept` lets through.
struct LexicalScorer {
    let query: BM25Query

    /// The `k` best documents of `tier`, best first, ties by ascending ordinal.
    func best<Tier: LexicalPostingsSource>(k: Int, in tier: Tier, accept: ((UInt64) -> Bool)?) -> [LexicalHit] {
        let ordinals = tier.ordinalCount
        guard k > 0, ordinals > 0, !query.isEmpty else { return [] }
        var scores = [Float](repeating: 0, count: ordinals)
        var touched: [UInt32] = []
        let k1 = query.parameters.k1, b = query.parameters.b
        let lengthScale = b / query.averageLength
        for term in query.terms {
            tier.withPostings(term.term) { list in
                for posting in list where Int(posting.ordinal) < ordinals {
                    let tf = Float(posting.count)
                    let norm = k1 * (1 - b + lengthScale * Float(tier.length(posting.ordinal)))
                    let contribution = term.weight * tf * (k1 + 1) / (tf + norm)
                    if scores[Int(posting.ordinal)] == 0 { touched.append(posting.ordinal) }
                    scores[Int(posting.ordinal)] += contribution
                }
            }
        }
        var top = TopK(k: k)
        for ordinal in touched {
            guard let row = tier.row(ordinal), accept?(row) ?? true else { continue }
            top.insert(distance: -scores[Int(ordinal)], id: UInt64(ordinal))
        }
        return top.sorted().compactMap { entry in
            tier.row(UInt32(entry.id)).map { LexicalHit(row: $0, ordinal: UInt32(entry.id), score: -entry.distance) }
        }
    }
}
