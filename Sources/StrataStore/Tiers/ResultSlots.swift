import Foundation

/// Per-item results written by parallel workers, each item by exactly one worker.
final class ResultSlots<Element>: @unchecked Sendable {
    private var storage: [Element]
    private let lock = NSLock()

    init(count: Int, initial: Element) { storage = Array(repeating: initial, count: count) }

    subscript(index: Int) -> Element {
        get { lock.withLock { storage[index] } }
        set { lock.withLock { storage[index] = newValue } }
    }
}
