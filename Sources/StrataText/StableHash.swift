/// Hashing that gives the same value in every process, on every machine.
///
/// Swift's `Hasher` is seeded at random in every process, so anything persisted from it (the
/// built-in embedder's vectors, word ids) would change from run to run. These functions are
/// fixed: FNV-1a 64 for byte strings, the SplitMix64 finalizer to spread a hash over all 64
/// bits, and an order-sensitive combination for n-grams.
///
/// - Important: The built-in embedder's stored vectors are made of these values. Changing any
///   constant here changes every vector in every user's store.
@frozen
public enum StableHash {
    // Computed, not stored: a stored constant would be read through an accessor call from
    // other modules, once per hash.

    /// The FNV-1a 64 offset basis: the hash of no bytes.
    @inlinable
    public static var fnvOffset: UInt64 { 0xcbf2_9ce4_8422_2325 }
    /// The FNV-1a 64 prime.
    @inlinable
    public static var fnvPrime: UInt64 { 0x0000_0100_0000_01b3 }

    /// FNV-1a 64 of `bytes[start..<end]`.
    ///
    /// - Complexity: O(`end - start`).
    @inlinable @inline(__always)
    public static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var hash = fnvOffset
        for i in start..<end {
            hash = (hash ^ UInt64(bytes[i])) &* fnvPrime
        }
        return hash
    }

    /// FNV-1a 64 of a string's UTF-8 bytes, for constant tables (not a hot path).
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash = fnvOffset
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* fnvPrime }
        return hash
    }

    /// The SplitMix64 finalizer: every input bit flips about half the output bits.
    @inlinable @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// An order-sensitive combination of two hashes, for n-grams: `(a, b)` and `(b, a)` land
    /// apart.
    @inlinable @inline(__always)
    public static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        mix(((a << 23) | (a >> 41)) &* 0x9e37_79b9_7f4a_7c15 ^ b)
    }
}
