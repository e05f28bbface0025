extension WordSplitter {
    /// Calls `body` with each word of `text`, lower-cased, in order, repeats included, reading
    /// `Character`s: Unicode letters and numbers form words, Unicode case decides the
    /// boundaries, and each character is lower-cased as `Character.lowercased()` does.
    ///
    /// Slower than the UTF-8 path (it decodes grapheme clusters and builds a string per word);
    /// meant for queries and short texts.
    ///
    /// - Parameters:
    ///   - text: Any text.
    ///   - body: Called with each non-empty word, lower-cased.
    /// - Complexity: O(*n*) in the length of `text`.
    public func forEachWord(in text: String, _ body: (String) -> Void) {
        var word = ""
        // The classes of the word's last character; nil between words.
        var previous: CharacterClass?
        var characters = text.makeIterator()
        var next = characters.next()
        while let character = next {
            next = characters.next()
            let current = CharacterClass(character)
            guard current.isWord else {
                if !word.isEmpty { body(word) }
                word = ""
                previous = nil
                continue
            }
            if let previous, isBoundary(previous, current, next: next.map(CharacterClass.init)) {
                body(word)
                word = ""
            }
            if let byte = character.asciiValue {
                // What `lowercased()` gives, without a string per character.
                word.unicodeScalars.append(Unicode.Scalar(ByteClass.lowered(byte)))
            } else {
                word.append(contentsOf: character.lowercased())
            }
            previous = current
        }
        if !word.isEmpty { body(word) }
    }

    /// The words of `text`, lower-cased, in order, repeats included (see
    /// ``forEachWord(in:_:)``): `ÉtatCivil` → état, civil.
    public func words(in text: String) -> [String] {
        var words: [String] = []
        forEachWord(in: text) { words.append($0) }
        return words
    }
}
