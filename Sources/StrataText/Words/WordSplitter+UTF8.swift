extension WordSplitter {
    /// Calls `body` with the bounds of each word of `bytes[start..<end]`, in order, over UTF-8
    /// bytes (only ASCII has case; see ``WordSplitter``).
    ///
    /// This is the built-in embedder's hot path: it reads the bytes once, allocates nothing and
    /// hands out offsets, not strings; the caller lower-cases or hashes in place (see
    /// ``WordKey``). It is `@inlinable`, so the rule and `body` are compiled into the caller's
    /// loop.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 text.
    ///   - start: The first byte to read.
    ///   - end: One past the last byte to read; a word never reaches past it.
    ///   - body: Called with each word's `start` and `end` offsets in `bytes`, as written (not
    ///     lower-cased). Words are never empty.
    /// - Complexity: O(`end - start`).
    @inlinable
    public func forEachWord(
        in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int,
        _ body: (_ start: Int, _ end: Int) -> Void
    ) {
        var i = start
        while i < end {
            while i < end && !ByteClass.isWordByte(bytes[i]) { i += 1 }
            var wordStart = i
            while i < end && ByteClass.isWordByte(bytes[i]) {
                if i > wordStart, isBoundary(WordByte(bytes[i - 1]), WordByte(bytes[i]), next: i + 1 < end ? WordByte(bytes[i + 1]) : nil) {
                    body(wordStart, i)
                    wordStart = i
                }
                i += 1
            }
            if i > wordStart { body(wordStart, i) }
        }
    }

    /// The words of `text` as the UTF-8 rule reads them, ASCII lower-cased, in order, repeats
    /// included: `parseJSON2Value` → parse, json, 2, value. For tests and tools; hot loops
    /// use ``forEachWord(in:from:to:_:)``.
    public func utf8Words(in text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var words: [String] = []
            forEachWord(in: bytes, from: 0, to: bytes.count) { start, end in
                words.append(String(decoding: bytes[start..<end].lazy.map(ByteClass.lowered), as: UTF8.self))
            }
            return words
        }
    }
}
