import StrataText

/// Per-worker scratch space for feature extraction, reused text after text so that the hot
/// path allocates nothing once the arrays have grown.
///
/// - Important: One scratch per thread; it is not safe to share. Its arrays skip the run-time
///   exclusivity checks, which took a large share of the extraction time, for that reason.
final class FeatureScratch: @unchecked Sendable {
    /// Group-tagged feature hashes of the current text, one per occurrence.
    @exclusivity(unchecked) var features: [UInt64] = []
    /// Structural symbols, identifiers as a placeholder.
    @exclusivity(unchecked) var plain: [UInt64] = []
    /// Structural symbols, identifiers as their back-reference distance class.
    @exclusivity(unchecked) var references: [UInt64] = []
    /// Positions in `plain` that hold identifiers.
    @exclusivity(unchecked) var isIdentifier: [Bool] = []
    /// TF-IDF weight of each distinct feature, filled by the embedder.
    @exclusivity(unchecked) var weights: [Float] = []
    /// How much the text is code rather than prose, 0 through 1: the share the structural
    /// groups get (see `FeatureExtractor.codeLikeness`).
    var codeLikeness: Float = 0

    // Last use of each identifier name, an open-addressing table reset by bumping `tag`.
    static let nameSlotBits = 12
    @exclusivity(unchecked) var nameKeys: [UInt64]
    @exclusivity(unchecked) var nameLastUse: [Int32]
    @exclusivity(unchecked) var nameTags: [UInt32]
    var tag: UInt32 = 0

    init() {
        let size = 1 << Self.nameSlotBits
        nameKeys = [UInt64](repeating: 0, count: size)
        nameLastUse = [Int32](repeating: 0, count: size)
        nameTags = [UInt32](repeating: 0, count: size)
        features.reserveCapacity(4096)
        plain.reserveCapacity(1024)
        references.reserveCapacity(1024)
        isIdentifier.reserveCapacity(1024)
        weights.reserveCapacity(2048)
    }

    func reset() {
        features.removeAll(keepingCapacity: true)
        plain.removeAll(keepingCapacity: true)
        references.removeAll(keepingCapacity: true)
        isIdentifier.removeAll(keepingCapacity: true)
        tag &+= 1
        if tag == 0 {
            for i in nameTags.indices { nameTags[i] = 0 }
            tag = 1
        }
    }

    /// Records a use of the name hashed `key` as identifier number `ordinal` and returns the
    /// distance to its previous use, or 0 when the name is new.
    @inline(__always)
    func distanceToPreviousUse(of key: UInt64, ordinal: Int32) -> Int32 {
        let mask = (1 << Self.nameSlotBits) - 1
        var slot = Int(truncatingIfNeeded: key ^ key >> 29) & mask
        for _ in 0..<32 {
            if nameTags[slot] != tag {
                nameTags[slot] = tag
                nameKeys[slot] = key
                nameLastUse[slot] = ordinal
                return 0
            }
            if nameKeys[slot] == key {
                let distance = ordinal - nameLastUse[slot]
                nameLastUse[slot] = ordinal
                return distance
            }
            slot = (slot + 1) & mask
        }
        // A text with thousands of distinct names: treat the overflow as new names.
        return 0
    }
}
