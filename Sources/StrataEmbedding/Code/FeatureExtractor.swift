import StrataText

/// Turns one text into feature hashes.
///
/// The tokenizer knows no language. It reads UTF-8 bytes and recognises white space and line
/// starts (indentation changes are structure in Python), `//`, `/* */` and `#` comments
/// (`#` followed by a letter, `[` or `!` is a directive or attribute instead), quoted and
/// triple-quoted strings, numbers, identifiers (`$`, `_` and non-ASCII bytes included) and
/// operators of up to three characters. Comment and string words feed the word groups only.
///
/// Words come from StrataText: `WordSplitter.standard` over UTF-8, `WordKey` (lower-cased,
/// plural `s` dropped) and `KeywordTable`; hashes from `StableHash`. All of them are part of
/// the stored vectors.
enum FeatureExtractor {
    // Seeds that keep the symbol kinds and feature groups apart.
    static let identifierSymbol = StableHash.mix(StableHash.fnv1a("<identifier>"))
    static let numberSymbol = StableHash.mix(StableHash.fnv1a("<number>"))
    static let stringSymbols = (0..<4).map { StableHash.mix(StableHash.fnv1a("<string-\($0)>")) }
    static let lineSymbols = (0..<3).map { StableHash.mix(StableHash.fnv1a("<line-\($0)>")) }
    static let referenceSymbols = (0..<8).map { StableHash.mix(StableHash.fnv1a("<reference-\($0)>")) }
    static let keywordSeed = StableHash.mix(StableHash.fnv1a("<keyword>"))
    static let operatorSeed = StableHash.mix(StableHash.fnv1a("<operator>"))
    static let literalSeed = StableHash.mix(StableHash.fnv1a("<literal>"))
    static let structureSeeds = (0..<5).map { StableHash.mix(StableHash.fnv1a("<structure-\($0)>")) }
    static let dataFlowSeeds = (0..<4).map { StableHash.mix(StableHash.fnv1a("<data-flow-\($0)>")) }
    static let wordSeed = StableHash.mix(StableHash.fnv1a("<word>"))
    static let trigramSeed = StableHash.mix(StableHash.fnv1a("<trigram>"))

    /// The longest subword whose trigrams are taken; longer runs are hashes or encoded data.
    static let trigramWordLimit = 24

    @inline(__always)
    static func tagged(_ hash: UInt64, _ group: FeatureGroup) -> UInt64 {
        (StableHash.mix(hash) & ~3) | UInt64(group.rawValue)
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { ByteClass.isDigit(c) }
    @inline(__always) static func isWordByte(_ c: UInt8) -> Bool { ByteClass.isWordByte(c) }
    /// A name byte of any language here: Python's and C's, plus `$` (JavaScript, PHP, shell).
    @inline(__always) static func isIdentifierStart(_ c: UInt8) -> Bool { ByteClass.isNameStart(c) || c == 36 }
    @inline(__always) static func isIdentifierByte(_ c: UInt8) -> Bool { ByteClass.isNameByte(c) || c == 36 }

    /// Appends the features of `bytes` to `scratch.features` (after resetting the scratch).
    ///
    /// - Complexity: O(n) in the text's length.
    static func extract(_ bytes: UnsafeBufferPointer<UInt8>, into scratch: FeatureScratch) {
        scratch.reset()
        var tokenizer = Tokenizer(bytes, into: scratch, keywords: KeywordTable.shared)
        tokenizer.readAll()
        scratch.codeLikeness = codeLikeness(syntaxTokens: tokenizer.syntaxTokens, wordTokens: tokenizer.wordTokens)
        if scratch.codeLikeness > 0 { emitNGrams(scratch) }
    }

    /// 0 for prose, 1 for code, judged by the share of operators, brackets and literals
    /// among the tokens.
    ///
    /// In the Python standard library that share is 0.34 or more for 95 % of functions and
    /// 0.17 for the median docstring summary line, whose "structure" (a run of placeholders
    /// and a full stop) would match code at random. Below 0.2 the structural groups are
    /// left out, above 0.35 they have their full share, and in between a part of it.
    static func codeLikeness(syntaxTokens: Int, wordTokens: Int) -> Float {
        let total = syntaxTokens + wordTokens
        guard total > 0 else { return 0 }
        let share = Float(syntaxTokens) / Float(total)
        return min(max((share - 0.2) / 0.15, 0), 1)
    }

    /// 0 for a new name, then 1, 2, 3–4, 5–8, 9–16, 17–32, farther.
    @inline(__always)
    static func distanceClass(_ distance: Int32) -> Int {
        if distance <= 2 { return Int(max(distance, 0)) }
        let bits = 32 - (distance - 1).leadingZeroBitCount  // 3–4 → 2, 5–8 → 3, …
        return min(bits + 1, 7)
    }
}
