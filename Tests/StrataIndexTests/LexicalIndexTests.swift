import Foundation
import StrataIndex
import Testing

/// BM25 over both tiers' indexes: the scores are Okapi BM25's, the hot (in-RAM) and cold
/// (file) forms answer alike, the file round-trips and refuses damage.
@Suite struct LexicalIndexTests {
    /// Small documents over terms 1…6; term 1 is everywhere, term 6 in one document.
    static let corpus: [LexicalDocument] = [
        LexicalDocument(row: 10, terms: [.init(term: 1, count: 1), .init(term: 2, count: 3)]),
        LexicalDocument(row: 11, terms: [.init(term: 1, count: 2), .init(term: 3, count: 1), .init(term: 4, count: 1)]),
        LexicalDocument(row: 12, terms: [.init(term: 1, count: 1), .init(term: 2, count: 1), .init(term: 5, count: 4)]),
        LexicalDocument(row: 13, terms: [.init(term: 1, count: 1), .init(term: 6, count: 1), .init(term: 2, count: 1), .init(term: 2, count: 1)]),
    ]

    /// Okapi BM25 written out in doubles, term by term: the reference.
    static func reference(_ query: [UInt64], _ documents: [LexicalDocument], k1: Double = 1.2, b: Double = 0.75) -> [UInt64: Double] {
        let n = Double(documents.count)
        let average = documents.reduce(0.0) { $0 + Double($1.length) } / n
        var scores: [UInt64: Double] = [:]
        for term in query {
            let df = Double(documents.filter { $0.terms.contains { $0.term == term } }.count)
            guard df > 0 else { continue }
            let idf = log(1 + (n - df + 0.5) / (df + 0.5))
            for document in documents {
                guard let tf = document.terms.first(where: { $0.term == term }).map({ Double($0.count) }) else { continue }
                scores[document.row, default: 0] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * Double(document.length) / average))
            }
        }
        return scores
    }

    static func query(_ terms: [UInt64], over documents: [LexicalDocument]) -> BM25Query {
        let statistics = LexicalStatistics(documents: documents.count, totalLength: documents.reduce(0) { $0 + Int($1.length) })
        return BM25Query(queryTerms: terms.map { TermFrequency(term: $0, count: 1) }, statistics: statistics) { term in
            documents.filter { $0.terms.contains { $0.term == term } }.count
        }
    }

    func temporaryPath() -> String { NSTemporaryDirectory() + "strata-lexical-\(UUID().uuidString).bm25" }

    @Test func documentsMergeRepeatsAndCountTheirLength() {
        let document = Self.corpus[3]
        #expect(document.terms.map(\.term) == [1, 2, 6])
        #expect(document.terms.first { $0.term == 2 }?.count == 2)
        #expect(document.length == 4)
    }

    @Test(arguments: [[UInt64(2)], [1, 2], [6, 2, 5], [3, 4, 1]])
    func scoresAreOkapiBM25InBothTiers(query terms: [UInt64]) throws {
        let expected = Self.reference(terms, Self.corpus)
        let query = Self.query(terms, over: Self.corpus)
        let memory = LexicalMemoryIndex()
        memory.upsert(Self.corpus)
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try LexicalSegment.write(Self.corpus, to: path)
        let segment = try LexicalSegment(path: path)
        for hits in [memory.search(query, k: 10), segment.search(query, k: 10)] {
            #expect(hits.count == expected.count)
            for hit in hits { #expect(abs(Double(hit.score) - expected[hit.row]!) < 1e-5, "row \(hit.row)") }
            #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score }, "best first")
        }
        #expect(memory.search(query, k: 10).map(\.row) == segment.search(query, k: 10).map(\.row))
    }

    @Test func aSegmentsOrdinalsAreItsDocumentsOrder() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = try LexicalSegment.write(Self.corpus, to: path)
        let segment = try LexicalSegment(path: path)
        #expect(segment.fileBytes == bytes)
        #expect(segment.documentRows == [10, 11, 12, 13])
        #expect(segment.documents() == Self.corpus)
        #expect(segment.statistics == LexicalStatistics(documents: 4, totalLength: 4 + 4 + 6 + 4))
        #expect(segment.documentFrequency(1) == 4 && segment.documentFrequency(6) == 1 && segment.documentFrequency(99) == 0)
        let hit = try #require(segment.search(Self.query([5], over: Self.corpus), k: 1).first)
        #expect(hit.row == 12 && hit.ordinal == 2)
    }

    @Test func kAndTheFilterBoundTheAnswer() {
        let memory = LexicalMemoryIndex()
        memory.upsert(Self.corpus)
        let query = Self.query([1, 2], over: Self.corpus)
        #expect(memory.search(query, k: 2).count == 2)
        #expect(memory.search(query, k: 10, accept: { $0 != 10 && $0 != 12 }).map(\.row).sorted() == [11, 13])
        #expect(memory.search(Self.query([42], over: Self.corpus), k: 10).isEmpty, "a term no document holds scores nothing")
        #expect(memory.search(query, k: 0).isEmpty)
    }

    @Test func theHotIndexReplacesAndRemovesInPlace() {
        let memory = LexicalMemoryIndex()
        memory.upsert(Self.corpus)
        memory.upsert([LexicalDocument(row: 11, terms: [.init(term: 7, count: 1)])])
        #expect(memory.count == 4)
        #expect(memory.documentFrequency(3) == 0 && memory.documentFrequency(7) == 1)
        memory.remove([10, 999])
        #expect(memory.count == 3 && !memory.contains(10))
        #expect(memory.documentFrequency(2) == 2)
        // A freed ordinal is reused and the document found there.
        memory.upsert([LexicalDocument(row: 20, terms: [.init(term: 8, count: 2)])])
        let statistics = memory.statistics
        let hits = memory.search(BM25Query(queryTerms: [TermFrequency(term: 8, count: 1)], statistics: statistics) { memory.documentFrequency($0) }, k: 5)
        #expect(hits.map(\.row) == [20])
        #expect(memory.documents([20, 10, 13]).map(\.row) == [20, 13])
        #expect(statistics.totalLength == 2 + 6 + 4 + 1)
    }

    @Test func damagedFilesAreRefusedNamingTheFile() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try LexicalSegment.write(Self.corpus, to: path)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        func refusal(_ bytes: Data) -> String {
            try? bytes.write(to: URL(fileURLWithPath: path))
            do {
                _ = try LexicalSegment(path: path)
                return "opened"
            } catch {
                return error.description
            }
        }
        #expect(refusal(good.prefix(good.count - 8)).contains("truncated or torn"))
        #expect(refusal(good.prefix(20)).contains("smaller than the 64-byte"))
        var flipped = good
        flipped[good.count - 3] ^= 0x40
        #expect(refusal(flipped).contains("body's checksum"))
        var header = good
        header[17] ^= 1
        #expect(refusal(header).contains("header's checksum"))
        #expect(refusal(Data(repeating: 0, count: 100)).contains("not a Strata lexical index"))
        #expect(refusal(good) == "opened")
        #expect(throws: IndexError.self) { try LexicalSegment(path: path + ".missing") }
    }

    @Test func anEmptySegmentAnswersNothing() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try LexicalSegment.write([], to: path)
        let segment = try LexicalSegment(path: path)
        #expect(segment.documentCount == 0)
        #expect(segment.search(Self.query([1], over: Self.corpus), k: 5).isEmpty)
        #expect(segment.documents().isEmpty)
    }
}
