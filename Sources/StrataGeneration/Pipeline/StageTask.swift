import Dispatch
import StrataStore
import StrataTracing
import Synchronization

/// A stage running on its own thread, waited for until a deadline.
///
/// A stage past its deadline is not cancelled (the store and the tracker have no
/// cancellation): the caller stops waiting and goes on without its result, and the thread
/// finishes on its own, its result dropped. Several threads may wait for one task.
final class StageTask<Value: Sendable>: Sendable {
    private let done = DispatchGroup()
    private let outcome = Mutex<Result<Value, GenerationError>?>(nil)
    let started = ContinuousClock.now

    /// Starts `body` on a thread of its own, inside a span named `name` of the caller's trace.
    init(_ name: String, _ body: @escaping @Sendable () throws(GenerationError) -> Value) {
        done.enter()
        // The stage's writes are audited as its caller's, and its spans join the caller's trace.
        let context = WorkContext.current
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let result = context.run {
                Result { () throws(GenerationError) -> Value in try EngineTrace.span(name) { (_) throws(GenerationError) in try body() } }
            }
            outcome.withLock { $0 = result }
            done.leave()
        }
    }

    /// The result, or `nil` when the stage did not finish within `budget` of its start.
    func wait(budget: Duration) -> Result<Value, GenerationError>? {
        let remaining = budget - (ContinuousClock.now - started)
        let nanoseconds = max(0, remaining.components.seconds * 1_000_000_000 + remaining.components.attoseconds / 1_000_000_000)
        guard done.wait(timeout: .now() + .nanoseconds(Int(min(nanoseconds, Int64(Int.max))))) == .success else { return nil }
        return outcome.withLock { $0 }
    }

    /// The value, waiting as long as it takes: for a stage that another stage, itself under
    /// a budget, depends on.
    func value() throws(GenerationError) -> Value {
        done.wait()
        return try outcome.withLock { $0 }!.get()
    }
}
