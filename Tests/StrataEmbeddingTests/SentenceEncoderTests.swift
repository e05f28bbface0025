import Foundation
import Testing
import StrataEmbedding

/// The forward pass against sentence-transformers, and the encoder's contract.
@Suite struct SentenceEncoderTests {
    let encoder = EncoderFixtures.encoder

    @Test func vectorsMatchSentenceTransformers() throws {
        let items = try EncoderFixtures.reference().filter { !$0.text.allSatisfy(\.isWhitespace) }
        let vectors = encoder.embed(tokenIDs: items.map { encoder.tokenizer.tokenize($0.text, maxTokens: 256) })
        for (row, item) in items.enumerated() {
            let ours = vectors[(row * 384)..<((row + 1) * 384)]
            let cosine = zip(ours, item.vector).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(cosine >= 0.9999, "\(item.name): cosine \(cosine)")
        }
    }

    @Test func describesItself() {
        #expect(encoder.dimension == 384)
        #expect(encoder.maxTokens == 256)
        #expect(encoder.identifier == "all-MiniLM-L6-v2")
        #expect(encoder.modelChecksum.count == 64)
    }

    @Test func rowsAreUnitLengthAndOrderIndependent() throws {
        let texts = ["short", "a much longer text about parsing configuration files in Python", "?!", "日本語"]
        let together = try encoder.embed(texts)
        for (row, text) in texts.enumerated() {
            let alone = try encoder.embed([text])
            let slice = Array(together[(row * 384)..<((row + 1) * 384)])
            #expect(abs(slice.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
            #expect(zip(slice, alone).map { abs($0 - $1) }.max()! < 1e-5)
        }
    }

    @Test func emptyTextNamesItsIndex() {
        #expect(throws: EmbeddingError.emptyText(id: "#1")) { try encoder.embed(["fine", " \n\t "]) }
        #expect(throws: EmbeddingError.emptyText(id: "#0")) { try encoder.embed([""]) }
    }

    @Test func hugeTextIsTruncated() throws {
        let huge = String(repeating: "the encoder reads only the start of this text ", count: 220_000)
        let vector = try encoder.embed([huge])
        #expect(vector.count == 384)
        #expect(vector.allSatisfy { $0.isFinite })
    }

    @Test func identifierNamesTheLimit() throws {
        let short = try SentenceEncoder(configuration: .init(modelFolder: EncoderFixtures.modelFolder, maxTokens: 128))
        #expect(short.identifier == "all-MiniLM-L6-v2@128")
        #expect(short.maxTokens == 128)
    }
}

/// bfloat16 products keep the vectors within cosine 0.999 (float32 on CPUs without AVX512_BF16).
@Suite struct SentenceEncoderPrecisionTests {
    @Test func bfloat16StaysClose() throws {
        let encoder = try SentenceEncoder(configuration: .init(modelFolder: EncoderFixtures.modelFolder, precision: .bfloat16))
        let items = try EncoderFixtures.reference().filter { !$0.text.allSatisfy(\.isWhitespace) }
        let vectors = encoder.embed(tokenIDs: items.map { encoder.tokenizer.tokenize($0.text, maxTokens: 256) })
        for (row, item) in items.enumerated() {
            let cosine = zip(vectors[(row * 384)..<((row + 1) * 384)], item.vector).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(cosine >= 0.999, "\(item.name): cosine \(cosine)")
        }
        #expect(encoder.identifier == (encoder.precision == .bfloat16 ? "all-MiniLM-L6-v2@256+bf16" : "all-MiniLM-L6-v2"))
    }
}
