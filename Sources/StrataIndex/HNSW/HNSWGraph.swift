import CStrataShims
import Foundation
import StrataKernels
import Synchronization

/// A Hierarchical Navigable Small World graph over float vectors: the hot tier's index.
///
/// Nodes live in *slots* (dense `UInt32`s); callers name vectors by their own `UInt64` ids,
/// mapped to slots in one table. Level-0 links and vectors share a fixed-stride record
/// (``NodeArena``); upper levels are kept apart, per node.
///
/// - Important: All methods may be called from many threads at once. Searches take no lock
///   shared with other searches; inserts lock only the neighbour lists they change. Two
///   concurrent writes to the *same* id are applied in an unspecified order.
public final class HNSWGraph: @unchecked Sendable {
    /// The parameters the graph was built with.
    public let configuration: HNSWConfiguration
    let arena: NodeArena
    let contexts: SearchContextPool

    /// Ids ↔ slots and the slots of deleted nodes awaiting reuse.
    struct Directory {
        var slotOf: [UInt64: UInt32] = [:]
        var freeSlots: [UInt32] = []
    }
    let directory = Mutex(Directory())

    /// `entryLevel << 32 | entrySlot`, or `UInt64.max` while the graph is empty; read
    /// atomically by searches.
    let entryWord = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    /// Held while a node above the current top level is linked, so that two such nodes do
    /// not race for the entry point.
    let entryLock = Mutex(())
    let deletedWord = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    /// `1 / ln(M)`: the level multiplier `mL` of the paper.
    let levelMultiplier: Double

    /// Creates an empty graph.
    ///
    /// - Throws: ``IndexError/invalidConfiguration(parameter:value:expected:)`` naming the
    ///   first parameter out of range.
    public init(configuration: HNSWConfiguration) throws(IndexError) {
        try configuration.validate()
        self.configuration = configuration
        arena = try NodeArena(dimension: configuration.dimension, m: configuration.m, quantized: configuration.quantization == .int8)
        contexts = SearchContextPool(dimension: configuration.dimension, maxNeighbors: configuration.maxNeighborsLevel0)
        levelMultiplier = 1 / log(Double(configuration.m))
        entryWord.initialize(to: .max)
        deletedWord.initialize(to: 0)
    }

    deinit {
        entryWord.deallocate()
        deletedWord.deallocate()
    }

    /// Vector length.
    public var dimension: Int { configuration.dimension }
    /// The metric vectors are compared by.
    public var metric: Metric { configuration.metric }
    /// Live (not deleted) vectors.
    public var count: Int { directory.withLock { $0.slotOf.count } }
    /// Slots in use, live or deleted.
    public var slotCount: Int { arena.slotCount }
    /// Deleted slots not yet reused or compacted away.
    public var deletedCount: Int { Int(strata_load_acquire_u64(deletedWord)) }
    /// Bytes of memory the graph holds: records, upper lists and the id table.
    public var memoryBytes: Int {
        let directoryBytes = directory.withLock { $0.slotOf.capacity * 13 + $0.freeSlots.capacity * 4 }
        return arena.allocatedBytes + directoryBytes
    }

    /// Whether `id` names a live vector.
    public func contains(_ id: UInt64) -> Bool { directory.withLock { $0.slotOf[id] != nil } }

    /// The stored vector of `id` (normalized for cosine), or `nil`.
    public func vector(for id: UInt64) -> [Float]? {
        guard let slot = directory.withLock({ $0.slotOf[id] }) else { return nil }
        return Array(UnsafeBufferPointer(start: arena.vector(slot), count: dimension))
    }

    /// The entry point and top level, or `nil` while empty.
    var entry: (slot: UInt32, level: Int)? {
        let word = strata_load_acquire_u64(entryWord)
        guard word != .max else { return nil }
        return (UInt32(truncatingIfNeeded: word), Int(word >> 32))
    }

    func setEntry(slot: UInt32, level: Int) {
        strata_store_release_u64(entryWord, UInt64(level) << 32 | UInt64(slot))
    }

    /// The level of a new node: `⌊-ln(u) · mL⌋` with `u` drawn from a hash of the seed and
    /// the id, so that a build is reproducible whatever the thread count.
    func randomLevel(for id: UInt64) -> Int {
        var random = SeededRandom(seed: id &+ configuration.seed &* 0x9E37_79B9_7F4A_7C15)
        let u = 1 - random.uniform() // (0, 1]: log(0) never happens
        return min(Int(-log(u) * levelMultiplier), 30)
    }
}
