import CStrataShims
import Foundation
import StrataKernels
import Synchronization

/// Per-node bookkeeping kept beside the level-0 records.
///
/// `lock` guards the node's neighbour lists while the graph is built; searches read lists
/// without it (see ``NodeArena``).
struct NodeMeta {
    /// The caller's id.
    var label: UInt64
    /// Upper-level lists: `level` runs of `1 + M` words, level 1 first; `nil` on level 0.
    var upper: UnsafeMutablePointer<UInt32>?
    var lock: UInt32
    var level: UInt8
    var deleted: UInt8
}

/// The in-memory storage of an HNSW graph: fixed-stride level-0 records in chunks that never
/// move, so the graph grows without a capacity fixed in advance while other threads search.
///
/// ```
/// chunk (64-byte aligned), 1,024 slots:
/// ┌──────────────── stride (multiple of 64) ────────────────┐
/// │ vector: dimension × Float32 │ count: UInt32 │ ids: M0 × UInt32 │ [scale: Float32 │ codes: dimension × Int8] │ pad │  slot 0
/// │ ...                                                      │  slot 1 ... 1023
/// ├──────────────────────────────────────────────────────────┤
/// │ NodeMeta × 1,024                                          │
/// └──────────────────────────────────────────────────────────┘
/// ```
///
/// The bracketed int8 codes are present only with ``VectorQuantization/int8``: traversal then
/// reads the links and the codes, which are adjacent, and the float32 vector only to re-rank.
///
/// The vector sits at offset 0 so that, with a 64-byte stride, it never straddles more cache
/// lines than it must; the links follow it, so expanding a node and scoring it touch
/// adjacent memory.
///
/// Invariants:
/// - `chunkTable` has `maxChunks` entries, allocated once and never moved; entries
///   `0..<chunkCount` point to live chunks, which are freed only in `deinit`.
/// - a slot below `slotCount` lies in an allocated chunk; its record is zeroed until written.
/// - readers may read a neighbour list while a writer holds the node's lock and updates it.
///   Each id is written as one aligned 32-bit store and the ids a writer stores are slots whose
///   vector and metadata were initialized before the first link to them was published, so
///   a racing reader sees an old or a new list entry, both valid slots. hnswlib's search makes
///   the same trade; the alternative, a lock per expanded node, costs every query.
final class NodeArena: @unchecked Sendable {
    static let chunkShift = 10
    static let chunkSlots = 1 << chunkShift
    static let maxChunks = 1 << 22

    let dimension: Int
    let maxLinks0: Int
    let maxLinks: Int
    /// Bytes per level-0 record.
    let stride: Int
    /// Byte offset of the link count within a record.
    let linksOffset: Int
    /// Byte offset of the int8 codes' scale within a record, when the arena keeps codes.
    let codesOffset: Int
    /// Whether records carry int8 codes after the links.
    let quantized: Bool
    /// Byte offset of the `NodeMeta` array within a chunk.
    let metaOffset: Int
    let chunkBytes: Int

    let chunkTable: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    private let growth = Mutex<Int>(0)
    /// Published slot count, read by searching threads.
    private let slotCountWord = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    private let upperBytesWord = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)

    init(dimension: Int, m: Int, quantized: Bool) {
        self.dimension = dimension
        self.quantized = quantized
        maxLinks = m
        maxLinks0 = 2 * m
        linksOffset = dimension * 4
        codesOffset = linksOffset + 4 * (1 + maxLinks0)
        stride = (codesOffset + (quantized ? 4 + dimension : 0) + 63) & ~63
        metaOffset = stride * Self.chunkSlots
        chunkBytes = metaOffset + MemoryLayout<NodeMeta>.stride * Self.chunkSlots
        // calloc: the table's pages are committed only as chunks are added.
        chunkTable = calloc(Self.maxChunks, MemoryLayout<UnsafeMutableRawPointer?>.stride)!
            .bindMemory(to: UnsafeMutableRawPointer?.self, capacity: Self.maxChunks)
        slotCountWord.initialize(to: 0)
        upperBytesWord.initialize(to: 0)
    }

    deinit {
        let slots = slotCount
        for slot in 0..<slots { free(meta(UInt32(slot)).pointee.upper) }
        let chunks = growth.withLock { $0 }
        for c in 0..<chunks { free(chunkTable[c]) }
        free(chunkTable)
        slotCountWord.deallocate()
        upperBytesWord.deallocate()
    }

    /// The number of slots handed out.
    var slotCount: Int { Int(strata_load_acquire_u64(slotCountWordPointer)) }
    var slotCountWordPointer: UnsafeMutablePointer<UInt64> { slotCountWord }

    /// Bytes held: chunks, upper-level lists and the chunk table's touched pages.
    var allocatedBytes: Int {
        let chunks = growth.withLock { $0 }
        let tablePages = (chunks * 8 + 4095) / 4096 * 4096
        return chunks * chunkBytes + Int(strata_load_acquire_u64(upperBytesWord)) + tablePages
    }

    /// Hands out the next slot, adding a chunk when the last one is full.
    func allocateSlot() throws(IndexError) -> UInt32 {
        let result: Result<UInt32, IndexError> = growth.withLock { chunks in
            let slot = Int(strata_load_acquire_u64(slotCountWord))
            guard slot < Int(UInt32.max) else { return .failure(.capacityExceeded(limit: Int(UInt32.max))) }
            if slot >> Self.chunkShift >= chunks {
                guard let chunk = aligned_alloc(64, chunkBytes) else {
                    return .failure(.capacityExceeded(limit: slot))
                }
                memset(chunk, 0, chunkBytes)
                chunkTable[chunks] = chunk
                chunks += 1
            }
            strata_store_release_u64(slotCountWord, UInt64(slot + 1))
            return .success(UInt32(slot))
        }
        return try result.get()
    }

    @inline(__always)
    func record(_ slot: UInt32) -> UnsafeMutableRawPointer {
        chunkTable[Int(slot >> UInt32(Self.chunkShift))].unsafelyUnwrapped
            + Int(slot & UInt32(Self.chunkSlots - 1)) &* stride
    }

    @inline(__always)
    func vector(_ slot: UInt32) -> UnsafeMutablePointer<Float> {
        record(slot).assumingMemoryBound(to: Float.self)
    }

    @inline(__always)
    func meta(_ slot: UInt32) -> UnsafeMutablePointer<NodeMeta> {
        (chunkTable[Int(slot >> UInt32(Self.chunkShift))].unsafelyUnwrapped + metaOffset)
            .assumingMemoryBound(to: NodeMeta.self) + Int(slot & UInt32(Self.chunkSlots - 1))
    }

    /// The list `[count, ids...]` of `slot` on `level`, for reading or writing.
    @inline(__always)
    func links(_ slot: UInt32, level: Int) -> UnsafeMutablePointer<UInt32> {
        if level == 0 {
            return (record(slot) + linksOffset).assumingMemoryBound(to: UInt32.self)
        }
        return meta(slot).pointee.upper.unsafelyUnwrapped + (level - 1) * (maxLinks + 1)
    }

    /// Sets up a fresh slot: its id, level, empty lists and vector.
    func initialize(_ slot: UInt32, label: UInt64, level: Int, vector: UnsafePointer<Float>) {
        let node = meta(slot)
        free(node.pointee.upper)
        var upper: UnsafeMutablePointer<UInt32>?
        if level > 0 {
            let words = level * (maxLinks + 1)
            upper = calloc(words, 4)!.bindMemory(to: UInt32.self, capacity: words)
            strata_fetch_add_u64(upperBytesWord, UInt64(words * 4))
        }
        node.initialize(to: NodeMeta(label: label, upper: upper, lock: 0, level: UInt8(level), deleted: 0))
        storeVector(vector, in: slot)
        links(slot, level: 0).pointee = 0
    }

    /// Writes a slot's vector, and its int8 codes when the arena keeps them.
    func storeVector(_ vector: UnsafePointer<Float>, in slot: UInt32) {
        self.vector(slot).update(from: vector, count: dimension)
        guard quantized else { return }
        let codes = record(slot) + codesOffset
        let scale = ScalarQuantizer.quantize(vector, count: dimension, into: (codes + 4).assumingMemoryBound(to: Int8.self))
        codes.storeBytes(of: scale, as: Float.self)
    }

    /// The scale and int8 codes of a slot (`4 + dimension` bytes).
    @inline(__always)
    func codes(_ slot: UInt32) -> UnsafeMutableRawPointer { record(slot) + codesOffset }

    /// Runs `body` holding the node's lock.
    func withLock<R>(_ slot: UInt32, _ body: () throws -> R) rethrows -> R {
        let word = lockWord(slot)
        strata_spin_lock(word)
        defer { strata_spin_unlock(word) }
        return try body()
    }

    func lockWord(_ slot: UInt32) -> UnsafeMutablePointer<UInt32> {
        UnsafeMutableRawPointer(meta(slot))
            .advanced(by: MemoryLayout<NodeMeta>.offset(of: \NodeMeta.lock)!)
            .assumingMemoryBound(to: UInt32.self)
    }

    /// A read view for searching.
    var view: ArenaView { ArenaView(arena: self, slotCount: slotCount) }
}

/// ``GraphLayout`` over a ``NodeArena``.
struct ArenaView: GraphLayout {
    let arena: NodeArena
    let slotCount: Int

    init(arena: NodeArena, slotCount: Int) {
        self.arena = arena
        self.slotCount = slotCount
    }

    var dimension: Int { arena.dimension }
    func vector(_ slot: UInt32) -> UnsafePointer<Float> { UnsafePointer(arena.vector(slot)) }
    func links(_ slot: UInt32, level: Int) -> UnsafePointer<UInt32> { UnsafePointer(arena.links(slot, level: level)) }
    func maxLinks(level: Int) -> Int { level == 0 ? arena.maxLinks0 : arena.maxLinks }
    func isDeleted(_ slot: UInt32) -> Bool { arena.meta(slot).pointee.deleted != 0 }
    func label(_ slot: UInt32) -> UInt64 { arena.meta(slot).pointee.label }
    @inline(__always)
    func codes(_ slot: UInt32) -> UnsafeRawPointer { UnsafeRawPointer(arena.codes(slot)) }
}

/// A view that copies each list under its node's lock before the search reads it: the search
/// that links a new node into a graph other threads are changing.
struct LockedArenaView: GraphLayout {
    let arena: NodeArena
    let slotCount: Int
    let scratch: UnsafeMutablePointer<UInt32>

    var dimension: Int { arena.dimension }
    func vector(_ slot: UInt32) -> UnsafePointer<Float> { UnsafePointer(arena.vector(slot)) }
    func maxLinks(level: Int) -> Int { level == 0 ? arena.maxLinks0 : arena.maxLinks }
    func isDeleted(_ slot: UInt32) -> Bool { arena.meta(slot).pointee.deleted != 0 }
    func label(_ slot: UInt32) -> UInt64 { arena.meta(slot).pointee.label }
    @inline(__always)
    func codes(_ slot: UInt32) -> UnsafeRawPointer { UnsafeRawPointer(arena.codes(slot)) }

    /// Copies the list into the context's scratch; valid until the next call.
    func links(_ slot: UInt32, level: Int) -> UnsafePointer<UInt32> {
        arena.withLock(slot) {
            let list = arena.links(slot, level: level)
            let count = min(Int(list[0]), maxLinks(level: level))
            scratch.update(from: list, count: count + 1)
            scratch[0] = UInt32(count)
        }
        return UnsafePointer(scratch)
    }
}
