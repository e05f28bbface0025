/// ``Keywords/code`` and ``Keywords/englishStopWords`` as an open-addressing table keyed by
/// FNV-1a 64 hash, so a scanner can ask about a word it has only hashed.
///
/// Lookups are case-sensitive on the hash they are given: hash a word as written to ask
/// whether it is a keyword as written (`None`), or its ``WordKey`` to ask about its lower-cased
/// singular (`nones` → `none`, not a keyword).
///
/// - Complexity: ``kind(_:)`` is O(1): 1,024 slots for about 250 words, a short linear probe.
public struct KeywordTable: Sendable {
    /// The one table; it is immutable.
    public static let shared = KeywordTable()

    /// What a word is.
    public enum Kind: UInt8, Sendable {
        /// Neither a keyword nor a stop word: a name or a word of prose.
        case none = 0
        /// In ``Keywords/code``.
        case keyword = 1
        /// In ``Keywords/englishStopWords`` only.
        case stopWord = 2
    }

    @usableFromInline let keys: [UInt64]
    @usableFromInline let kinds: [UInt8]
    @usableFromInline static var slotBits: Int { 10 }

    private init() {
        let size = 1 << Self.slotBits
        var keys = [UInt64](repeating: 0, count: size)
        var kinds = [UInt8](repeating: 0, count: size)
        func add(_ word: String, _ kind: Kind) {
            let hash = StableHash.fnv1a(word)
            var slot = Int(truncatingIfNeeded: StableHash.mix(hash)) & (size - 1)
            while kinds[slot] != 0, keys[slot] != hash { slot = (slot + 1) & (size - 1) }
            // A word already present keeps its first kind: keywords go in first.
            if kinds[slot] == 0 { keys[slot] = hash; kinds[slot] = kind.rawValue }
        }
        for word in Keywords.code { add(word, .keyword) }
        for word in Keywords.englishStopWords { add(word, .stopWord) }
        self.keys = keys
        self.kinds = kinds
    }

    /// The kind of the word whose FNV-1a 64 hash is `hash`.
    @inlinable @inline(__always)
    public func kind(_ hash: UInt64) -> Kind {
        let mask = (1 << Self.slotBits) - 1
        var slot = Int(truncatingIfNeeded: StableHash.mix(hash)) & mask
        while true {
            let kind = kinds[slot]
            if kind == 0 { return .none }
            if keys[slot] == hash { return Kind(rawValue: kind)! }
            slot = (slot + 1) & mask
        }
    }

    /// The kind of `word`, as written (case-sensitive: `None` is a keyword, `none` is not).
    public func kind(of word: String) -> Kind {
        kind(StableHash.fnv1a(word))
    }
}
