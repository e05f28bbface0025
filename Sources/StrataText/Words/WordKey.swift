/// What two spellings of one word have in common: the key words are counted and compared by.
///
/// The key is the FNV-1a 64 hash (``StableHash``) of the word lower-cased (ASCII only) with a
/// plural `s` dropped, so `Files`, `file` and `FILES` have one key. The plural rule is
/// deliberately crude, since it must run on every word without a dictionary: a word of four
/// bytes or more ending in one `s` loses it (`files` → file, `status` → statu); a double `s`
/// stays (`class`, `process`), and so do short words (`bus`, `has`). Both sides of a
/// comparison go through the same rule, so `statu` never shows: callers print the word as
/// written.
///
/// - Important: The built-in embedder's word features are these keys; changing the rule
///   changes stored vectors.
@frozen
public enum WordKey {
    /// The end of the singular form of `bytes[start..<end]`: `end - 1` when the word has four
    /// or more bytes and ends in one `s` or `S`, else `end`.
    @inlinable @inline(__always)
    public static func singularEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        end - start >= 4 && ByteClass.lowered(bytes[end - 1]) == 115 && ByteClass.lowered(bytes[end - 2]) != 115 ? end - 1 : end
    }

    /// The key of `bytes[start..<end]`: FNV-1a 64 of its singular form, ASCII lower-cased.
    ///
    /// - Complexity: O(`end - start`); no allocation.
    @inlinable @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        lowercasedHash(bytes, start, singularEnd(bytes, start, end))
    }

    /// FNV-1a 64 of `bytes[start..<end]` ASCII lower-cased, with no plural rule: the key BM25
    /// keeps words by (``LexicalTerms``), and the last step of ``hash(_:_:_:)``.
    @inlinable @inline(__always)
    public static func lowercasedHash(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var hash = StableHash.fnvOffset
        for k in start..<end {
            hash = (hash ^ UInt64(ByteClass.lowered(bytes[k]))) &* StableHash.fnvPrime
        }
        return hash
    }

    /// The key of a word given as a string (see ``hash(_:_:_:)``).
    public static func hash(_ word: String) -> UInt64 {
        var word = word
        return word.withUTF8 { hash($0, 0, $0.count) }
    }
}
