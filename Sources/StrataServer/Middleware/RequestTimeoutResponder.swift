import Foundation
import Hummingbird
import Synchronization

/// Answers 503 when a request runs past the configured time, so a client is never left
/// waiting on a stuck provider or a huge batch.
///
/// A responder around the router, not a middleware: a middleware's `next` cannot outlive
/// it, and the answer must go out while the work is still running. The work goes on in its
/// own task (store calls are synchronous and finish what they started): a write that times
/// out may still commit, and the error says so. That task starts immediately, on the thread
/// that read the request.
struct RequestTimeoutResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context: RequestContext & Sendable {
    typealias Context = Inner.Context
    let inner: Inner
    let seconds: Double
    let deadlines: RequestDeadlines

    init(inner: Inner, seconds: Double) {
        self.inner = inner
        self.seconds = seconds
        deadlines = RequestDeadlines(tick: min(max(seconds / 8, 0.000_5), 0.25))
    }

    /// Whichever of the work and the deadline comes first answers; the other is ignored.
    private final class Race: Sendable {
        private let finished = Mutex(false)
        func claim() -> Bool { finished.withLock { done in defer { done = true }; return !done } }
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let race = Race()
        let seconds = self.seconds
        let deadlines = self.deadlines
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Response, any Error>) in
            let token = deadlines.add(in: seconds) {
                guard race.claim() else { return }
                continuation.resume(returning: ErrorEnvelope(request: request, context: context).response(.timedOut(seconds: seconds)))
            }
            // Started on this thread, not enqueued: a request that never waits (a search) runs to
            // its answer at once, without a hop through the executor's queue.
            Task.immediate {
                let result: Result<Response, any Error>
                do { result = .success(try await inner.respond(to: request, context: context)) } catch { result = .failure(error) }
                deadlines.remove(token)
                if race.claim() { continuation.resume(with: result) }
            }
        }
    }
}

/// The deadlines of the requests in flight, checked by one repeating Dispatch timer.
///
/// One timer for all requests, not one per request: a cancelled Dispatch timer keeps its
/// closure (and the request it holds) until its own deadline, which at thousands of requests
/// a second and a 60 s limit held hundreds of megabytes (measured). A Dispatch timer, not a
/// sleeping task: handlers' store calls block the threads of the concurrency pool, and a
/// timer there could not fire until they end.
final class RequestDeadlines: @unchecked Sendable {
    private struct Entry {
        var deadline: DispatchTime
        var expire: @Sendable () -> Void
    }

    // `@unchecked`: the timer is set up once in `init` and only cancelled after; the table is
    // behind the mutex.
    private let pending = Mutex<(next: UInt64, entries: [UInt64: Entry])>((0, [:]))
    private let timer: DispatchSourceTimer

    /// Checks every `tick` seconds: a request is answered at most a tick after its deadline.
    init(tick: Double) {
        timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + tick, repeating: tick, leeway: .nanoseconds(Int(tick * 1e8)))
        timer.setEventHandler { [weak self] in self?.expireDue() }
        timer.resume()
    }

    deinit { timer.cancel() }

    /// Calls `expire` once `seconds` have passed, unless ``remove(_:)`` comes first.
    func add(in seconds: Double, expire: @escaping @Sendable () -> Void) -> UInt64 {
        let deadline = DispatchTime.now() + seconds
        return pending.withLock { state in
            state.next += 1
            state.entries[state.next] = Entry(deadline: deadline, expire: expire)
            return state.next
        }
    }

    func remove(_ token: UInt64) {
        _ = pending.withLock { $0.entries.removeValue(forKey: token) }
    }

    private func expireDue() {
        let now = DispatchTime.now()
        let due = pending.withLock { state -> [Entry] in
            let tokens = state.entries.compactMap { $0.value.deadline <= now ? $0.key : nil }
            return tokens.compactMap { state.entries.removeValue(forKey: $0) }
        }
        for entry in due { entry.expire() }
    }
}
