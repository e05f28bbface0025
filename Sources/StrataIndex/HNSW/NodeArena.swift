#if canImport(Glibc)
import Glibc
#endif
import CStrataShims
import Foundation
import StrataKernels
import Synchronization

/// Per-node bookkeeping kept beside the level-0 records.
///
/// `lock` guards the node's neighbour lists while the graph is built; searches read lists
/// without it (see ``NodeArena``).
package struct NodeMeta {
    /// The caller's id.
    var label: UInt64
    /// Upper-level lists: `level` runs of `1 + M` words, level 1 first; `nil` on level 0.
    var upper: UnsafeMutablePointer<UInt32>?
    var lock: UInt32
    var level: UInt8
    var deleted: UInt8
}

/// The in-memory storage of an HNSW graph: fixed-stride level-0 records in one reserved
/// address range that never moves, so the graph grows without a capacity fixed in advance
/// while other threads search.
///
/// ```
/// records (2 MiB aligned, transparent huge pages requested):
/// ┌──────────────────────────── stride (multiple of 64) ────────────────────────────┐
/// │ vector: dimension × Float32 │ count: UInt32 │ ids: M0 × UInt32 │ [scale: Float32 │ codes: dimension × Int8] │ pad │  slot 0
/// │ ...                                                                               │  slot 1, 2, ...
/// metas: NodeMeta × slots, a second range of the same kind
/// ```
///
/// The bracketed int8 codes are present only with ``VectorQuantization/int8``: traversal then
/// reads the links and the codes, which are adjacent, and the float32 vector only to re-rank.
///
/// The vector sits at offset 0 so that, with a 64-byte stride, it never straddles more cache
/// lines than it must; the links follow it, so expanding a node and scoring it touch
/// adjacent memory.
///
/// Why one reservation: the address range is mapped once with `MAP_NORESERVE` (no memory is
/// committed until a page is first written) and advised `MADV_HUGEPAGE`. Search reads records
/// at random, so with 4 KiB pages nearly every vector costs a TLB miss; with 2 MiB pages a
/// graph of 100k × 384 spans ~90 TLB entries. Growth is a bump of the slot count, and a slot
/// is one multiply-add away from its record.
///
/// Invariants:
/// - `records` and `metas` stay mapped at the same address for the arena's life;
///   `capacity` slots fit in them.
/// - a slot below `slotCount` has a zeroed record until written (fresh anonymous pages).
/// - readers may read a neighbour list while a writer holds the node's lock and updates it.
///   Each id is written as one aligned 32-bit store and the ids a writer stores are slots whose
///   vector and metadata were initialized before the first link to them was published, so
///   a racing reader sees an old or a new list entry, both valid slots. hnswlib's search makes
///   the same trade; the alternative, a lock per expanded node, costs every query.
package final class NodeArena: @unchecked Sendable {
    let dimension: Int
    let maxLinks0: Int
    let maxLinks: Int
    /// Bytes per level-0 record.
    package let stride: Int
    /// Byte offset of the link count within a record.
    let linksOffset: Int
    /// Byte offset of the int8 codes' scale within a record, when the arena keeps codes.
    let codesOffset: Int
    /// Whether records carry int8 codes after the links.
    let quantized: Bool
    /// Slots the reservations hold.
    package let capacity: Int

    package let records: UnsafeMutableRawPointer
    let metas: UnsafeMutablePointer<NodeMeta>
    private let recordsReservation: Reservation
    private let metasReservation: Reservation
    private let growth = Mutex(())
    /// Published slot count, read by searching threads.
    private let slotCountWord = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    private let upperBytesWord = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)

    package init(dimension: Int, m: Int, quantized: Bool) throws(IndexError) {
        self.dimension = dimension
        self.quantized = quantized
        maxLinks = m
        maxLinks0 = 2 * m
        linksOffset = dimension * 4
        codesOffset = linksOffset + 4 * (1 + maxLinks0)
        stride = (codesOffset + (quantized ? 4 + dimension : 0) + 63) & ~63
        recordsReservation = try Reservation(largestUpTo: Reservation.defaultBytes)
        let slots = min(recordsReservation.bytes / stride, Int(UInt32.max) - 1)
        metasReservation = try Reservation(largestUpTo: slots * MemoryLayout<NodeMeta>.stride)
        capacity = min(slots, metasReservation.bytes / MemoryLayout<NodeMeta>.stride)
        records = recordsReservation.base
        metas = metasReservation.base.bindMemory(to: NodeMeta.self, capacity: capacity)
        slotCountWord.initialize(to: 0)
        upperBytesWord.initialize(to: 0)
    }

    deinit {
        for slot in 0..<slotCount { free(metas[slot].upper) }
        slotCountWord.deallocate()
        upperBytesWord.deallocate()
    }

    /// The number of slots handed out.
    var slotCount: Int { Int(strata_load_acquire_u64(slotCountWord)) }

    /// Bytes in use: the records and metadata of every slot, and the upper-level lists.
    var allocatedBytes: Int {
        slotCount * (stride + MemoryLayout<NodeMeta>.stride) + Int(strata_load_acquire_u64(upperBytesWord))
    }

    /// Hands out the next slot.
    func allocateSlot() throws(IndexError) -> UInt32 {
        let slot: Int? = growth.withLock { _ in
            let slot = slotCount
            guard slot < capacity else { return nil }
            strata_store_release_u64(slotCountWord, UInt64(slot + 1))
            return slot
        }
        guard let slot else { throw .capacityExceeded(limit: capacity) }
        return UInt32(slot)
    }

    @inline(__always)
    func record(_ slot: UInt32) -> UnsafeMutableRawPointer {
        records + Int(slot) &* stride
    }

    @inline(__always)
    func meta(_ slot: UInt32) -> UnsafeMutablePointer<NodeMeta> {
        metas + Int(slot)
    }

    @inline(__always)
    func vector(_ slot: UInt32) -> UnsafeMutablePointer<Float> {
        record(slot).assumingMemoryBound(to: Float.self)
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
    /// Where ``codes(_:)`` reads: the arena's records, or a batch's ``BuildCodes``.
    private let codeBase: UnsafeRawPointer
    private let codeStride: Int

    /// A view of the first `slotCount` slots, reading int8 codes from `buildCodes` when given
    /// (which must hold at least `slotCount` slots) and from the arena's records otherwise.
    init(arena: NodeArena, slotCount: Int, scratch: UnsafeMutablePointer<UInt32>, buildCodes: BuildCodes? = nil) {
        self.arena = arena
        self.slotCount = slotCount
        self.scratch = scratch
        if let buildCodes {
            precondition(slotCount <= buildCodes.capacity, "build codes for \(buildCodes.capacity) slots read for \(slotCount)")
            codeBase = UnsafeRawPointer(buildCodes.base)
            codeStride = buildCodes.stride
        } else {
            codeBase = UnsafeRawPointer(arena.codes(0))
            codeStride = arena.stride
        }
    }

    var dimension: Int { arena.dimension }
    func vector(_ slot: UInt32) -> UnsafePointer<Float> { UnsafePointer(arena.vector(slot)) }
    func maxLinks(level: Int) -> Int { level == 0 ? arena.maxLinks0 : arena.maxLinks }
    func isDeleted(_ slot: UInt32) -> Bool { arena.meta(slot).pointee.deleted != 0 }
    func label(_ slot: UInt32) -> UInt64 { arena.meta(slot).pointee.label }
    @inline(__always)
    func codes(_ slot: UInt32) -> UnsafeRawPointer { codeBase + Int(slot) &* codeStride }

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

/// An address range reserved with `mmap(MAP_NORESERVE)`: memory is committed page by page
/// as it is first written, and unmapped when the reservation is released.
final class Reservation: @unchecked Sendable {
    /// What one graph reserves: 1 TiB of address space, far more than any graph here and free
    /// until touched, unless `STRATA_ARENA_GIB` sets a smaller number of GiB. The variable is
    /// for systems that charge reserved address space (strict overcommit, where the halving
    /// below would take the whole commit limit for one graph) and for emulators that track
    /// every reserved page (qemu-user, which the CPU-matrix check runs under).
    static let defaultBytes: Int = {
        if let text = getenv("STRATA_ARENA_GIB"), let gib = Int(String(cString: text)), gib >= 1, gib <= 1024 {
            return gib << 30
        }
        return 1 << 40
    }()
    static let hugePage = 2 << 20

    let base: UnsafeMutableRawPointer
    let bytes: Int
    private let mapping: UnsafeMutableRawPointer
    private let mappedBytes: Int

    /// Reserves `bytes` (rounded up to 2 MiB), or the largest power-of-two share of it the
    /// system grants (strict overcommit or an address-space limit may refuse 1 TiB).
    init(largestUpTo bytes: Int) throws(IndexError) {
        var size = max(Self.hugePage, (bytes + Self.hugePage - 1) / Self.hugePage * Self.hugePage)
        while true {
            let length = size + Self.hugePage
            if let raw = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
               raw != MAP_FAILED {
                mapping = raw
                mappedBytes = length
                let aligned = (Int(bitPattern: raw) + Self.hugePage - 1) / Self.hugePage * Self.hugePage
                base = UnsafeMutableRawPointer(bitPattern: aligned)!
                self.bytes = size
                // Advice only: without transparent huge pages the range still works.
                _ = madvise(base, size, MADV_HUGEPAGE)
                return
            }
            guard size > Self.hugePage * 8 else {
                // Not a case of its own: one more case in IndexError made Swift 6.3.1's release
                // build crash where Swift Testing describes a StoreError that wraps it.
                throw .invalidConfiguration(
                    parameter: "address space for a graph", value: "\(size >> 20) MiB, refused by the system",
                    expected: "a limit that grants it (ulimit -v, strict overcommit), or STRATA_ARENA_GIB set to a size it grants")
            }
            size /= 2
        }
    }

    deinit { munmap(mapping, mappedBytes) }
}
