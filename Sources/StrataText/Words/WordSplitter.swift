/// Where identifiers and prose break into words.
///
/// A word is a run of letters and digits; anything else (white space, punctuation, `_`, `$`)
/// separates words. Inside a run, a word also ends:
///
/// - before a capital that follows a lower-case letter or a digit: `parseJson` → parse, json;
///   `v2Beta` → v, 2, beta;
/// - with ``splitsAcronyms``, before the last capital of a run of capitals when a lower-case
///   letter follows it: `HTTPServer` → http, server; `parseJSONValue` → parse, json, value;
/// - with ``Digits/separate``, between a digit and anything else: `utf8` → utf, 8;
///   `parseJSON2Value` → parse, json, 2, value.
///
/// The rule is applied over one of two alphabets:
///
/// - UTF-8 bytes (``forEachWord(in:from:to:_:)``, ``utf8Words(in:)``), the hot path: only ASCII
///   has case; every byte of a multi-byte character is a letter without case and lower-cases
///   to itself (see ``ByteClass``). `caféBar` is one word, `cafébar` (the `B` follows `é`,
///   which is not lower-case here); `ÉtatCivil` → État, civil (the `É` keeps its capital).
/// - `Character`s (``forEachWord(in:_:)``, ``words(in:)``): Unicode letters and numbers, Unicode
///   case and lower-casing. `caféBar` → café, bar; `ÉtatCivil` → état, civil; `—` separates.
///
/// On ASCII text the two agree. The article <doc:WordSplitting> lists the rules with examples
/// and which caller uses which.
public struct WordSplitter: Sendable, Hashable {
    /// How digits relate to the letters around them.
    public enum Digits: Sendable, Hashable {
        /// A run of digits is a word of its own: `utf8` → utf, 8; `HTTP2Server` → http, 2,
        /// server. Whether number words mean anything is the caller's choice (the built-in
        /// embedder keeps runs of two or more digits from comments and strings only).
        case separate
        /// A digit continues the word it follows, and a word may start with digits: `json2`,
        /// `2fast` stay whole. A capital after a digit still starts a word (`json2Value` →
        /// json2, value).
        case attached
    }

    /// Whether a run of capitals ends before a capitalised word (`HTTPServer` → http, server).
    /// Without it the run and the word stay together (`httpserver`). Default `true`.
    public var splitsAcronyms: Bool
    /// How digits relate to letters. Default ``Digits/separate``.
    public var digits: Digits

    /// Creates a splitter; the defaults are the ``standard`` rule.
    ///
    /// - Parameters:
    ///   - splitsAcronyms: Split a run of capitals from a capitalised word after it (default
    ///     `true`).
    ///   - digits: How digits relate to letters (default ``Digits/separate``).
    @inlinable
    public init(splitsAcronyms: Bool = true, digits: Digits = .separate) {
        self.splitsAcronyms = splitsAcronyms
        self.digits = digits
    }

    /// The rule a reader applies: case changes, acronyms and digits all split. The built-in
    /// embedder's words and the cluster report's words (``IdentifierWords``) use it.
    ///
    /// `HTTPServer` → http, server; `parseJSON2Value` → parse, json, 2, value;
    /// `snake_case_name` → snake, case, name.
    @inlinable
    public static var standard: WordSplitter { WordSplitter() }

    /// Splits only where a capital follows a lower-case letter or a digit: acronyms and digits
    /// stay inside words. The search re-ranking's keyword overlap uses it (its rule before
    /// StrataText, kept so that scores do not move).
    ///
    /// `HTTPServer` → httpserver; `parseJSON2Value` → parse, json2, value;
    /// `snake_case_name` → snake, case, name.
    @inlinable
    public static var caseChangesOnly: WordSplitter { WordSplitter(splitsAcronyms: false, digits: .attached) }

    /// Whether a word ends between `previous` and `current`, two characters inside one run of
    /// letters and digits; `next` is the character after `current` (nil past the run), read
    /// only when the acronym rule needs it.
    ///
    /// The one rule, for both alphabets: generic so that over bytes it compiles to a few
    /// comparisons that stop at the first false (most bytes are lower-case letters).
    @inlinable @inline(__always)
    func isBoundary<C: WordCharacter>(_ previous: C, _ current: C, next: @autoclosure () -> C?) -> Bool {
        if current.isUpper {
            // parseJson, v2Beta
            if previous.isLower || previous.isDigit { return true }
            // HTTPServer: the capital before a lower-case letter starts the next word.
            if splitsAcronyms && previous.isUpper && next()?.isLower == true { return true }
        }
        // utf8, 2fast
        return digits == .separate && current.isDigit != previous.isDigit
    }
}

/// What ``WordSplitter``'s rule asks of a character.
@usableFromInline
protocol WordCharacter {
    var isUpper: Bool { get }
    var isLower: Bool { get }
    var isDigit: Bool { get }
}

/// A UTF-8 byte as a ``WordCharacter``: ASCII classes only, each computed when asked.
@frozen @usableFromInline
struct WordByte: WordCharacter {
    @usableFromInline let byte: UInt8
    @inlinable @inline(__always) init(_ byte: UInt8) { self.byte = byte }
    @inlinable var isUpper: Bool { ByteClass.isUpper(byte) }
    @inlinable var isLower: Bool { ByteClass.isLower(byte) }
    @inlinable var isDigit: Bool { ByteClass.isDigit(byte) }
}

/// A `Character`'s classes, read once from its Unicode properties; each is its own flag,
/// because a character may be both a number and a capital (`Ⅻ`).
@usableFromInline
struct CharacterClass: WordCharacter {
    /// A letter or a number: part of a word.
    @usableFromInline let isWord: Bool
    @usableFromInline let isUpper: Bool
    @usableFromInline let isLower: Bool
    @usableFromInline let isDigit: Bool

    @usableFromInline
    init(_ character: Character) {
        // ASCII (most of any text) by its byte: the same answers as the properties below, at a
        // fraction of their cost. `asciiValue` is nil for an ASCII letter with a combining mark.
        if let byte = character.asciiValue {
            isWord = ByteClass.isWordByte(byte)
            isUpper = ByteClass.isUpper(byte)
            isLower = ByteClass.isLower(byte)
            isDigit = ByteClass.isDigit(byte)
        } else {
            isWord = character.isLetter || character.isNumber
            isUpper = isWord && character.isUppercase
            isLower = isWord && character.isLowercase
            isDigit = character.isNumber
        }
    }
}
