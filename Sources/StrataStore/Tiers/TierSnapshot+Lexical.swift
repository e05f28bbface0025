import StrataIndex
import StrataKernels
import StrataText

/// The lexical leg of a search: BM25 over the hot tier's index and every cold segment's,
/// weighed by the statistics of all of them together, so that a pattern scores the same in
/// whichever tier it is.
extension TierSnapshot {
    /// Documents and words over every tier (a cold segment's dead rows included: they leave
    /// the counts at its next compaction, as in any inverted index with deletions).
    var lexicalStatistics: LexicalStatistics {
        cold.reduce(hotLexical.statistics) { $0 + $1.lexical.statistics }
    }

    /// `text` as a BM25 query over these tiers, its words and its phrases (adjacent word
    /// pairs, weighed ``BM25Query/phraseWeight``); empty when none of its words is stored.
    func lexicalQuery(_ text: String, parameters: BM25Parameters = BM25Parameters()) -> BM25Query {
        let analysis = LexicalTerms.analyze(text)
        let words = analysis.words.map { TermFrequency(term: $0.term, count: $0.count) }
        let phrases = analysis.phrases.map { TermFrequency(term: $0.term, count: $0.count) }
        return BM25Query(queryTerms: words, phraseTerms: phrases, statistics: lexicalStatistics, parameters: parameters) { term in
            cold.reduce(hotLexical.documentFrequency(term)) { $0 + $1.lexical.documentFrequency(term) }
        }
    }

    /// The `k` best rows for `query` that `accept` lets through, tombstones skipped, best
    /// first. With `vector`, each hit also gets its distance to that query vector (read from
    /// the tier that holds it), so that a fused result reports a similarity too.
    func lexicalNearest(_ query: BM25Query, k: Int, accept: ((UInt64) -> Bool)?, vector: [Float]?, metric: Metric) -> [(hit: LexicalHit, distance: Float?)] {
        guard !query.isEmpty else { return [] }
        var merged: [(hit: LexicalHit, distance: Float?)] = []
        for hit in hotLexical.search(query, k: k, accept: accept) {
            merged.append((hit, vector.flatMap { v in hot.vector(for: hit.row).map { distance(v, $0, metric) } }))
        }
        for segment in cold where segment.record.live > 0 {
            let filter: (UInt64) -> Bool = { segment.isLive($0) && (accept?($0) ?? true) }
            for hit in segment.lexical.search(query, k: k, accept: filter) {
                let slotVector = Int(hit.ordinal) < segment.segment.slotCount ? segment.segment.vector(atSlot: Int(hit.ordinal)) : nil
                merged.append((hit, vector.flatMap { v in slotVector.map { distance(v, Array($0), metric) } }))
            }
        }
        merged.sort { $0.hit.score > $1.hit.score || ($0.hit.score == $1.hit.score && $0.hit.row < $1.hit.row) }
        // A row moving between tiers is briefly in both: keep its best.
        var seen = Set<UInt64>()
        return Array(merged.filter { seen.insert($0.hit.row).inserted }.prefix(k))
    }

    private func distance(_ a: [Float], _ b: [Float], _ metric: Metric) -> Float {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                let dot = Kernels.dot(a.baseAddress!, b.baseAddress!, count: min(a.count, b.count))
                guard metric == .l2 else { return metric.distance(dot: dot) }
                return metric.distance(dot: dot, squaredNormA: Kernels.dot(a.baseAddress!, a.baseAddress!, count: a.count), squaredNormB: Kernels.dot(b.baseAddress!, b.baseAddress!, count: b.count))
            }
        }
    }
}
