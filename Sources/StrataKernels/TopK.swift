/// Keeps the `k` candidates with the smallest distance seen so far.
///
/// A bounded max-heap: the root is the worst of the kept candidates, so a new candidate is
/// rejected with one comparison once the heap is full. Ties are broken by the smaller id, so
/// the selection does not depend on the order candidates arrive in.
public struct TopK: Sendable {
    /// A candidate: its distance and an id chosen by the caller.
    public struct Entry: Sendable, Equatable {
        public var distance: Float
        public var id: UInt64
        @inlinable public init(distance: Float, id: UInt64) {
            self.distance = distance
            self.id = id
        }
    }

    /// How many candidates are kept.
    public let k: Int
    @usableFromInline var heap: [Entry]

    /// Creates an empty selection of at most `k` candidates.
    public init(k: Int) {
        precondition(k >= 0, "k must be ≥ 0")
        self.k = k
        self.heap = []
        heap.reserveCapacity(k)
    }

    /// The number of candidates kept so far.
    @inlinable public var count: Int { heap.count }

    /// The largest distance kept, or `+infinity` while fewer than `k` are kept: a candidate
    /// at or beyond this bound cannot enter.
    @inlinable public var bound: Float {
        if heap.count < k { return .infinity }
        return k == 0 ? -.infinity : heap[0].distance
    }

    @inlinable
    static func worse(_ a: Entry, _ b: Entry) -> Bool {
        a.distance > b.distance || (a.distance == b.distance && a.id > b.id)
    }

    /// Offers a candidate; it is kept if it is among the `k` best so far.
    @inlinable
    public mutating func insert(distance: Float, id: UInt64) {
        let entry = Entry(distance: distance, id: id)
        if heap.count < k {
            heap.append(entry)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.worse(heap[child], heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        } else if k > 0, Self.worse(heap[0], entry) {
            heap[0] = entry
            siftDown(from: 0)
        }
    }

    @inlinable
    mutating func siftDown(from start: Int) {
        var parent = start
        let n = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { return }
            var worst = left
            if left + 1 < n, Self.worse(heap[left + 1], heap[left]) { worst = left + 1 }
            guard Self.worse(heap[worst], heap[parent]) else { return }
            heap.swapAt(worst, parent)
            parent = worst
        }
    }

    /// The kept candidates, best (smallest distance) first.
    public func sorted() -> [Entry] {
        heap.sorted { Self.worse($1, $0) }
    }

    /// Selects the `k` smallest of `distances`, whose ids are their positions plus `idOffset`.
    ///
    /// - Complexity: O(n log k).
    @inlinable
    public mutating func insert(distances: UnsafeBufferPointer<Float>, idOffset: UInt64 = 0) {
        for i in distances.indices {
            let d = distances[i]
            if d <= bound { insert(distance: d, id: idOffset + UInt64(i)) }
        }
    }
}
