import StrataText

/// The order of a search's hits after re-ranking: the fused score blends similarity with the
/// share of the query's words found in the pattern, its quality and its success rate.
enum SearchRanking {
    /// `hits` scored by `weights` and sorted, best first (ties by id).
    static func rerank(_ hits: [SearchHit], weights: RerankWeights, queryText: String?) -> [SearchHit] {
        let queryWords = queryText.map(KeywordOverlap.words(in:)) ?? []
        var reranked = hits.map { hit in
            var hit = hit
            let overlap = queryWords.isEmpty ? 0 : KeywordOverlap.share(of: queryWords, in: hit.pattern)
            hit.score = weights.semantic * hit.similarity + weights.keyword * overlap
                + weights.quality * hit.pattern.quality + weights.successRate * hit.pattern.successRate
            return hit
        }
        reranked.sort { $0.score > $1.score || ($0.score == $1.score && $0.pattern.id < $1.pattern.id) }
        return reranked
    }
}

/// The share of a query's words found in a pattern's name, summary, tags and text.
enum KeywordOverlap {
    /// Lower-case words of two or more characters, split by `WordSplitter.caseChangesOnly`:
    /// at camelCase and `_`, acronyms and digits kept in their word (`HTTPServer` is one word,
    /// `json2` too). Not the standard rule, so that re-ranked scores stay as they were.
    static func words(in text: String) -> Set<String> {
        var words = Set<String>()
        WordSplitter.caseChangesOnly.forEachWord(in: text) { word in
            if word.count >= 2 { words.insert(word) }
        }
        return words
    }

    static func share(of queryWords: Set<String>, in pattern: Pattern) -> Double {
        let patternWords = words(in: pattern.name + " " + pattern.summary + " " + pattern.tags.joined(separator: " ") + " " + pattern.text)
        return Double(queryWords.intersection(patternWords).count) / Double(queryWords.count)
    }
}
