/// The words the built-in embedder treats as syntax rather than as names.
///
/// One table covers Python, Swift, JavaScript/TypeScript, Go, Rust, Java and C, since the
/// embedder does not know a text's language. A keyword keeps its own symbol in the structural
/// stream (where an identifier becomes a placeholder) and gives no word feature. Words that
/// are keywords somewhere but common variable names elsewhere (`match`, `loop`, `select`,
/// `default`, `type`, `init`) are left out: renaming such a variable would otherwise change
/// the structure of the code.
///
/// Stop words are English function words; they give no word feature, in comments, strings
/// or natural-language queries, but are ordinary identifiers in code.
package struct KeywordTable: Sendable {
    package static let shared = KeywordTable()

    package enum Kind: UInt8 { case none = 0, keyword = 1, stopWord = 2 }

    static let keywords = """
        False None True and as assert async await break class continue def del elif else \
        except finally for from global if import in is lambda nonlocal not or pass raise \
        return try while with yield \
        func let var struct enum protocol extension deinit guard switch case where throws \
        throw rethrows catch do repeat inout static private public internal fileprivate \
        final override mutating some Self self nil true false typealias associatedtype \
        subscript \
        function const new this typeof instanceof undefined null delete void export \
        interface implements extends super of \
        package chan go defer fallthrough goto fn mut pub impl trait crate dyn unsafe \
        protected abstract synchronized volatile boolean int long short byte char float \
        double union typedef unsigned signed sizeof extern
        """

    static let stopWords = """
        the an of to on at by be are was were it its this that these those we you he she \
        they them our your their has have had will would can could should may might must \
        than then there here which who whom whose what when how why all any each both \
        such only own same so too very just also into onto about over under after before \
        between through during without within upon per via
        """

    private let keys: [UInt64]
    private let kinds: [UInt8]
    private static let slotBits = 10

    private init() {
        let size = 1 << Self.slotBits
        var keys = [UInt64](repeating: 0, count: size)
        var kinds = [UInt8](repeating: 0, count: size)
        func add(_ word: Substring, _ kind: Kind) {
            let hash = FeatureHash.fnv1a(String(word))
            var slot = Int(truncatingIfNeeded: FeatureHash.mix(hash)) & (size - 1)
            while kinds[slot] != 0, keys[slot] != hash { slot = (slot + 1) & (size - 1) }
            if kinds[slot] == 0 { keys[slot] = hash; kinds[slot] = kind.rawValue }
        }
        for word in Self.keywords.split(whereSeparator: { $0 == " " || $0 == "\n" }) { add(word, .keyword) }
        for word in Self.stopWords.split(whereSeparator: { $0 == " " || $0 == "\n" }) { add(word, .stopWord) }
        self.keys = keys
        self.kinds = kinds
    }

    /// The kind of the word whose FNV-1a 64 hash is `hash`.
    @inline(__always)
    package func kind(_ hash: UInt64) -> Kind {
        let mask = (1 << Self.slotBits) - 1
        var slot = Int(truncatingIfNeeded: FeatureHash.mix(hash)) & mask
        while true {
            let kind = kinds[slot]
            if kind == 0 { return .none }
            if keys[slot] == hash { return Kind(rawValue: kind)! }
            slot = (slot + 1) & mask
        }
    }
}
