/// Stable hashing for the built-in embedder's features.
///
/// Swift's `Hasher` is seeded at random in every process, so vectors hashed with it would
/// change from run to run; a store written yesterday would no longer match today's queries.
/// These functions are fixed: FNV-1a 64 for byte strings, and the SplitMix64 finalizer to
/// spread combined hashes over all 64 bits.
package enum FeatureHash {
    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    /// FNV-1a 64 of `bytes[start..<end]`.
    @inline(__always)
    package static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var hash = fnvOffset
        for i in start..<end {
            hash = (hash ^ UInt64(bytes[i])) &* fnvPrime
        }
        return hash
    }

    /// FNV-1a 64 of an ASCII string, for the constant tables.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash = fnvOffset
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* fnvPrime }
        return hash
    }

    /// The SplitMix64 finalizer: every input bit flips about half the output bits.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// An order-sensitive combination of two symbol hashes, for n-grams: `(a, b)` and
    /// `(b, a)` land apart.
    @inline(__always)
    static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        mix(((a << 23) | (a >> 41)) &* 0x9e37_79b9_7f4a_7c15 ^ b)
    }
}
