import Synchronization

/// The hot tier's BM25 index: an inverted index in RAM over the texts of the patterns the hot
/// graph holds, changed in place as they are written, replaced and flushed.
///
/// Documents live at ordinals (reused after a removal) so that a search scores into a plain
/// array; each keeps its own terms, so that removing one, or writing the tier out as a
/// ``LexicalSegment`` at a flush, needs no tokenizer.
///
/// - Important: Safe from many threads: searches and changes take one lock, searches for the
///   time of one scoring pass (well under a millisecond at hot-tier sizes).
public final class LexicalMemoryIndex: Sendable {
    struct State {
        var ordinalOf: [UInt64: UInt32] = [:]
        var documents: [LexicalDocument?] = []
        var freeOrdinals: [UInt32] = []
        var postings: [UInt64: [LexicalPosting]] = [:]
        var totalLength = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Documents held.
    public var count: Int { state.withLock { $0.ordinalOf.count } }

    /// Documents and words held.
    public var statistics: LexicalStatistics {
        state.withLock { LexicalStatistics(documents: $0.ordinalOf.count, totalLength: $0.totalLength) }
    }

    /// True when `row` has a document here.
    public func contains(_ row: UInt64) -> Bool { state.withLock { $0.ordinalOf[row] != nil } }

    /// Documents holding `term`.
    public func documentFrequency(_ term: UInt64) -> Int { state.withLock { $0.postings[term]?.count ?? 0 } }

    /// Adds `documents`, replacing any a row already has.
    public func upsert(_ documents: [LexicalDocument]) {
        state.withLock { state in
            for document in documents {
                state.remove(document.row)
                state.add(document)
            }
        }
    }

    /// Removes the documents of `rows`; rows it does not hold are ignored.
    public func remove(_ rows: [UInt64]) {
        state.withLock { state in
            for row in rows { state.remove(row) }
        }
    }

    /// The documents of `rows` it holds, in the order asked (for writing a segment).
    public func documents(_ rows: [UInt64]) -> [LexicalDocument] {
        state.withLock { state in rows.compactMap { row in state.ordinalOf[row].flatMap { state.documents[Int($0)] } } }
    }

    /// The `k` best documents for `query` that `accept` lets through, best first.
    public func search(_ query: BM25Query, k: Int, accept: ((UInt64) -> Bool)? = nil) -> [LexicalHit] {
        state.withLock { state in LexicalScorer(query: query).best(k: k, in: state, accept: accept) }
    }
}

extension LexicalMemoryIndex.State: LexicalPostingsSource {
    var ordinalCount: Int { documents.count }

    func withPostings(_ term: UInt64, _ body: (UnsafeBufferPointer<LexicalPosting>) -> Void) {
        postings[term]?.withUnsafeBufferPointer(body)
    }

    func length(_ ordinal: UInt32) -> UInt32 { documents[Int(ordinal)]?.length ?? 0 }

    func row(_ ordinal: UInt32) -> UInt64? { documents[Int(ordinal)]?.row }

    mutating func add(_ document: LexicalDocument) {
        let ordinal: UInt32
        if let free = freeOrdinals.popLast() {
            ordinal = free
            documents[Int(free)] = document
        } else {
            ordinal = UInt32(documents.count)
            documents.append(document)
        }
        ordinalOf[document.row] = ordinal
        totalLength += Int(document.length)
        for term in document.terms {
            postings[term.term, default: []].append(LexicalPosting(ordinal: ordinal, count: term.count))
        }
    }

    mutating func remove(_ row: UInt64) {
        guard let ordinal = ordinalOf.removeValue(forKey: row), let document = documents[Int(ordinal)] else { return }
        for term in document.terms {
            postings[term.term]?.removeAll { $0.ordinal == ordinal }
            if postings[term.term]?.isEmpty == true { postings[term.term] = nil }
        }
        totalLength -= Int(document.length)
        documents[Int(ordinal)] = nil
        freeOrdinals.append(ordinal)
    }
}
