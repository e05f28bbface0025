/// The words of a source text as a reader would name them, for reports: identifiers, comments
/// and strings split by ``WordSplitter/standard`` over UTF-8, lower-cased, with numbers,
/// keywords, English stop words and short fragments left out.
///
/// It reads a text the way the built-in embedder reads its words (the same splitter, the same
/// ``WordKey`` and ``KeywordTable``), so the words a cluster report shows are the words the
/// vectors were made of. Unlike the embedder it hands out each word's text, since a report
/// prints it, and it differs in what it leaves out:
///
/// | | `IdentifierWords` | embedder |
/// |---|---|---|
/// | shortest word | ``minimumLength`` bytes (default 3) | 2 bytes |
/// | longest word | 64 bytes | no limit |
/// | numbers | never | runs of 2+ digits in comments and strings |
/// | `None` as written | left out (a keyword as written) | kept as `none` in comments and strings |
///
/// - Complexity: O(*n*) in the text's UTF-8 length; one 64-byte scratch buffer per call.
public struct IdentifierWords: Sendable, Hashable {
    /// Words shorter than this many bytes are left out (`i`, `db`, `id` say little on their
    /// own). Default 3.
    public var minimumLength: Int

    /// Words longer than this are hashes or encoded data, not names.
    public static var maximumLength: Int { 64 }

    /// Creates a reader.
    ///
    /// - Parameter minimumLength: The shortest word kept, in bytes (default 3).
    public init(minimumLength: Int = 3) {
        self.minimumLength = minimumLength
    }

    /// Calls `body` with each word of `text`, in order, repeats included: the word's
    /// ``WordKey`` (`producers` and `Producer` have one key) and the word as written,
    /// ASCII lower-cased (for display: `status`, not `statu`).
    ///
    /// - Parameters:
    ///   - text: Any text; it is read as UTF-8.
    ///   - body: Called with the key and the lower-cased word; the buffer is valid only during
    ///     the call.
    public func forEachWord(in text: String, _ body: (UInt64, UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maximumLength) { scratch in
                WordSplitter.standard.forEachWord(in: bytes, from: 0, to: bytes.count) { start, end in
                    emit(bytes, start, end, scratch, body)
                }
            }
        }
    }

    @inline(__always)
    private func emit(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ scratch: UnsafeMutableBufferPointer<UInt8>,
                      _ body: (UInt64, UnsafeBufferPointer<UInt8>) -> Void) {
        let length = end - start
        // Numbers, over-long runs (hashes, base64) and short fragments name nothing.
        guard length >= minimumLength, length <= Self.maximumLength, !ByteClass.isDigit(bytes[start]) else { return }
        // `None`, `Self`: the table holds some keywords capitalised, as the languages write them.
        guard KeywordTable.shared.kind(StableHash.fnv1a(bytes, start, end)) != .keyword else { return }
        for k in 0..<length { scratch[k] = ByteClass.lowered(bytes[start + k]) }
        let word = UnsafeBufferPointer(rebasing: scratch[0..<length])
        let key = WordKey.hash(word, 0, length)
        guard KeywordTable.shared.kind(key) == .none else { return }
        body(key, word)
    }
}
