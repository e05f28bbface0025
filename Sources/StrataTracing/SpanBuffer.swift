import Dispatch
import Foundation
import Synchronization

/// Finished spans on their way out: appended by the code that ends them (a lock and an array
/// append, nothing else on the request's path), sent in batches by a thread of the buffer's
/// own, every ``Configuration/delay`` or as soon as a batch is full.
///
/// A buffer full to ``Configuration/maxQueue`` drops new spans and counts them (``dropped``)
/// rather than grow without bound when the collector is slow or gone.
public final class SpanBuffer: Sendable {
    /// How spans are batched; the defaults are OpenTelemetry's batch span processor's.
    public struct Configuration: Sendable, Equatable {
        /// The longest a finished span waits to be sent. Default 5 s.
        public var delay: Duration = .seconds(5)
        /// Spans sent in one export at most. Default 512.
        public var batchSize = 512
        /// Spans held at most; more are dropped. Default 2,048.
        public var maxQueue = 2_048

        public init(delay: Duration = .seconds(5), batchSize: Int = 512, maxQueue: Int = 2_048) {
            self.delay = delay
            self.batchSize = max(1, batchSize)
            self.maxQueue = max(self.batchSize, maxQueue)
        }
    }

    private struct State {
        var spans: [FinishedSpan] = []
        var dropped = 0
        var stopping = false
    }

    public let configuration: Configuration
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private let export: @Sendable ([FinishedSpan]) -> Void

    /// Starts the sending thread; `export` is called on it with each batch, in order.
    public init(configuration: Configuration = Configuration(), export: @escaping @Sendable ([FinishedSpan]) -> Void) {
        self.configuration = configuration
        self.export = export
        Thread.detachNewThread { [self] in run() }
    }

    /// Queues a span for sending; drops it when the queue is full or the buffer stopped.
    public func append(_ span: FinishedSpan) {
        let full: Bool? = state.withLock { state in
            guard !state.stopping, state.spans.count < configuration.maxQueue else {
                state.dropped += 1
                return nil
            }
            state.spans.append(span)
            return state.spans.count == configuration.batchSize
        }
        if full == true { wake.signal() }
    }

    /// Spans dropped so far: queue full, or after ``shutdown(timeout:)``.
    public var dropped: Int { state.withLock { $0.dropped } }

    /// Sends what is queued now instead of at the next delay.
    public func flush() { wake.signal() }

    /// Sends what is queued and stops the thread; waits at most `timeout` for the last export.
    /// Returns whether it finished in time. Calling it again returns at once.
    @discardableResult
    public func shutdown(timeout: Duration = .seconds(5)) -> Bool {
        let first = state.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return true }
        wake.signal()
        return stopped.wait(timeout: Self.deadline(after: timeout)) == .success
    }

    private static func deadline(after duration: Duration) -> DispatchTime {
        .now() + .nanoseconds(Int(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000))
    }

    private func run() {
        while true {
            _ = wake.wait(timeout: Self.deadline(after: configuration.delay))
            let (taken, stopping) = state.withLock { state in
                defer { state.spans.removeAll(keepingCapacity: true) }
                return (state.spans, state.stopping)
            }
            var start = 0
            while start < taken.count {
                let end = min(taken.count, start + configuration.batchSize)
                export(Array(taken[start..<end]))
                start = end
            }
            if stopping { break }
        }
        stopped.signal()
    }
}
