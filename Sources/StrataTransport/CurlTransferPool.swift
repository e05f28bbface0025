import Synchronization

/// Idle ``CurlTransfer``s, taken and returned around each call.
///
/// Reusing a transfer reuses its open connections; the lock is held for a pop or a push only,
/// never during a transfer.
package final class CurlTransferPool: Sendable {
    private let idle: Mutex<[CurlTransfer]> = Mutex([])
    /// Transfers kept beyond this many are closed when returned.
    package let capacity: Int

    package init(capacity: Int = 8) {
        self.capacity = capacity
    }

    /// Runs `body` with a transfer of its own, returned to the pool afterwards.
    package func withTransfer<R, E: Error>(
        _ body: (CurlTransfer) throws(E) -> R,
        onInitFailure: (CurlTransfer.Failure) -> E
    ) throws(E) -> R {
        let reused = idle.withLock { $0.popLast() }
        let transfer: CurlTransfer
        if let reused {
            transfer = reused
        } else {
            do { transfer = try CurlTransfer() } catch { throw onInitFailure(error) }
        }
        defer {
            let capacity = capacity
            idle.withLock { idle in
                if idle.count < capacity { idle.append(transfer) }
            }
        }
        return try body(transfer)
    }
}

// A libcurl easy handle has no thread affinity: it may move between threads as long as one
// thread at a time uses it, which the pool guarantees by handing each transfer to one caller.
extension CurlTransfer: @unchecked Sendable {}
