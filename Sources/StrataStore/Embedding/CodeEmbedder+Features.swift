import StrataText

/// The four feature groups of the built-in embedder, kept in the low two bits of every
/// feature hash so that one sorted array holds them all.
enum FeatureGroup: Int, CaseIterable {
    /// N-grams (2–4) of the structural token stream: keywords, operators, punctuation, line
    /// breaks and literal classes kept, every identifier one placeholder.
    case structure = 0
    /// N-grams (2–3) of the same stream in which each identifier is replaced by how far back
    /// the same name was last used, so that data flow survives renaming.
    case dataFlow = 1
    /// Subwords of identifiers, comments and strings, lower-cased.
    case words = 2
    /// Character trigrams of those subwords, for near-miss spellings.
    case trigrams = 3
}

/// Per-worker scratch space for feature extraction, reused text after text so that the hot
/// path allocates nothing once the arrays have grown.
///
/// - Important: One scratch per thread; it is not safe to share. Its arrays skip the run-time
///   exclusivity checks, which took a large share of the extraction time, for that reason.
final class FeatureScratch: @unchecked Sendable {
    /// Group-tagged feature hashes of the current text, one per occurrence.
    @exclusivity(unchecked) var features: [UInt64] = []
    /// Structural symbols, identifiers as a placeholder.
    @exclusivity(unchecked) var plain: [UInt64] = []
    /// Structural symbols, identifiers as their back-reference distance class.
    @exclusivity(unchecked) var references: [UInt64] = []
    /// Positions in `plain` that hold identifiers.
    @exclusivity(unchecked) var isIdentifier: [Bool] = []
    /// TF-IDF weight of each distinct feature, filled by the embedder.
    @exclusivity(unchecked) var weights: [Float] = []
    /// How much the text is code rather than prose, 0 through 1: the share the structural
    /// groups get (see `FeatureExtractor.codeLikeness`).
    var codeLikeness: Float = 0

    // Last use of each identifier name, an open-addressing table reset by bumping `tag`.
    static let nameSlotBits = 12
    @exclusivity(unchecked) var nameKeys: [UInt64]
    @exclusivity(unchecked) var nameLastUse: [Int32]
    @exclusivity(unchecked) var nameTags: [UInt32]
    var tag: UInt32 = 0

    init() {
        let size = 1 << Self.nameSlotBits
        nameKeys = [UInt64](repeating: 0, count: size)
        nameLastUse = [Int32](repeating: 0, count: size)
        nameTags = [UInt32](repeating: 0, count: size)
        features.reserveCapacity(4096)
        plain.reserveCapacity(1024)
        references.reserveCapacity(1024)
        isIdentifier.reserveCapacity(1024)
        weights.reserveCapacity(2048)
    }

    func reset() {
        features.removeAll(keepingCapacity: true)
        plain.removeAll(keepingCapacity: true)
        references.removeAll(keepingCapacity: true)
        isIdentifier.removeAll(keepingCapacity: true)
        tag &+= 1
        if tag == 0 {
            for i in nameTags.indices { nameTags[i] = 0 }
            tag = 1
        }
    }

    /// Records a use of the name hashed `key` as identifier number `ordinal` and returns the
    /// distance to its previous use, or 0 when the name is new.
    @inline(__always)
    func distanceToPreviousUse(of key: UInt64, ordinal: Int32) -> Int32 {
        let mask = (1 << Self.nameSlotBits) - 1
        var slot = Int(truncatingIfNeeded: key ^ key >> 29) & mask
        for _ in 0..<32 {
            if nameTags[slot] != tag {
                nameTags[slot] = tag
                nameKeys[slot] = key
                nameLastUse[slot] = ordinal
                return 0
            }
            if nameKeys[slot] == key {
                let distance = ordinal - nameLastUse[slot]
                nameLastUse[slot] = ordinal
                return distance
            }
            slot = (slot + 1) & mask
        }
        // A text with thousands of distinct names: treat the overflow as new names.
        return 0
    }
}

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
        let keywords = KeywordTable.shared
        let n = bytes.count
        var i = 0
        var atLineStart = true
        var lineIndent = 0
        var previousIndent = -1
        var syntaxTokens = 0
        // The last token, when it was an identifier, and whether a name has been boosted.
        var lastIdentifier = 0..<0
        var boostedName = false
        var wordTokens = 0
        var ordinal: Int32 = 0

        @inline(__always) func push(_ symbol: UInt64, identifier: Bool = false, reference: UInt64 = 0) {
            scratch.plain.append(symbol)
            scratch.references.append(identifier ? reference : symbol)
            scratch.isIdentifier.append(identifier)
        }

        while i < n {
            let c = bytes[i]
            if c == 10 {
                atLineStart = true
                lineIndent = 0
                i += 1
                continue
            }
            if c == 32 || c == 9 || c == 13 || c == 11 || c == 12 {
                if atLineStart { lineIndent += c == 9 ? 4 : 1 }
                i += 1
                continue
            }
            let next: UInt8 = i + 1 < n ? bytes[i + 1] : 0
            // Comments: their words count, their layout does not.
            if c == 47 && next == 47 || c == 35 && !(isIdentifierStart(next) || next == 91 || next == 33) {
                var end = i + 1
                while end < n && bytes[end] != 10 { end += 1 }
                emitWords(bytes, i + 1, end, into: scratch, keywords: keywords, digits: true)
                i = end
                continue
            }
            if c == 47 && next == 42 {
                var end = i + 2
                while end + 1 < n && !(bytes[end] == 42 && bytes[end + 1] == 47) { end += 1 }
                emitWords(bytes, i + 2, min(end, n), into: scratch, keywords: keywords, digits: true)
                i = min(end + 2, n)
                continue
            }
            if atLineStart {
                atLineStart = false
                if previousIndent >= 0 {
                    let shape = lineIndent > previousIndent ? 0 : lineIndent == previousIndent ? 1 : 2
                    push(lineSymbols[shape])
                }
                previousIndent = lineIndent
            }
            if c == 34 || c == 39 || c == 96 {
                if let end = stringEnd(bytes, from: i) {
                    let triple = end.contentStart - i == 3
                    let length = end.contentEnd - end.contentStart
                    push(stringSymbols[triple ? 3 : min(length, 2)])
                    emitWords(bytes, end.contentStart, end.contentEnd, into: scratch, keywords: keywords, digits: true)
                    syntaxTokens += 1
                    lastIdentifier = 0..<0
                    i = end.next
                    continue
                }
                push(StableHash.mix(UInt64(c) ^ operatorSeed))
                syntaxTokens += 1
                lastIdentifier = 0..<0
                i += 1
                continue
            }
            if isDigit(c) || c == 46 && isDigit(next) {
                var end = i + 1
                while end < n {
                    let d = bytes[end]
                    if isWordByte(d) || d == 95 || d == 46 && end + 1 < n && isDigit(bytes[end + 1]) {
                        end += 1
                    } else {
                        break
                    }
                }
                // Small literals (0, 1, -1's 1, 10) are structure; larger ones are just numbers.
                push(end - i <= 2 ? StableHash.mix(StableHash.fnv1a(bytes, i, end) ^ literalSeed) : numberSymbol)
                // A constant's value (4096, 0x7fff, 3600) survives renaming and says something.
                if end - i >= 2 { scratch.features.append(tagged(StableHash.fnv1a(bytes, i, end) ^ wordSeed, .words)) }
                syntaxTokens += 1
                lastIdentifier = 0..<0
                i = end
                continue
            }
            if isIdentifierStart(c) {
                var end = i + 1
                while end < n && isIdentifierByte(bytes[end]) { end += 1 }
                if end < n, bytes[end] == 34 || bytes[end] == 39, PythonScanner.isStringPrefix(bytes, from: i, to: end) {
                    i = end  // r"…", f'…', b"…": the string follows
                    continue
                }
                let hash = StableHash.fnv1a(bytes, i, end)
                wordTokens += 1
                if keywords.kind(hash) == .keyword {
                    push(StableHash.mix(hash ^ keywordSeed))
                } else {
                    ordinal += 1
                    let distance = scratch.distanceToPreviousUse(of: hash, ordinal: ordinal)
                    push(identifierSymbol, identifier: true, reference: referenceSymbols[distanceClass(distance)])
                    emitWords(bytes, i, end, into: scratch, keywords: keywords)
                    lastIdentifier = i..<end
                    i = end
                    continue
                }
                lastIdentifier = 0..<0
                i = end
                continue
            }
            let length = operatorLength(bytes, i)
            // The first name called or declared with `(` is in nearly every language the
            // function's own name (def/func/fn/function name(, int name(): the best summary
            // of what the code does, so its words count three times.
            if c == 40, !boostedName, !lastIdentifier.isEmpty {
                boostedName = true
                for _ in 0..<2 {
                    emitWords(bytes, lastIdentifier.lowerBound, lastIdentifier.upperBound, into: scratch, keywords: keywords)
                }
            }
            lastIdentifier = 0..<0
            push(StableHash.mix(StableHash.fnv1a(bytes, i, i + length) ^ operatorSeed))
            syntaxTokens += 1
            i += length
        }
        scratch.codeLikeness = codeLikeness(syntaxTokens: syntaxTokens, wordTokens: wordTokens)
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

    struct StringBounds {
        var contentStart: Int
        var contentEnd: Int
        var next: Int
    }

    /// The bounds of the string literal opening at `start`, or `nil` when a single-quoted
    /// literal does not close on its line (a Rust lifetime, an apostrophe in prose).
    static func stringEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> StringBounds? {
        let n = bytes.count
        let quote = bytes[start]
        if start + 2 < n, bytes[start + 1] == quote, bytes[start + 2] == quote {
            var i = start + 3
            while i < n {
                if bytes[i] == 92 { i += 2; continue }
                if bytes[i] == quote, i + 2 < n, bytes[i + 1] == quote, bytes[i + 2] == quote {
                    return StringBounds(contentStart: start + 3, contentEnd: i, next: i + 3)
                }
                i += 1
            }
            return StringBounds(contentStart: start + 3, contentEnd: n, next: n)
        }
        var i = start + 1
        while i < n {
            let c = bytes[i]
            if c == 92 { i += 2; continue }
            if c == quote { return StringBounds(contentStart: start + 1, contentEnd: i, next: i + 1) }
            if c == 10 && quote != 96 { return nil }
            i += 1
        }
        return nil
    }

    /// The length of the operator at `start`: a known two- or three-character operator, else 1.
    @inline(__always)
    static func operatorLength(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        let n = bytes.count
        guard start + 1 < n else { return 1 }
        let a = bytes[start], b = bytes[start + 1]
        let c: UInt8 = start + 2 < n ? bytes[start + 2] : 0
        switch (a, b, c) {
        case (61, 61, 61), (33, 61, 61), (42, 42, 61), (47, 47, 61), (62, 62, 61), (60, 60, 61),
             (46, 46, 46), (46, 46, 60), (62, 62, 62), (38, 38, 61), (124, 124, 61), (63, 63, 61):
            return 3  // === !== **= //= >>= <<= ... ..< >>> &&= ||= ??=
        default:
            break
        }
        switch (a, b) {
        case (61, 61), (33, 61), (60, 61), (62, 61), (45, 62), (61, 62), (43, 61), (45, 61),
             (42, 61), (47, 61), (37, 61), (38, 61), (124, 61), (94, 61), (38, 38), (124, 124),
             (60, 60), (62, 62), (42, 42), (43, 43), (45, 45), (58, 58), (46, 46), (63, 63),
             (63, 46), (58, 61), (60, 45), (124, 62):
            return 2  // == != <= >= -> => += -= *= /= %= &= |= ^= && || << >> ** ++ -- :: .. ?? ?. := <- |>
        default:
            return 1
        }
    }

    /// Emits word and trigram features for every word of `bytes[start..<end]`, split by
    /// `WordSplitter.standard` (`parseJSON` → parse, JSON; `HTTPServer` → HTTP, Server;
    /// letters and digits apart). With `digits`, runs of two or more digits are words too
    /// (`cp437` in a string gives cp, 437); in identifiers they are not, since `v1`, `tmp2` are
    /// numbering, not meaning.
    static func emitWords(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
        into scratch: FeatureScratch, keywords: KeywordTable, digits: Bool = false
    ) {
        WordSplitter.standard.forEachWord(in: bytes, from: start, to: end) { wordStart, wordEnd in
            emitSubword(bytes, wordStart, wordEnd, into: scratch, keywords: keywords, digits: digits)
        }
    }

    @inline(__always)
    static func emitSubword(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
        into scratch: FeatureScratch, keywords: KeywordTable, digits: Bool
    ) {
        let length = end - start
        guard length >= 2 else { return }
        if isDigit(bytes[start]) {
            if digits { scratch.features.append(tagged(StableHash.fnv1a(bytes, start, end) ^ wordSeed, .words)) }
            return
        }
        // A plural s goes, so "files" meets "file"; "class", "process" keep theirs.
        let hash = WordKey.hash(bytes, start, end)
        if keywords.kind(hash) != .none { return }
        scratch.features.append(tagged(hash ^ wordSeed, .words))
        guard length <= trigramWordLimit else { return }
        // Trigrams of "^word$"; the markers make prefixes and suffixes features of their own.
        var a: UInt64 = 94
        var b = UInt64(ByteClass.lowered(bytes[start]))
        for k in (start + 1)...end {
            let c = k < end ? UInt64(ByteClass.lowered(bytes[k])) : 36
            scratch.features.append(tagged((a << 16 | b << 8 | c) ^ trigramSeed, .trigrams))
            a = b
            b = c
        }
    }

    /// Emits the structural n-grams (2–4) and the data-flow n-grams (2–3, only windows that
    /// hold an identifier) of the symbol streams.
    static func emitNGrams(_ scratch: FeatureScratch) {
        let count = scratch.plain.count
        guard count >= 2 else { return }
        scratch.plain.withUnsafeBufferPointer { plain in
            scratch.references.withUnsafeBufferPointer { references in
                scratch.isIdentifier.withUnsafeBufferPointer { isIdentifier in
                    var plain2: UInt64 = 0, plain3: UInt64 = 0
                    var reference2: UInt64 = 0
                    var lastIdentifier = isIdentifier[0] ? 0 : -10
                    for i in 1..<count {
                        if isIdentifier[i] { lastIdentifier = i }
                        let p4 = i >= 3 ? StableHash.combine(plain3, plain[i]) : 0
                        let p3 = i >= 2 ? StableHash.combine(plain2, plain[i]) : 0
                        let p2 = StableHash.combine(plain[i - 1], plain[i])
                        scratch.features.append(tagged(p2 ^ structureSeeds[2], .structure))
                        if i >= 2 { scratch.features.append(tagged(p3 ^ structureSeeds[3], .structure)) }
                        if i >= 3 { scratch.features.append(tagged(p4 ^ structureSeeds[4], .structure)) }
                        plain2 = p2
                        plain3 = p3

                        let r3 = i >= 2 ? StableHash.combine(reference2, references[i]) : 0
                        let r2 = StableHash.combine(references[i - 1], references[i])
                        if lastIdentifier >= i - 1 { scratch.features.append(tagged(r2 ^ dataFlowSeeds[2], .dataFlow)) }
                        if i >= 2, lastIdentifier >= i - 2 { scratch.features.append(tagged(r3 ^ dataFlowSeeds[3], .dataFlow)) }
                        reference2 = r2
                    }
                }
            }
        }
    }
}
