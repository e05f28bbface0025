import Foundation
import Synchronization

/// A `python3` kept running to check syntax: one request (a JSON line of files) in, one JSON
/// line of results out, for as long as the host process lives.
///
/// Starting an interpreter costs about 30 ms, far more than checking a node's files (about
/// 1 ms); a feature of four nodes, or a server making nodes all day, pays it once per worker
/// instead of once per node.
///
/// The request goes over one end of a Unix socket pair, written with `MSG_NOSIGNAL`: a worker
/// that died makes the write fail with `EPIPE` instead of raising `SIGPIPE`, which would kill
/// the host. A worker is used by one thread at a time (``SyntaxWorkers`` hands it out).
final class SyntaxWorker: @unchecked Sendable {
    // Invariant: only the thread that checked the worker out of the pool touches `buffer`
    // and the descriptors; the pool's lock orders the hand-overs.
    let interpreter: String
    private let process: Process
    private let requests: Int32
    private let answers: Int32
    private var buffer = [UInt8]()

    /// What a request came back with.
    enum Answer {
        case line(Data)
        /// No answer within the time limit: the worker was killed.
        case timedOut
        /// The worker is gone (it exited, or could not be written to).
        case broken
    }

    /// Starts `interpreter` running `script`; nil when it cannot be started.
    init?(interpreter: String, arguments: [String]) {
        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0 else { return nil }
        let output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = arguments
        process.standardInput = FileHandle(fileDescriptor: pair[1], closeOnDealloc: false)
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            close(pair[0])
            close(pair[1])
            return nil
        }
        // The child has its own copies now; keep only our ends. Ours does not block: a worker
        // that stops reading must not hold the sender past its time limit.
        close(pair[1])
        _ = fcntl(pair[0], F_SETFL, fcntl(pair[0], F_GETFL) | O_NONBLOCK)
        self.interpreter = interpreter
        self.process = process
        requests = pair[0]
        answers = dup(output.fileHandleForReading.fileDescriptor)
        try? output.fileHandleForReading.close()
        try? output.fileHandleForWriting.close()
    }

    deinit {
        stop()
        close(requests)
        close(answers)
    }

    var isRunning: Bool { process.isRunning }

    /// Kills the worker (it is not reused after).
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Sends `request` (one line, without its newline) and waits up to `timeout` seconds for
    /// the answer line.
    func ask(_ request: Data, timeout: Double) -> Answer {
        let deadline = ContinuousClock.now + .seconds(timeout)
        if let failure = send(request + Data([0x0A]), by: deadline) {
            stop()
            return failure
        }
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Data(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return .line(line)
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                stop()
                return .timedOut
            }
            let ready = Self.wait(for: answers, POLLIN, left)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = read(answers, &chunk, chunk.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                stop()
                return .broken
            }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Writes `data` whole by `deadline`: nil when it went, `.timedOut` when the worker would
    /// not take it in time, `.broken` when it is gone.
    private func send(_ data: Data, by deadline: ContinuousClock.Instant) -> Answer? {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let sent = Glibc.send(requests, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if sent > 0 {
                    offset += sent
                    continue
                }
                guard sent < 0, errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK else { return .broken }
                let left = deadline - ContinuousClock.now
                guard left > .zero else { return .timedOut }
                _ = Self.wait(for: requests, POLLOUT, left)
            }
            return nil
        }
    }

    /// Waits up to `left` for `events` on `descriptor`: poll's answer.
    private static func wait(for descriptor: Int32, _ events: Int32, _ left: Duration) -> Int32 {
        var poller = pollfd(fd: descriptor, events: Int16(events), revents: 0)
        // Clamped: a time limit of weeks must not overflow poll's milliseconds.
        let milliseconds = min(max(1, left / .milliseconds(1)), Double(Int32.max))
        return poll(&poller, 1, Int32(milliseconds))
    }
}

/// The ``SyntaxWorker``s of this process, by interpreter: at most one per core for each, so
/// that a thread that finds them all busy waits for one (a check takes about a millisecond)
/// instead of starting one more interpreter than can run.
package enum SyntaxWorkers {
    private final class State: @unchecked Sendable {
        // Invariant: both fields are read and written only with `condition` locked.
        var idle: [String: [SyntaxWorker]] = [:]
        var alive: [String: Int] = [:]
        let condition = NSCondition()
    }

    private static let state = State()
    /// The most workers of one interpreter: one per core, at least two.
    package static let capacity = max(2, ProcessInfo.processInfo.activeProcessorCount)

    /// The workers of `interpreter` alive now, busy or idle.
    package static func alive(_ interpreter: String) -> Int {
        state.condition.lock()
        defer { state.condition.unlock() }
        return state.alive[interpreter, default: 0]
    }

    /// An idle worker of `interpreter`, a new one while there are fewer than ``capacity``,
    /// else the first one given back within `timeout` seconds; nil when none can be started
    /// or none came back in time.
    static func checkOut(_ interpreter: String, arguments: [String], timeout: Double) -> SyntaxWorker? {
        let deadline = Date(timeIntervalSinceNow: min(timeout, 86_400))
        state.condition.lock()
        defer { state.condition.unlock() }
        while true {
            while let worker = state.idle[interpreter]?.popLast() {
                if worker.isRunning { return worker }
                state.alive[interpreter, default: 1] -= 1
            }
            if state.alive[interpreter, default: 0] < capacity {
                guard let worker = SyntaxWorker(interpreter: interpreter, arguments: arguments) else { return nil }
                state.alive[interpreter, default: 0] += 1
                return worker
            }
            guard state.condition.wait(until: deadline) else { return nil }
        }
    }

    /// Gives a worker back: idle again when it still runs, forgotten when it does not.
    static func checkIn(_ worker: SyntaxWorker) {
        state.condition.lock()
        defer { state.condition.unlock() }
        if worker.isRunning {
            state.idle[worker.interpreter, default: []].append(worker)
        } else {
            state.alive[worker.interpreter, default: 1] -= 1
        }
        state.condition.signal()
    }

    /// Starts workers of `interpreter` until `count` of them (at most ``capacity``) are
    /// alive. Starting returns at once; the interpreters come up while the caller works.
    static func warm(_ interpreter: String, arguments: [String], count: Int) {
        state.condition.lock()
        defer { state.condition.unlock() }
        while state.alive[interpreter, default: 0] < min(count, capacity),
              let worker = SyntaxWorker(interpreter: interpreter, arguments: arguments) {
            state.alive[interpreter, default: 0] += 1
            state.idle[interpreter, default: []].append(worker)
        }
    }
}
