import StrataText

extension FeatureExtractor {
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
}
