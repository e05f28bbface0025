import Foundation
import StrataKernels

/// Seeded damage to a file's bytes, for the fuzz tests: each kind of damage a disk, a crash, a
/// careless tool or a hostile user does to a file, chosen and placed by a ``SeededRandom``.
package enum FileMutation: CaseIterable, Sendable {
    /// One to eight bits flipped at random places.
    case flippedBits
    /// A run of up to 4 KiB set to zero.
    case zeroedRun
    /// A run of up to 4 KiB overwritten with random bytes.
    case garbageRun
    /// The file cut short at a random length.
    case truncated
    /// A 4- or 8-byte word in the first 512 bytes (where headers keep their counts and
    /// offsets) replaced by a huge value.
    case hugeLength
    /// Random bytes appended.
    case appended

    /// `bytes` damaged by a mutation chosen by `random`, and what was done.
    package static func apply(to bytes: [UInt8], using random: inout SeededRandom) -> (bytes: [UInt8], what: String) {
        let kind = allCases[Int(random.next() % UInt64(allCases.count))]
        return kind.apply(to: bytes, using: &random)
    }

    package func apply(to original: [UInt8], using random: inout SeededRandom) -> (bytes: [UInt8], what: String) {
        var bytes = original
        guard !bytes.isEmpty else { return ([0xFF], "one byte written to an empty file") }
        func position(below limit: Int) -> Int { Int(random.next() % UInt64(max(1, limit))) }
        switch self {
        case .flippedBits:
            let count = 1 + position(below: 8)
            var places: [Int] = []
            for _ in 0..<count {
                let at = position(below: bytes.count)
                bytes[at] ^= UInt8(1 << position(below: 8))
                places.append(at)
            }
            return (bytes, "bits flipped at bytes \(places)")
        case .zeroedRun, .garbageRun:
            let start = position(below: bytes.count)
            let end = min(bytes.count, start + 1 + position(below: 4096))
            for i in start..<end { bytes[i] = self == .zeroedRun ? 0 : UInt8(truncatingIfNeeded: random.next()) }
            return (bytes, "\(self == .zeroedRun ? "zeroed" : "garbage in") bytes \(start)..<\(end)")
        case .truncated:
            let length = position(below: bytes.count)
            return (Array(bytes.prefix(length)), "cut to \(length) of \(original.count) bytes")
        case .hugeLength:
            let width = random.next() % 2 == 0 ? 4 : 8
            let start = position(below: max(1, min(512, bytes.count) - width + 1)) / width * width
            let values: [UInt64] = [.max, UInt64(UInt32.max), 1 << 62, 1 << 40, UInt64(Int32.max) + 1]
            let value = values[position(below: values.count)]
            for i in 0..<width where start + i < bytes.count { bytes[start + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
            return (bytes, "\(width)-byte word at byte \(start) set to \(value)")
        case .appended:
            let count = 1 + position(below: 4096)
            bytes += (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            return (bytes, "\(count) random bytes appended")
        }
    }

    /// Mutations per fuzzed file kind: `STRATA_FUZZ_COUNT` (`make fuzz` sets 10,000), else
    /// `default`, a count `make test` runs in seconds.
    package static func count(default value: Int) -> Int {
        ProcessInfo.processInfo.environment["STRATA_FUZZ_COUNT"].flatMap(Int.init).map { max(1, $0) } ?? value
    }

    /// The seed of a fuzz run: `STRATA_FUZZ_SEED`, else `default`; printed with any failure so
    /// that it can be replayed.
    package static func seed(default value: UInt64) -> UInt64 {
        ProcessInfo.processInfo.environment["STRATA_FUZZ_SEED"].flatMap(UInt64.init) ?? value
    }
}
