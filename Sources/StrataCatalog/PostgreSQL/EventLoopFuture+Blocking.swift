import Dispatch
import NIOCore

extension EventLoopFuture {
    /// Blocks the calling thread until the future completes, and gives its result.
    ///
    /// NIO's own `wait()` refuses to run on any event loop thread, and the HTTP server calls
    /// the store from its loops (`StrataService.runTasksOnEventLoops()`). Waiting there is safe
    /// here: the catalog's connections live on ``PostgreSQLDatabase/eventLoops``, a group no
    /// handler runs on, so the future never needs the blocked thread to complete; the block
    /// costs that loop one round trip, as a SQLite call costs it one disk read.
    func blockingResult() throws -> Value {
        precondition(!eventLoop.inEventLoop, "a catalog call made on the catalog's own event loop would wait forever")
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<Value, any Error>?
        whenComplete { result in
            outcome = result
            done.signal()
        }
        done.wait()
        return try outcome!.get()
    }
}
