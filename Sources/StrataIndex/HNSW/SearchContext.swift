import Synchronization

/// The scratch space of one search: visited marks, two heaps, the prepared query.
///
/// A context belongs to one thread at a time; ``SearchContextPool`` hands them out.
/// The visited set is reset by bumping a 16-bit tag rather than cleared: a slot was visited
/// in this search iff `visited[slot] == tag`, and the array is only zeroed when the tag wraps
/// (once in 65,535 searches).
final class SearchContext {
    var visited: UnsafeMutablePointer<UInt16>
    var visitedCapacity: Int
    var tag: UInt16 = 0
    var candidates: CandidateHeap<NearestFirst>
    var results: CandidateHeap<FarthestFirst>
    /// The query after normalization (cosine), `dimension` floats.
    let query: UnsafeMutablePointer<Float>
    /// A copy of one neighbour list, taken under the node's lock while the graph is built.
    let neighborScratch: UnsafeMutablePointer<UInt32>
    /// The query's int8 codes, for quantized traversal.
    let queryCodes: UnsafeMutablePointer<Int8>
    /// The unvisited neighbours of the node being expanded.
    let pending: UnsafeMutablePointer<UInt32>
    /// Int8 codes of a float32 graph's nodes while this context's worker inserts a batch into
    /// it (see ``BuildCodes``); nil otherwise.
    var buildCodes: BuildCodes?
    let dimension: Int

    init(dimension: Int, maxNeighbors: Int, slots: Int) {
        self.dimension = dimension
        visitedCapacity = max(slots, 1024)
        visited = .allocate(capacity: visitedCapacity)
        visited.initialize(repeating: 0, count: visitedCapacity)
        candidates = CandidateHeap(capacity: 256)
        results = CandidateHeap(capacity: 256)
        query = .allocate(capacity: dimension)
        neighborScratch = .allocate(capacity: maxNeighbors + 1)
        pending = .allocate(capacity: maxNeighbors + 1)
        queryCodes = .allocate(capacity: dimension)
    }

    deinit {
        visited.deallocate()
        candidates.deallocate()
        results.deallocate()
        query.deallocate()
        neighborScratch.deallocate()
        pending.deallocate()
        queryCodes.deallocate()
    }

    /// Starts a new search over `slots` slots: returns the tag that marks a slot visited.
    func beginSearch(slots: Int) -> UInt16 {
        if slots > visitedCapacity { growVisited(to: slots) }
        tag &+= 1
        if tag == 0 {
            visited.update(repeating: 0, count: visitedCapacity)
            tag = 1
        }
        candidates.removeAll()
        results.removeAll()
        return tag
    }

    /// Empties the result heap, nearest first.
    func drainResults() -> [Candidate] {
        var heap = results
        defer { results = heap }
        var out = [Candidate](repeating: Candidate(distance: 0, slot: 0), count: heap.count)
        var i = heap.count - 1
        while !heap.isEmpty {
            out[i] = heap.pop()
            i -= 1
        }
        return out
    }

    @inline(never)
    func growVisited(to slots: Int) {
        let capacity = max(slots, visitedCapacity * 2)
        let bigger = UnsafeMutablePointer<UInt16>.allocate(capacity: capacity)
        bigger.initialize(repeating: 0, count: capacity)
        visited.deallocate()
        visited = bigger
        visitedCapacity = capacity
        tag = 0
    }
}

/// Contexts for concurrent searches, taken and returned around each search.
///
/// The lock is held for a pop or a push only, never during a search.
final class SearchContextPool: Sendable {
    private let free: Mutex<[SearchContext]> = Mutex([])
    let dimension: Int
    let maxNeighbors: Int

    init(dimension: Int, maxNeighbors: Int) {
        self.dimension = dimension
        self.maxNeighbors = maxNeighbors
    }

    func withContext<R, E: Error>(slots: Int, _ body: (SearchContext) throws(E) -> R) throws(E) -> R {
        let context = free.withLock { $0.popLast() }
            ?? SearchContext(dimension: dimension, maxNeighbors: maxNeighbors, slots: slots)
        defer { free.withLock { $0.append(context) } }
        return try body(context)
    }

    /// `count` contexts at once, one per worker of a parallel loop: each worker then searches
    /// without touching the pool's lock again.
    func withContexts<R>(_ count: Int, slots: Int, _ body: ([SearchContext]) -> R) -> R {
        let taken: [SearchContext] = free.withLock { free in
            let reused = Array(free.suffix(count))
            free.removeLast(reused.count)
            return reused
        }
        let contexts = taken + (taken.count..<count).map { _ in
            SearchContext(dimension: dimension, maxNeighbors: maxNeighbors, slots: slots)
        }
        defer { free.withLock { $0.append(contentsOf: contexts) } }
        return body(contexts)
    }
}

extension SearchContext: @unchecked Sendable {}
