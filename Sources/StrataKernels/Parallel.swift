import CStrataShims
import Dispatch
import Foundation

/// Work spread over threads, for the loops that build indexes and answer batches.
public enum Parallel {
    /// The number of cores this process may use.
    public static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Runs `body(item)` for every item of `0..<count` on `threads` workers, each taking the
    /// next unclaimed item, so uneven items balance out.
    ///
    /// - Parameters:
    ///   - count: items.
    ///   - threads: workers; at most `count` are started. 1 runs on the calling thread.
    ///   - body: called with the worker number (`0..<threads`) and the item.
    public static func forEach(_ count: Int, threads: Int, _ body: @Sendable (_ worker: Int, _ item: Int) -> Void) {
        let workers = max(1, min(threads, count))
        if workers == 1 {
            for item in 0..<count { body(0, item) }
            return
        }
        let next = WorkCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while case let item = next.next(), item < count { body(worker, item) }
        }
    }
}

/// A shared counter claimed with one atomic add.
public final class WorkCounter: @unchecked Sendable {
    private let word = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    public init() { word.initialize(to: 0) }
    deinit { word.deallocate() }
    /// The current value, then adds one.
    public func next() -> Int { Int(strata_fetch_add_u64(word, 1)) }
}
