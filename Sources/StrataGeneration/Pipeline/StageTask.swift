import Dispatch
import StrataStore
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

    init(_ body: @escaping @Sendable () throws(GenerationError) -> Value) {
        done.enter()
        // The stage's writes are audited as its caller's.
        let audit = AuditContext.current
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let result = AuditContext.$current.withValue(audit) { Result { () throws(GenerationError) -> Value in try body() } }
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
