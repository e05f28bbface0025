/// The character classes of BERT's uncased text cleaning, looked up per Unicode scalar.
///
/// It follows HuggingFace's `BertNormalizer` (clean text, pad Chinese characters, strip
/// accents, lowercase) and `BertPreTokenizer` (split on white space, isolate punctuation)
/// character by character. The classes come from tables probed from that reference
/// (`WordPieceTokenizer+UnicodeTables.swift`), not from Swift's own Unicode properties, so
/// both sides agree on characters either Unicode version has not heard of.
///
/// Normalizing one scalar at a time equals normalizing the whole text, because every step is
/// per character; the one exception, NFD's canonical reordering of combining marks, only
/// reorders marks that are then dropped as nonspacing.
struct BertNormalizer: Sendable {
    /// What the normalizer does with one input scalar.
    enum Action: UInt8 {
        /// Keep it as it is.
        case keep = 0
        /// Delete it (controls, format characters, nonspacing marks).
        case remove = 1
        /// Replace it with a word break.
        case space = 2
        /// Surround it (after mapping) with word breaks: a CJK ideograph.
        case chinese = 3
        /// Replace it with the scalars in `mappings`.
        case map = 4
        /// Decompose it as a Hangul syllable (by rule).
        case hangul = 5
    }

    /// One byte per BMP scalar: the low 3 bits are the `Action`, bit 3 says the pre-tokenizer
    /// isolates it as punctuation, bit 4 that the pre-tokenizer splits on it.
    private let bmpTable: [UInt8]
    /// Replacement scalars for `.map`, by code point.
    private let mappings: [UInt32: [UInt32]]

    static let shared = BertNormalizer()

    private static let punctuationBit: UInt8 = 8
    private static let splitBit: UInt8 = 16

    private init() {
        var table = [UInt8](repeating: 0, count: 0x10000)
        func mark(_ ranges: [ClosedRange<UInt32>], _ apply: (inout UInt8) -> Void) {
            for range in ranges where range.lowerBound < 0x10000 {
                for scalar in range.lowerBound...min(range.upperBound, 0xFFFF) { apply(&table[Int(scalar)]) }
            }
        }
        var mappings: [UInt32: [UInt32]] = [:]
        for entry in BertUnicodeTables.mappings.split(separator: ";") {
            let parts = entry.split(separator: ":")
            guard parts.count == 2, let key = UInt32(parts[0], radix: 16) else { continue }
            mappings[key] = parts[1].split(separator: " ").compactMap { UInt32($0, radix: 16) }
        }
        for key in mappings.keys where key < 0x10000 { table[Int(key)] = Action.map.rawValue }
        mark([0xAC00...0xD7A3]) { $0 = Action.hangul.rawValue }
        mark(BertUnicodeTables.removed) { $0 = Action.remove.rawValue }
        mark(BertUnicodeTables.whitespace) { $0 = Action.space.rawValue }
        mark(BertUnicodeTables.chinese) { $0 = Action.chinese.rawValue }
        mark(BertUnicodeTables.punctuation) { $0 |= Self.punctuationBit }
        mark(BertUnicodeTables.splitSpace + BertUnicodeTables.whitespace + [0x20...0x20]) { $0 |= Self.splitBit }
        self.bmpTable = table
        self.mappings = mappings
    }

    /// The action for `scalar`.
    @inline(__always)
    func action(_ scalar: UInt32) -> Action {
        if scalar < 0x10000 { return Action(rawValue: bmpTable[Int(scalar)] & 7) ?? .keep }
        return supplementaryAction(scalar)
    }

    @inline(never)
    private func supplementaryAction(_ scalar: UInt32) -> Action {
        if Self.contains(BertUnicodeTables.removed, scalar) { return .remove }
        if Self.contains(BertUnicodeTables.whitespace, scalar) { return .space }
        if Self.contains(BertUnicodeTables.chinese, scalar) { return .chinese }
        return mappings[scalar] == nil ? .keep : .map
    }

    /// The replacement of a scalar whose action is `.map` (or `.chinese` with a mapping).
    func replacement(_ scalar: UInt32) -> [UInt32]? { mappings[scalar] }

    /// Whether the pre-tokenizer isolates the (normalized) scalar as a word of its own.
    @inline(__always)
    func isPunctuation(_ scalar: UInt32) -> Bool {
        if scalar < 0x10000 { return bmpTable[Int(scalar)] & Self.punctuationBit != 0 }
        return Self.contains(BertUnicodeTables.punctuation, scalar)
    }

    /// Whether the pre-tokenizer splits on the (normalized) scalar and drops it.
    @inline(__always)
    func isSplit(_ scalar: UInt32) -> Bool {
        if scalar < 0x10000 { return bmpTable[Int(scalar)] & Self.splitBit != 0 }
        return Self.contains(BertUnicodeTables.splitSpace, scalar)
    }

    /// Calls `emit` with each scalar `scalar` normalizes to (none when it is removed; a space
    /// for a word break).
    @inline(__always)
    func normalize(_ scalar: UInt32, _ emit: (UInt32) -> Void) {
        switch action(scalar) {
        case .keep: emit(scalar)
        case .remove: break
        case .space: emit(0x20)
        case .map: for out in mappings[scalar] ?? [scalar] { emit(out) }
        case .chinese:
            emit(0x20)
            for out in mappings[scalar] ?? [scalar] { emit(out) }
            emit(0x20)
        case .hangul: Self.decomposeHangul(scalar, emit)
        }
    }

    /// Unicode's algorithmic decomposition of a precomposed Hangul syllable into its jamo.
    private static func decomposeHangul(_ scalar: UInt32, _ emit: (UInt32) -> Void) {
        let index = scalar - 0xAC00
        let (lead, vowelTrail) = index.quotientAndRemainder(dividingBy: 588)
        let (vowel, trail) = vowelTrail.quotientAndRemainder(dividingBy: 28)
        emit(0x1100 + lead)
        emit(0x1161 + vowel)
        if trail != 0 { emit(0x11A7 + trail) }
    }

    private static func contains(_ ranges: [ClosedRange<UInt32>], _ scalar: UInt32) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < scalar { low = middle + 1 } else { high = middle }
        }
        return low < ranges.count && ranges[low].contains(scalar)
    }
}
