import StrataText

extension FeatureExtractor {
    /// One pass over a text's bytes: pushes each token's structural symbol onto the scratch's
    /// streams and appends the word features of names, comments, strings and numbers.
    ///
    /// The n-grams of the streams and the code-likeness come afterwards, from what
    /// ``readAll()`` leaves in the scratch and in ``syntaxTokens`` and ``wordTokens``.
    struct Tokenizer {
        private let bytes: UnsafeBufferPointer<UInt8>
        private let scratch: FeatureScratch
        private let keywords: KeywordTable
        /// The next byte to read.
        private var i = 0
        private var atLineStart = true
        /// Indentation of the current line so far, a tab counting 4.
        private var lineIndent = 0
        /// Indentation of the last line that held a token; -1 before the first.
        private var previousIndent = -1
        /// Operators, brackets and literals read.
        private(set) var syntaxTokens = 0
        /// Names read, keywords included.
        private(set) var wordTokens = 0
        // The last token, when it was an identifier, and whether a name has been boosted.
        private var lastIdentifier = 0..<0
        private var boostedName = false
        /// Identifiers read so far: each use's number, for the distance to the name's last use.
        private var ordinal: Int32 = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>, into scratch: FeatureScratch, keywords: KeywordTable) {
            self.bytes = bytes
            self.scratch = scratch
            self.keywords = keywords
        }

        /// Reads the whole text.
        ///
        /// - Complexity: O(n) in the text's length.
        mutating func readAll() {
            let n = bytes.count
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
                if skipComment(c, next) { continue }
                if atLineStart { readIndentation() }
                if c == 34 || c == 39 || c == 96 {
                    readQuoted(c)
                } else if isDigit(c) || c == 46 && isDigit(next) {
                    readNumber()
                } else if isIdentifierStart(c) {
                    readName()
                } else {
                    readOperator(c)
                }
            }
        }

        @inline(__always)
        private func push(_ symbol: UInt64, identifier: Bool = false, reference: UInt64 = 0) {
            scratch.plain.append(symbol)
            scratch.references.append(identifier ? reference : symbol)
            scratch.isIdentifier.append(identifier)
        }

        /// Skips a comment starting at `i`, emitting its words: they count, its layout does
        /// not. Returns `false`, reading nothing, when no comment starts here.
        @inline(__always)
        private mutating func skipComment(_ c: UInt8, _ next: UInt8) -> Bool {
            let n = bytes.count
            if c == 47 && next == 47 || c == 35 && !(isIdentifierStart(next) || next == 91 || next == 33) {
                var end = i + 1
                while end < n && bytes[end] != 10 { end += 1 }
                emitWords(bytes, i + 1, end, into: scratch, keywords: keywords, digits: true)
                i = end
                return true
            }
            if c == 47 && next == 42 {
                var end = i + 2
                while end + 1 < n && !(bytes[end] == 42 && bytes[end + 1] == 47) { end += 1 }
                emitWords(bytes, i + 2, min(end, n), into: scratch, keywords: keywords, digits: true)
                i = min(end + 2, n)
                return true
            }
            return false
        }

        /// At a line's first token: a symbol for the indentation's change (deeper, same,
        /// shallower) since the previous line with a token.
        @inline(__always)
        private mutating func readIndentation() {
            atLineStart = false
            if previousIndent >= 0 {
                let shape = lineIndent > previousIndent ? 0 : lineIndent == previousIndent ? 1 : 2
                push(lineSymbols[shape])
            }
            previousIndent = lineIndent
        }

        /// A string literal, by its class (empty, one character, longer, triple-quoted) and
        /// its words; a quote that closes nothing on its line is an operator.
        @inline(__always)
        private mutating func readQuoted(_ quote: UInt8) {
            if let end = stringEnd(bytes, from: i) {
                let triple = end.contentStart - i == 3
                let length = end.contentEnd - end.contentStart
                push(stringSymbols[triple ? 3 : min(length, 2)])
                emitWords(bytes, end.contentStart, end.contentEnd, into: scratch, keywords: keywords, digits: true)
                i = end.next
            } else {
                push(StableHash.mix(UInt64(quote) ^ operatorSeed))
                i += 1
            }
            syntaxTokens += 1
            lastIdentifier = 0..<0
        }

        @inline(__always)
        private mutating func readNumber() {
            let n = bytes.count
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
        }

        /// A keyword is structure; any other name is an identifier (a placeholder, and its
        /// distance to the name's last use) and its words.
        @inline(__always)
        private mutating func readName() {
            let n = bytes.count
            var end = i + 1
            while end < n && isIdentifierByte(bytes[end]) { end += 1 }
            if end < n, bytes[end] == 34 || bytes[end] == 39, PythonScanner.isStringPrefix(bytes, from: i, to: end) {
                i = end  // r"…", f'…', b"…": the string follows
                return
            }
            let hash = StableHash.fnv1a(bytes, i, end)
            wordTokens += 1
            if keywords.kind(hash) == .keyword {
                push(StableHash.mix(hash ^ keywordSeed))
                lastIdentifier = 0..<0
            } else {
                ordinal += 1
                let distance = scratch.distanceToPreviousUse(of: hash, ordinal: ordinal)
                push(identifierSymbol, identifier: true, reference: referenceSymbols[distanceClass(distance)])
                emitWords(bytes, i, end, into: scratch, keywords: keywords)
                lastIdentifier = i..<end
            }
            i = end
        }

        @inline(__always)
        private mutating func readOperator(_ c: UInt8) {
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
    }
}
