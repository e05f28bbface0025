/// One pattern's text as the lexical index keeps it: the catalog row, the number of words,
/// and how often each distinct term occurs.
///
/// Terms are 64-bit keys of words (the text module's `WordKey`), so the index never holds a
/// string; two words sharing a key (one chance in 2⁶⁴ per pair) count as one term.
public struct LexicalDocument: Sendable, Equatable {
    /// The catalog row the text belongs to.
    public var row: UInt64
    /// Words in the text, repeats included: BM25's document length.
    public var length: UInt32
    /// Each distinct term once, ascending by term.
    public var terms: [TermFrequency]

    /// A document of `terms`, which are sorted and merged here (repeats add up); its length
    /// is `length`, or, when nil, the terms' counts added up.
    public init(row: UInt64, terms: [TermFrequency], length: UInt32? = nil) {
        self.row = row
        var merged: [TermFrequency] = []
        merged.reserveCapacity(terms.count)
        var counted: UInt64 = 0
        for term in terms.sorted(by: { $0.term < $1.term }) {
            counted += UInt64(term.count)
            if let last = merged.last, last.term == term.term {
                merged[merged.count - 1].count += term.count
            } else {
                merged.append(term)
            }
        }
        self.length = length ?? UInt32(clamping: counted)
        self.terms = merged
    }
}

/// A term and how often it occurs in one text.
public struct TermFrequency: Sendable, Equatable {
    /// The term's key.
    public var term: UInt64
    /// Occurrences, at least 1.
    public var count: UInt32

    public init(term: UInt64, count: UInt32) {
        self.term = term
        self.count = count
    }
}

/// A document holding a term: its ordinal in the tier and the term's count in it.
struct LexicalPosting: Sendable, Equatable {
    var ordinal: UInt32
    var count: UInt32
}

/// A row and its BM25 score for one query: higher is better.
public struct LexicalHit: Sendable, Equatable {
    public var row: UInt64
    /// Where the tier keeps the row's document: in a ``LexicalSegment``, the slot of the row in
    /// the vector segment it was written for.
    public var ordinal: UInt32
    public var score: Float

    public init(row: UInt64, ordinal: UInt32, score: Float) {
        self.row = row
        self.ordinal = ordinal
        self.score = score
    }
}
