import Foundation
import StrataKernels
import StrataText

/// What a static embedder looks words up in: a vector for every piece of the encoder's
/// WordPiece vocabulary (reduced by PCA), distilled once per model and cached beside it.
///
/// The vectors are unweighted: how much a piece counts depends on how often the store's own
/// corpus uses it, which ``StaticEmbedder`` keeps apart (``StaticCorpus``).
public final class StaticVocabulary: Sendable {
    /// Dimensions of every vector (the PCA's components).
    public let dimension: Int
    /// The encoder's model (its folder name) and the SHA-256 of its weights.
    public let modelName: String
    public let modelChecksum: String
    /// `pieces × dimension` floats, row-major; row `id` is WordPiece id `id`'s vector (zero
    /// for pieces never distilled: `[unusedN]`, padding).
    let pieceVectors: [Float]
    /// The projection from the encoder's space to ``dimension``; corpus words go through it.
    let projection: PrincipalComponents
    /// Vocabulary pieces that are whole words (no `##`), by ``StaticVocabulary/wordKey(_:)``.
    let wholeWords: [UInt64: Int32]
    let tokenizer: WordPieceTokenizer

    init(dimension: Int, modelName: String, modelChecksum: String, pieceVectors: [Float], projection: PrincipalComponents, tokenizer: WordPieceTokenizer) {
        self.dimension = dimension
        self.modelName = modelName
        self.modelChecksum = modelChecksum
        self.pieceVectors = pieceVectors
        self.projection = projection
        self.tokenizer = tokenizer
        var wholeWords: [UInt64: Int32] = [:]
        for (piece, id) in tokenizer.vocabulary where !piece.hasPrefix("##") && !piece.hasPrefix("[") {
            wholeWords[Self.wordKey(piece)] = id
        }
        self.wholeWords = wholeWords
    }

    /// Pieces in the vocabulary.
    public var pieceCount: Int { pieceVectors.count / dimension }

    /// The key a word is looked up by: FNV-1a 64 of its ASCII-lower-cased UTF-8 bytes.
    static func wordKey(_ word: String) -> UInt64 {
        var word = word
        return word.withUTF8 { wordKey($0, 0, $0.count) }
    }

    @inline(__always)
    static func wordKey(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        WordKey.lowercasedHash(bytes, start, end)
    }

    /// Distills the vocabulary of `encoder`: every piece alone between `[CLS]` and `[SEP]`
    /// through the encoder once (its mean-pooled output), then PCA to `dimension`.
    ///
    /// - Complexity: one encoder pass over three tokens per piece: about 90,000 tokens for a
    ///   30,522-piece vocabulary, ten seconds or so on two cores.
    public static func distill(from encoder: SentenceEncoder, dimension: Int = 256) throws(EmbeddingError) -> StaticVocabulary {
        let tokenizer = encoder.tokenizer
        guard (2...encoder.dimension).contains(dimension) else {
            throw .invalidArgument(name: "static dimension", value: "\(dimension)", expected: "2 to \(encoder.dimension) (the encoder's dimension)")
        }
        let pieceCount = tokenizer.vocabularySize
        let distilled = tokenizer.vocabulary.filter { !isReserved($0.key) }.map(\.value).sorted()
        let encoded = encoder.embed(tokenIDs: distilled.map { [tokenizer.classifierID, $0, tokenizer.separatorID] })
        let projection: PrincipalComponents
        do {
            projection = try PrincipalComponents.fit(rows: encoded, dimension: encoder.dimension, components: dimension)
        } catch {
            throw .modelInvalid(file: encoder.configuration.modelFolder, problem: "its vocabulary's vectors could not be reduced by PCA (\(error))")
        }
        let reduced = projection.project(rows: encoded)
        var pieceVectors = [Float](repeating: 0, count: pieceCount * dimension)
        for (row, id) in distilled.enumerated() {
            pieceVectors.replaceSubrange(Int(id) * dimension..<(Int(id) + 1) * dimension, with: reduced[row * dimension..<(row + 1) * dimension])
        }
        let name = (encoder.configuration.modelFolder as NSString).standardizingPath.split(separator: "/").last.map(String.init) ?? "encoder"
        return StaticVocabulary(
            dimension: dimension, modelName: name, modelChecksum: encoder.modelChecksum,
            pieceVectors: pieceVectors, projection: projection, tokenizer: tokenizer)
    }

    /// Pieces that stand for nothing in text: `[PAD]`, `[unused17]`, `[MASK]`…
    static func isReserved(_ piece: String) -> Bool { piece.hasPrefix("[") && piece.hasSuffix("]") }
}
