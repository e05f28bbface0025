import StrataKernels

/// Int8 codes of a float32 graph's nodes, kept beside the graph while a large batch is
/// inserted and dropped after it, so that linking finds its candidates on a quarter of the
/// bytes, as an int8 arena does with the codes it stores.
///
/// The codes only choose candidates: the candidates found are scored again in float32 before
/// the heuristic picks the neighbours, so the links and the distances stored with them are
/// those of float32. A slot whose codes were never written (inserted by another thread
/// outside the batch) reads as zeros, a poor approximation but never a wrong link.
///
/// - Invariant: every slot below ``capacity`` has `stride` bytes, zeroed until written;
///   callers ask only for slots below it (``LockedArenaView`` checks before it uses them).
final class BuildCodes: @unchecked Sendable {
    /// The slots the buffer holds codes for.
    let capacity: Int
    /// Bytes per slot: the Float32 scale, then `dimension` codes, rounded up to a cache line
    /// so that one slot's codes start a line (a 384-d slot is 7 lines, not 8).
    let stride: Int
    let dimension: Int
    let base: UnsafeMutableRawPointer

    /// A zeroed buffer for `capacity` slots of `dimension` components.
    init(dimension: Int, capacity: Int) {
        self.dimension = dimension
        self.capacity = capacity
        stride = (4 + dimension + 63) & ~63
        base = .allocate(byteCount: max(1, capacity) * stride, alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: max(1, capacity) * stride)
    }

    deinit { base.deallocate() }

    /// Quantizes `vector` into `slot`'s codes; slots at or past ``capacity`` are skipped.
    func store(_ vector: UnsafePointer<Float>, in slot: UInt32) {
        guard Int(slot) < capacity else { return }
        let codes = base + Int(slot) * stride
        let scale = ScalarQuantizer.quantize(vector, count: dimension, into: (codes + 4).assumingMemoryBound(to: Int8.self))
        codes.storeBytes(of: scale, as: Float.self)
    }

    /// How large a batch earns build codes: at least 1,000 vectors and one for every 16 nodes
    /// already in the graph. Quantizing an existing node costs one pass over its vector, while
    /// linking a new one costs some thousands of distances, so even the smallest such batch
    /// repays the codes of the whole graph many times over; a handful of vectors into a large
    /// graph would not.
    static func pay(batch: Int, existing: Int) -> Bool {
        batch >= 1_000 && batch * 16 >= existing
    }
}

extension HNSWGraph {
    /// Build codes for a batch of `batch` vectors into this graph, the existing nodes' codes
    /// written on `threads` threads; nil when the graph keeps its own codes, when the metric
    /// is l2 (int8 codes approximate dot products only), or when the batch is too small.
    func makeBuildCodes(batch: Int, threads: Int) -> BuildCodes? {
        let existing = arena.slotCount
        guard !arena.quantized, metric != .l2, BuildCodes.pay(batch: batch, existing: existing) else { return nil }
        let codes = BuildCodes(dimension: dimension, capacity: existing + batch)
        let arena = self.arena
        Parallel.forEach(existing, threads: threads) { _, slot in
            codes.store(UnsafePointer(arena.vector(UInt32(slot))), in: UInt32(slot))
        }
        return codes
    }
}
