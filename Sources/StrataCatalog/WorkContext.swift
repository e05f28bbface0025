import Tracing

/// What a request's work takes with it when it moves to another thread: who is writing
/// (``AuditContext``, for the audit log) and the trace its spans join (the task's
/// `InstrumentationContext`).
///
/// Both are task-locals, which stay with the task that bound them; a thread of a pool or a
/// stage's own thread starts with neither. Capture ``current`` where the work is handed over
/// and ``run(_:)`` it where it runs.
public struct WorkContext: Sendable {
    let audit: AuditContext?
    let trace: InstrumentationContext?

    /// The running task's.
    public static var current: WorkContext { WorkContext(audit: AuditContext.current, trace: InstrumentationContext.current) }

    /// Runs `body` with this context bound, as the work would have run where it was captured.
    public func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        try AuditContext.$current.withValue(audit) {
            InstrumentationContext.$current.withValue(trace) { Result { () throws(E) -> T in try body() } }
        }.get()
    }
}
