import Foundation
import Logging
import StrataIndex
import StrataText

/// Each segment file's lexical index lives beside it as `<segment>.bm25`: same rows, same
/// lifetime. It is derived data: a missing or damaged one is rebuilt from the catalog's texts.
extension StoreFolder {
    /// The suffix of a segment's lexical index file.
    static let lexicalSuffix = ".bm25"

    /// The lexical index file of segment `file`.
    func lexicalPath(_ file: String) -> String { segmentPath(file + Self.lexicalSuffix) }

    /// Writes the lexical index of `segment` (named `file`): one document per slot, in slot
    /// order, from `documents` by row (a row without one gets an empty document), and maps it.
    func writeLexical(_ documents: [UInt64: LexicalDocument], for segment: Segment, named file: String) throws(StoreError) -> LexicalSegment {
        let ordered = segment.ids.map { documents[$0] ?? LexicalDocument(row: $0, terms: []) }
        do {
            try LexicalSegment.write(ordered, to: lexicalPath(file))
            return try LexicalSegment(path: lexicalPath(file))
        } catch {
            throw .index(error)
        }
    }

    /// Maps the lexical index of segment `file`, or, when it is missing or damaged (an older
    /// store, a crash between the two files, a bad disk), rebuilds it from the texts
    /// `texts` reads for the segment's rows.
    func openLexical(
        for segment: Segment, named file: String, logger: Logger,
        texts: ([Int64]) throws(StoreError) -> [LexicalSource]
    ) throws(StoreError) -> LexicalSegment {
        let path = lexicalPath(file)
        let problem: String
        do {
            let lexical = try LexicalSegment(path: path)
            if lexical.documentRows == segment.ids { return lexical }
            problem = "it lists other rows than its segment"
        } catch {
            problem = error.description
        }
        if FileManager.default.fileExists(atPath: path) {
            logger.warning("rebuilding a damaged lexical index", metadata: ["file": "\(path)", "problem": "\(problem)"])
        }
        let documents = LexicalDocument.documents(of: try texts(segment.ids.map { Int64($0) }))
        return try writeLexical(documents, for: segment, named: file)
    }
}

/// What the lexical index reads of a pattern: its text, and its name, whose words count extra.
struct LexicalSource {
    /// Extra occurrences each word of the name counts for: a query's words that name the
    /// function (`get_source` for "return the formatted source lines") matter more than the
    /// same words deep in its body. Measured on the retrieval dev set (Benchmarks/retrieval):
    /// MRR@10 of lexical search with docstrings removed 0.286 → 0.325.
    static let nameBoost: UInt32 = 2

    var row: Int64
    var text: String
    var name: String
}

extension LexicalDocument {
    /// The document of one pattern (``LexicalTerms``): its text's words and phrases, its
    /// name's words again ``LexicalSource/nameBoost`` times. The length counts words only.
    init(_ source: LexicalSource) {
        let text = LexicalTerms.analyze(source.text)
        var terms = (text.words + text.phrases).map { TermFrequency(term: $0.term, count: $0.count) }
        var length = text.length
        if !source.name.isEmpty {
            let name = LexicalTerms.analyze(source.name)
            terms += name.words.map { TermFrequency(term: $0.term, count: $0.count * LexicalSource.nameBoost) }
            length &+= name.length &* LexicalSource.nameBoost
        }
        self.init(row: UInt64(source.row), terms: terms, length: length)
    }

    /// The documents of `sources`, keyed by row, split over the cores (a 25,000-pattern import
    /// splits some 40 MB of code).
    static func documents(of texts: [LexicalSource]) -> [UInt64: LexicalDocument] {
        let built = ResultSlots<LexicalDocument?>(count: texts.count, initial: nil)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, texts.count / 256))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: texts.count, by: workers) {
                built[index] = LexicalDocument(texts[index])
            }
        }
        var documents: [UInt64: LexicalDocument] = [:]
        documents.reserveCapacity(texts.count)
        for index in texts.indices { if let document = built[index] { documents[document.row] = document } }
        return documents
    }
}
