import Foundation
import StrataText

/// What a static embedder learns from a store's own texts: how often each word piece is used
/// (rarer pieces weigh more), and a vector for each frequent word the vocabulary has no piece
/// for (`executemany`, `dataframe`, `kwargs`), taken from the encoder reading that word alone.
///
/// Weights follow smooth inverse frequency: a / (a + p), p the share of the corpus's words a
/// piece or word accounts for, so `self` and `the` count for little and `postgres` for much.
public struct StaticCorpus: Sendable, Equatable {
    /// The smoothing `a` of the weights a / (a + p).
    public static let smoothing: Float = 1e-4

    /// One weight per vocabulary piece.
    var pieceWeights: [Float]
    /// The corpus's own words by ``StaticVocabulary/wordKey(_:)``, each with its row in
    /// ``wordVectors``.
    var wordRows: [UInt64: Int32]
    /// `words × dimension` floats, each word's vector already weighted.
    var wordVectors: [Float]
    /// Words the corpus was counted over (0: not fitted, weights from Zipf's law on the
    /// vocabulary's order instead).
    var corpusWords: Int

    /// The weights before any corpus: piece ids taken as frequency ranks (Zipf's law), as
    /// Model2Vec does for a vocabulary with no counts.
    static func unfitted(pieces: Int) -> StaticCorpus {
        let harmonic = (0..<pieces).reduce(0.0) { $0 + 1 / Double($1 + 2) }
        let weights = (0..<pieces).map { rank -> Float in
            let p = Float(1 / Double(rank + 2) / harmonic)
            return smoothing / (smoothing + p)
        }
        return StaticCorpus(pieceWeights: weights, wordRows: [:], wordVectors: [], corpusWords: 0)
    }

    public var isFitted: Bool { corpusWords > 0 }
}

/// Settings of a fit on a corpus.
public struct StaticFitting: Sendable, Equatable {
    /// Most corpus words that get a vector of their own.
    public var maximumWords: Int
    /// Fewest occurrences for a word to get one.
    public var minimumCount: Int

    public init(maximumWords: Int = 12_000, minimumCount: Int = 3) {
        self.maximumWords = maximumWords
        self.minimumCount = minimumCount
    }
}

extension StaticVocabulary {
    /// Counts `corpus`'s words and pieces and distills a vector for each of its frequent words
    /// the vocabulary lacks, with `encoder` (the one this vocabulary came from).
    ///
    /// Deterministic: words are chosen by count, ties by spelling, and each is encoded alone.
    func fit(on corpus: [String], encoder: SentenceEncoder, settings: StaticFitting = StaticFitting()) -> StaticCorpus {
        var counts: [UInt64: (count: Int, spelling: String)] = [:]
        var total = 0
        for text in corpus {
            var text = text
            text.withUTF8 { bytes in
                WordSplitter.standard.forEachWord(in: bytes, from: 0, to: bytes.count) { start, end in
                    let key = Self.wordKey(bytes, start, end)
                    total += 1
                    if let seen = counts[key] {
                        counts[key] = (seen.count + 1, seen.spelling)
                    } else {
                        counts[key] = (1, String(decoding: bytes[start..<end].lazy.map(ByteClass.lowered), as: UTF8.self))
                    }
                }
            }
        }
        let chosen = counts.filter { $0.value.count >= settings.minimumCount && wholeWords[$0.key] == nil && $0.value.spelling.utf8.count >= 2 }
            .sorted { $0.value.count > $1.value.count || ($0.value.count == $1.value.count && $0.value.spelling < $1.value.spelling) }
            .prefix(settings.maximumWords)
        let chosenKeys = Set(chosen.map(\.key))
        // How often each piece is read when the corpus is embedded: a whole-word piece once per
        // occurrence of its word, the pieces of a spelled-out word once per occurrence each.
        var pieceCounts = [Int](repeating: 0, count: pieceCount)
        for (key, entry) in counts where !chosenKeys.contains(key) {
            if let id = wholeWords[key] {
                pieceCounts[Int(id)] += entry.count
            } else {
                for id in tokenizer.tokenize(entry.spelling).dropFirst().dropLast() where Int(id) < pieceCount { pieceCounts[Int(id)] += entry.count }
            }
        }
        let share = { (count: Int) -> Float in total > 0 ? Float(count) / Float(total) : 0 }
        let pieceWeights = pieceCounts.map { StaticCorpus.smoothing / (StaticCorpus.smoothing + share($0)) }
        let encoded = encoder.embed(tokenIDs: chosen.map { tokenizer.tokenize($0.value.spelling) })
        var wordVectors = projection.project(rows: encoded)
        var wordRows: [UInt64: Int32] = [:]
        for (row, word) in chosen.enumerated() {
            wordRows[word.key] = Int32(row)
            let weight = StaticCorpus.smoothing / (StaticCorpus.smoothing + share(word.value.count))
            for index in row * dimension..<(row + 1) * dimension { wordVectors[index] *= weight }
        }
        return StaticCorpus(pieceWeights: pieceWeights, wordRows: wordRows, wordVectors: wordVectors, corpusWords: total)
    }
}
