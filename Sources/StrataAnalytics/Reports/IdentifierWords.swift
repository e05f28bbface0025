import StrataStore

/// The words of a source text as a reader would name them: identifiers split at camelCase,
/// snake_case and letter–digit boundaries, lower-cased, language keywords and English stop
/// words left out; a plural `s` is ignored when words are compared.
///
/// It reads the text the way the built-in embedder does (same character classes, the same
/// subword boundaries, the same plural rule and keyword table) so the words a report shows
/// are the words the vectors were made of; unlike the embedder it keeps the words as text,
/// since a report has to print them.
package struct IdentifierWords {
    /// Words shorter than this are left out (`i`, `db`, `id` say little on their own).
    package var minimumLength: Int = 3

    package init(minimumLength: Int = 3) {
        self.minimumLength = minimumLength
    }

    /// Calls `body` with each word of `text`, in order, repeats included: the FNV-1a hash of
    /// its lower-cased singular form (`producers` and `Producer` hash alike) and the word as
    /// written, lower-cased (for display: `status`, not `statu`).
    package func forEachWord(in text: String, _ body: (UInt64, UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var word = [UInt8](repeating: 0, count: 64)
            word.withUnsafeMutableBufferPointer { scratch in
                var i = 0
                let end = bytes.count
                while i < end {
                    while i < end && !FeatureExtractor.isWordByte(bytes[i]) { i += 1 }
                    var start = i
                    while i < end && FeatureExtractor.isWordByte(bytes[i]) {
                        if i > start, isBoundary(bytes, i, end) {
                            emit(bytes, start, i, scratch, body)
                            start = i
                        }
                        i += 1
                    }
                    if i > start { emit(bytes, start, i, scratch, body) }
                }
            }
        }
    }

    /// `parseJSON` → parse | JSON, `HTTPServer` → HTTP | Server, `utf8` → utf | 8.
    @inline(__always)
    private func isBoundary(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        let c = bytes[i], p = bytes[i - 1]
        return FeatureExtractor.isUpper(c) && (FeatureExtractor.isLower(p) || FeatureExtractor.isDigit(p))
            || FeatureExtractor.isUpper(c) && FeatureExtractor.isUpper(p) && i + 1 < end && FeatureExtractor.isLower(bytes[i + 1])
            || FeatureExtractor.isDigit(c) != FeatureExtractor.isDigit(p)
    }

    @inline(__always)
    private func emit(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ scratch: UnsafeMutableBufferPointer<UInt8>,
                      _ body: (UInt64, UnsafeBufferPointer<UInt8>) -> Void) {
        let length = end - start
        // Numbers, over-long runs (hashes, base64) and short fragments name nothing.
        guard length >= minimumLength, length <= scratch.count, !FeatureExtractor.isDigit(bytes[start]) else { return }
        // `None`, `Self`: the table holds some keywords capitalised, as the languages write them.
        guard KeywordTable.shared.kind(FeatureHash.fnv1a(bytes, start, end)) != .keyword else { return }
        for k in 0..<length { scratch[k] = FeatureExtractor.lowered(bytes[start + k]) }
        let word = UnsafeBufferPointer(rebasing: scratch[0..<length])
        let singular = length >= 4 && scratch[length - 1] == 115 && scratch[length - 2] != 115 ? length - 1 : length
        let hash = FeatureHash.fnv1a(word, 0, singular)
        guard KeywordTable.shared.kind(hash) == .none else { return }
        body(hash, word)
    }
}
