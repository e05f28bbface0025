/// A node met during traversal and its distance to the query.
package struct Candidate {
    var distance: Float
    var slot: UInt32
    init(distance: Float, slot: UInt32) {
        self.distance = distance
        self.slot = slot
    }
}

/// A binary heap of candidates over memory owned by a ``SearchContext``.
///
/// `IsMax == true` keeps the farthest candidate on top (the result set, whose worst member
/// is the search's bound); `false` keeps the nearest on top (the candidates to expand).
///
/// Invariant: `storage` holds `capacity` slots, of which `0..<count` are initialized and
/// heap-ordered. The struct is copied into the search loop and written back afterwards,
/// so that the loop works on locals and never pays for class-property access.
struct CandidateHeap<Order: HeapOrder> {
    var storage: UnsafeMutablePointer<Candidate>
    var count: Int
    var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        self.storage = .allocate(capacity: self.capacity)
        self.count = 0
    }

    func deallocate() { storage.deallocate() }

    var isEmpty: Bool { count == 0 }
    var top: Candidate { storage[0] }

    mutating func removeAll() { count = 0 }

    mutating func push(_ element: Candidate) {
        if count == capacity { grow() }
        var child = count
        count &+= 1
        while child > 0 {
            let parent = (child &- 1) >> 1
            let p = storage[parent]
            guard Order.above(element, p) else { break }
            storage[child] = p
            child = parent
        }
        storage[child] = element
    }

    @discardableResult
    mutating func pop() -> Candidate {
        let result = storage[0]
        count &-= 1
        guard count > 0 else { return result }
        let last = storage[count]
        var parent = 0
        while true {
            var child = 2 &* parent &+ 1
            guard child < count else { break }
            if child &+ 1 < count, Order.above(storage[child &+ 1], storage[child]) { child &+= 1 }
            guard Order.above(storage[child], last) else { break }
            storage[parent] = storage[child]
            parent = child
        }
        storage[parent] = last
        return result
    }

    @inline(never)
    mutating func grow() {
        let bigger = UnsafeMutablePointer<Candidate>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity *= 2
    }
}

protocol HeapOrder {
    /// Whether `a` belongs above `b`.
    static func above(_ a: Candidate, _ b: Candidate) -> Bool
}

/// Farthest on top.
enum FarthestFirst: HeapOrder {
    static func above(_ a: Candidate, _ b: Candidate) -> Bool {
        a.distance > b.distance || (a.distance == b.distance && a.slot > b.slot)
    }
}

/// Nearest on top.
enum NearestFirst: HeapOrder {
    static func above(_ a: Candidate, _ b: Candidate) -> Bool {
        a.distance < b.distance || (a.distance == b.distance && a.slot < b.slot)
    }
}
