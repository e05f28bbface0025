import Foundation
import StrataKernels
import StrataText

/// A static embedder distilled from a sentence encoder (the Model2Vec idea): each word of a
/// text is looked up, not run through a network, and the text's vector is the weighted mean
/// of its words' vectors, so a text embeds in microseconds.
///
/// A text is split the way code is named (``WordSplitter/standard``: `parseHTTPResponse` →
/// parse, http, response). Each word is, in order of preference, one of the store's own
/// frequent words (``StaticCorpus``), a whole-word piece of the encoder's vocabulary, or
/// spelled out in the vocabulary's pieces (``WordPieceTokenizer``), each piece counting once.
/// Rare words weigh more than common ones (smooth inverse frequency over the store's corpus).
///
/// It is fitted on a store's corpus (``fitted(on:)``): the store fits it on its first large
/// batch and at every re-embed, and keeps the fitted state (``serializedState()``) in its
/// catalog.
public struct StaticEmbedder: CorpusFittedEmbedder {
    public let vocabulary: StaticVocabulary
    let corpus: StaticCorpus
    /// Where to find the encoder again when fitting on a corpus.
    let encoderConfiguration: SentenceEncoder.Configuration

    /// `static:<model>/<dimension>@<first 12 hex digits of the model's SHA-256>`: the space
    /// is the model's, whatever corpus fitted it.
    public var identifier: String {
        "static:\(vocabulary.modelName)/\(vocabulary.dimension)@\(vocabulary.modelChecksum.prefix(12))"
    }

    public var dimension: Int { vocabulary.dimension }

    /// True once fitted on a corpus.
    public var isFitted: Bool { corpus.isFitted }

    /// An embedder over `vocabulary`, with the fitted state a store kept (nil: unfitted).
    ///
    /// - Throws: ``EmbeddingError/modelInvalid(file:problem:)`` for a state that does not
    ///   belong to this vocabulary or is damaged.
    public init(vocabulary: StaticVocabulary, encoder: SentenceEncoder.Configuration, state: [UInt8]? = nil) throws(EmbeddingError) {
        self.vocabulary = vocabulary
        encoderConfiguration = encoder
        corpus = try state.map { (bytes) throws(EmbeddingError) in try StaticCorpus(serialized: bytes, vocabulary: vocabulary) }
            ?? .unfitted(pieces: vocabulary.pieceCount)
    }

    init(vocabulary: StaticVocabulary, encoder: SentenceEncoder.Configuration, corpus: StaticCorpus) {
        self.vocabulary = vocabulary
        encoderConfiguration = encoder
        self.corpus = corpus
    }

    /// The same embedder fitted on `corpus`: its words counted, its frequent words the
    /// vocabulary lacks distilled through the encoder (seconds for a store of tens of
    /// thousands of patterns).
    public func fitted(on corpus: [String]) throws(EmbeddingError) -> StaticEmbedder {
        let encoder = try SentenceEncoder(configuration: encoderConfiguration.forDistillation)
        return StaticEmbedder(vocabulary: vocabulary, encoder: encoderConfiguration, corpus: vocabulary.fit(on: corpus, encoder: encoder))
    }

    /// The fitted state, as the catalog stores it.
    public func serializedState() -> [UInt8] { corpus.serialized(vocabulary: vocabulary) }

    /// Embeds `texts`: `texts.count × dimension` floats, row-major, unit length.
    ///
    /// - Throws: ``EmbeddingError/emptyText(id:)`` naming the index (`#3`) of the first text
    ///   that is empty or white space only.
    public func embed(_ texts: [String]) throws(EmbeddingError) -> [Float] {
        let d = dimension
        var out = [Float](repeating: 0, count: texts.count * d)
        for (index, text) in texts.enumerated() {
            guard !text.allSatisfy(\.isWhitespace) else { throw .emptyText(id: "#\(index)") }
            out.withUnsafeMutableBufferPointer { buffer in
                embed(text, into: buffer.baseAddress! + index * d)
            }
        }
        return out
    }

    /// Sums the weighted vectors of `text`'s words into `sum` (zeroed, `dimension` floats),
    /// then scales it to unit length.
    private func embed(_ text: String, into sum: UnsafeMutablePointer<Float>) {
        let d = dimension
        var found = false
        vocabulary.pieceVectors.withUnsafeBufferPointer { pieces in
            corpus.wordVectors.withUnsafeBufferPointer { words in
                func addPiece(_ id: Int32) {
                    guard Int(id) < corpus.pieceWeights.count else { return }
                    let weight = corpus.pieceWeights[Int(id)]
                    let vector = pieces.baseAddress! + Int(id) * d
                    for i in 0..<d { sum[i] += weight * vector[i] }
                    found = true
                }
                var text = text
                text.withUTF8 { bytes in
                    WordSplitter.standard.forEachWord(in: bytes, from: 0, to: bytes.count) { start, end in
                        let key = StaticVocabulary.wordKey(bytes, start, end)
                        if let row = corpus.wordRows[key] {
                            let vector = words.baseAddress! + Int(row) * d
                            for i in 0..<d { sum[i] += vector[i] }
                            found = true
                        } else if let id = vocabulary.wholeWords[key] {
                            addPiece(id)
                        } else {
                            for id in vocabulary.tokenizer.tokenize(String(decoding: bytes[start..<end], as: UTF8.self)).dropFirst().dropLast() { addPiece(id) }
                        }
                    }
                }
                // No word at all (punctuation, symbols): the pieces the tokenizer finds.
                if !found {
                    for id in vocabulary.tokenizer.tokenize(text, maxTokens: 512).dropFirst().dropLast() { addPiece(id) }
                }
            }
        }
        var norm: Float = 0
        for i in 0..<d { norm += sum[i] * sum[i] }
        if norm > 0, norm.isFinite {
            let scale = 1 / norm.squareRoot()
            for i in 0..<d { sum[i] *= scale }
        } else {
            // Nothing the vocabulary knows: one fixed direction, so the contract (unit length)
            // holds and such texts sit together.
            for i in 0..<d { sum[i] = 0 }
            sum[0] = 1
        }
    }
}
