import Foundation

/// Runs a Python interpreter once with input on stdin, collecting stdout and stderr, and
/// kills it when it outlives a time limit.
///
/// The input goes through a temporary file rather than a pipe: an interpreter that exits
/// without reading would otherwise leave the writer facing `SIGPIPE`, which kills the whole
/// host process unless it ignores the signal.
package enum PythonProcess {
    package enum Outcome: Sendable, Equatable {
        case finished(status: Int32, stdout: Data, stderr: Data)
        /// The interpreter was still running after the time limit and was killed.
        case timedOut(seconds: Double)
        /// It could not be started; the message says why.
        case failedToStart(String)
    }

    /// The first executable `python3` on `PATH` (from `environment`), or `nil`.
    package static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let directories = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return directories.lazy.map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `executable` with `arguments`, `input` on its stdin, for at most `timeout` seconds.
    package static func run(_ executable: String, arguments: [String], input: Data, timeout: Double) -> Outcome {
        let inputURL = FileManager.default.temporaryDirectory.appendingPathComponent("strata-python-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: inputURL) }
        let inputHandle: FileHandle
        do {
            try input.write(to: inputURL)
            inputHandle = try FileHandle(forReadingFrom: inputURL)
        } catch {
            return .failedToStart("cannot write its input to \(inputURL.path): \(error.localizedDescription)")
        }
        defer { try? inputHandle.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = inputHandle
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            return .failedToStart("cannot run \(executable): \(error.localizedDescription)")
        }
        // Drain both pipes while the child runs, so that a large output cannot block it.
        let output = PipeReader(stdout.fileHandleForReading)
        let errors = PipeReader(stderr.fileHandleForReading)
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if exited.wait(timeout: .now() + 0.5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = exited.wait(timeout: .now() + 0.5)
            }
            return .timedOut(seconds: timeout)
        }
        // A grandchild could keep the pipes open after the interpreter exits: bound the wait.
        return .finished(status: process.terminationStatus, stdout: output.collect(within: 2), stderr: errors.collect(within: 2))
    }
}

/// Reads a pipe to its end on a background thread.
private final class PipeReader: @unchecked Sendable {
    // `data` is written once by the reading thread before `done` is signalled, and read only
    // after waiting on `done`: the semaphore orders the two.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    /// What was read, or nothing if the pipe is still open after `seconds`.
    func collect(within seconds: Double) -> Data {
        done.wait(timeout: .now() + seconds) == .success ? data : Data()
    }
}
