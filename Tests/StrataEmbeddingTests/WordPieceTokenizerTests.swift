import Testing
import StrataEmbedding

/// The tokenizer gives HuggingFace's ids exactly.
@Suite struct WordPieceTokenizerTests {
    let tokenizer = EncoderFixtures.encoder.tokenizer

    /// 32 hand-picked texts (code, accents, CJK, Hangul, emoji, controls, long words, every
    /// kind of space) and 200 random strings over all planes.
    @Test func matchesHuggingFaceOnTrickyTexts() throws {
        var mismatches: [String] = []
        for item in try EncoderFixtures.tokenizerCases() {
            let ids = tokenizer.tokenize(item.text)
            if ids != item.ids { mismatches.append("\(item.text.debugDescription): got \(ids), expected \(item.ids)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) texts differ, first: \(mismatches.first ?? "")")
    }

    @Test func matchesSentenceTransformersTruncation() throws {
        for item in try EncoderFixtures.reference() {
            #expect(tokenizer.tokenize(item.text, maxTokens: 256) == item.ids, "\(item.name)")
            #expect(tokenizer.tokenize(item.text, maxTokens: 128) == item.ids128, "\(item.name)")
        }
    }

    @Test func splitsCodeIntoPieces() {
        #expect(tokenizer.pieces("load_user_config()") == ["load", "_", "user", "_", "con", "##fi", "##g", "(", ")"])
        #expect(tokenizer.pieces("Café") == ["cafe"])
    }

    @Test func overlongWordIsUnknown() {
        let ids = tokenizer.tokenize(String(repeating: "a", count: 101))
        #expect(ids == [tokenizer.classifierID, tokenizer.unknownID, tokenizer.separatorID])
    }

    @Test func punctuationOnlyTextHasTokens() {
        let ids = tokenizer.tokenize("?!...;;")
        #expect(ids.count == 9)
        #expect(!ids.contains(tokenizer.unknownID))
    }

    /// 10 MB in one word and in many words: both stop early, neither crashes.
    @Test func tenMegabyteTextIsCheap() {
        let oneWord = String(repeating: "x", count: 10_000_000)
        #expect(tokenizer.tokenize(oneWord, maxTokens: 128) == [tokenizer.classifierID, tokenizer.unknownID, tokenizer.separatorID])
        let prose = String(repeating: "the quick brown fox ", count: 500_000)
        let ids = tokenizer.tokenize(prose, maxTokens: 128)
        #expect(ids.count == 128)
        #expect(ids.last == tokenizer.separatorID)
    }
}
