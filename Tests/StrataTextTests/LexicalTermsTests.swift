import Testing
import StrataText

@Suite struct LexicalTermsTests {
    static func key(_ word: String) -> UInt64 { StableHash.fnv1a(word) }

    @Test func wordsAreSplitAsCodeIsNamedAndPairedInOrder() {
        let analysis = LexicalTerms.analyze("parseHTTPResponse now")
        let words = ["parse", "http", "response", "now"].map(Self.key)
        #expect(analysis.words.map(\.term) == words.sorted())
        #expect(analysis.words.allSatisfy { $0.count == 1 })
        let phrases = zip(words, words.dropFirst()).map { LexicalTerms.phraseKey($0, $1) }
        #expect(analysis.phrases.map(\.term) == phrases.sorted())
        #expect(analysis.length == 4, "phrases do not lengthen the text")
    }

    @Test func phrasesKeepTheirOrderAndBridgeOneLetterWords() {
        let forward = LexicalTerms.analyze("write rows")
        let backward = LexicalTerms.analyze("rows write")
        #expect(forward.words.map(\.term) == backward.words.map(\.term))
        #expect(forward.phrases.map(\.term) != backward.phrases.map(\.term))
        // `a` is left out, so its neighbours stand side by side.
        #expect(LexicalTerms.analyze("write a row").phrases.map(\.term) == [LexicalTerms.phraseKey(Self.key("write"), Self.key("row"))])
    }

    @Test func repeatsCountAndCaseFoldsButPluralsStayApart() {
        let analysis = LexicalTerms.analyze("Files files FILE")
        #expect(analysis.words.count == 2)
        #expect(analysis.words.first { $0.term == Self.key("files") }?.count == 2)
        #expect(analysis.words.first { $0.term == Self.key("file") }?.count == 1)
        #expect(analysis.length == 3)
    }

    @Test func textsWithoutWordsHaveNoTerms() {
        for text in ["", "  \n\t", "x = 1 + 2"] {
            let analysis = LexicalTerms.analyze(text)
            #expect(analysis.words.isEmpty && analysis.phrases.isEmpty && analysis.length == 0, "\(text)")
        }
        // Any script is words: defined terms, never a failure.
        let other = LexicalTerms.analyze("日本語 テキスト")
        #expect(other.words.count == 2 && other.phrases.count == 1 && other.length == 2)
    }
}
