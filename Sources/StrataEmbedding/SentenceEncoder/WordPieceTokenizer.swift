import Foundation

/// BERT's uncased WordPiece tokenizer, giving the same token ids as HuggingFace's
/// `BertTokenizer` / `tokenizers` for any text.
///
/// Text is cleaned (controls, format characters and U+FFFD dropped, white space unified),
/// CJK ideographs become words of their own, accents are stripped (NFD without nonspacing
/// marks) and letters lowercased; words split at white space and around punctuation; each
/// word is then cut greedily into the longest vocabulary pieces, `##` marking a piece that
/// continues a word. A word longer than ``maxCharactersPerWord`` or with no cut is `[UNK]`.
///
/// - Important: Immutable and `Sendable`; call it from any thread.
public struct WordPieceTokenizer: Sendable {
    /// Token ids by piece (`##` prefixed for a word's continuation).
    let vocabulary: [String: Int32]
    /// The id of `[CLS]`, which starts every sequence.
    public let classifierID: Int32
    /// The id of `[SEP]`, which ends every sequence.
    public let separatorID: Int32
    /// The id of `[UNK]`, which stands for a word the vocabulary cannot spell.
    public let unknownID: Int32
    /// The id of `[PAD]`.
    public let paddingID: Int32
    /// Words longer than this many Unicode scalars become `[UNK]` (100, as in BERT).
    public let maxCharactersPerWord: Int
    /// The longest piece in the vocabulary, in Unicode scalars without its `##`: no longer
    /// candidate is ever looked up.
    let longestPiece: Int
    /// Number of entries in the vocabulary.
    public var vocabularySize: Int { vocabulary.count }

    private let normalizer = BertNormalizer.shared

    /// Reads a vocabulary file: one piece a line, the line number (from 0) being its id.
    ///
    /// - Parameters:
    ///   - vocabularyFile: Path of `vocab.txt`.
    ///   - maxCharactersPerWord: Longest word to cut into pieces; longer ones are `[UNK]`.
    /// - Throws: `EmbeddingError.modelMissing` when the file does not exist,
    ///   `EmbeddingError.modelInvalid` when it lacks `[CLS]`, `[SEP]`, `[UNK]` or `[PAD]`.
    public init(vocabularyFile: String, maxCharactersPerWord: Int = 100) throws(EmbeddingError) {
        guard let data = FileManager.default.contents(atPath: vocabularyFile) else {
            throw .modelMissing(path: vocabularyFile, remedy: SentenceEncoder.modelRemedy)
        }
        var vocabulary: [String: Int32] = [:]
        var id: Int32 = 0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            var piece = line
            if piece.hasSuffix("\r") { piece = piece.dropLast() }
            if vocabulary[String(piece)] == nil { vocabulary[String(piece)] = id }
            id += 1
        }
        // A trailing newline leaves one empty line that is not a token.
        if let last = vocabulary[""], last == id - 1 { vocabulary[""] = nil }
        try self.init(vocabulary: vocabulary, file: vocabularyFile, maxCharactersPerWord: maxCharactersPerWord)
    }

    /// A tokenizer over an in-memory vocabulary (piece → id).
    ///
    /// - Throws: `EmbeddingError.modelInvalid` when a special token is missing.
    public init(vocabulary: [String: Int32], file: String = "vocabulary", maxCharactersPerWord: Int = 100) throws(EmbeddingError) {
        func special(_ token: String) throws(EmbeddingError) -> Int32 {
            guard let id = vocabulary[token] else {
                throw .modelInvalid(file: file, problem: "has no \(token) token; a BERT vocabulary needs [CLS], [SEP], [UNK] and [PAD]")
            }
            return id
        }
        self.vocabulary = vocabulary
        self.classifierID = try special("[CLS]")
        self.separatorID = try special("[SEP]")
        self.unknownID = try special("[UNK]")
        self.paddingID = try special("[PAD]")
        self.maxCharactersPerWord = maxCharactersPerWord
        self.longestPiece = vocabulary.keys.reduce(1) { longest, piece in
            max(longest, piece.unicodeScalars.count - (piece.hasPrefix("##") ? 2 : 0))
        }
    }

    /// The token ids of `text`, `[CLS]` first and `[SEP]` last, at most `maxTokens` in all.
    ///
    /// Tokenizing stops as soon as the sequence is full, so a text of megabytes costs no more
    /// than its first `maxTokens` words (plus a scan of one overlong word, if it is in one).
    ///
    /// - Parameters:
    ///   - text: Any text.
    ///   - maxTokens: Longest sequence, special tokens included (at least 2).
    /// - Returns: The ids; just `[CLS, SEP]` when the text has no words.
    public func tokenize(_ text: String, maxTokens: Int = .max) -> [Int32] {
        var ids: [Int32] = [classifierID]
        let budget = max(2, maxTokens) - 1
        forEachPiece(of: text) { piece in
            guard ids.count < budget else { return false }
            ids.append(piece)
            return true
        }
        ids.append(separatorID)
        return ids
    }

    /// The vocabulary pieces of `text` as strings, without special tokens (for inspection).
    public func pieces(_ text: String) -> [String] {
        var byID: [Int32: String] = [:]
        for (piece, id) in vocabulary { byID[id] = piece }
        var out: [String] = []
        forEachPiece(of: text) { id in
            out.append(byID[id] ?? "[?]")
            return true
        }
        return out
    }

    /// Calls `body` with each piece id of `text` in order, until it returns false.
    func forEachPiece(of text: String, _ body: (Int32) -> Bool) {
        var word: [UInt32] = []
        word.reserveCapacity(maxCharactersPerWord + 1)
        var wordLength = 0
        var going = true
        func flush() {
            guard wordLength > 0, going else { wordLength = 0; word.removeAll(keepingCapacity: true); return }
            if wordLength > maxCharactersPerWord {
                going = body(unknownID)
            } else {
                going = cut(word, body)
            }
            wordLength = 0
            word.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            guard going else { break }
            normalizer.normalize(scalar.value) { out in
                if normalizer.isSplit(out) {
                    flush()
                } else if normalizer.isPunctuation(out) {
                    flush()
                    word.append(out)
                    wordLength = 1
                    flush()
                } else {
                    wordLength += 1
                    // Past the limit the word is [UNK] whatever follows: stop storing it.
                    if wordLength <= maxCharactersPerWord { word.append(out) }
                }
            }
        }
        flush()
    }
}
