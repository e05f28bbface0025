import Foundation
import Synchronization

extension PythonProcess {
    /// What `python3` on PATH really runs, asked once per path and remembered.
    private static let resolved = Mutex<[String: String]>([:])

    /// The interpreter behind `path`: itself, or the binary a version manager's shim
    /// (pyenv, asdf) starts. A shim is a shell script that costs ~100 ms per start, more than
    /// the whole syntax check; asking the interpreter once for `sys.executable` pays that once.
    /// Threads that ask at once wait for the first one's answer (the lock is held while it
    /// asks) instead of each starting the shim.
    package static func interpreter(behind path: String) -> String {
        resolved.withLock { known in
            if let real = known[path] { return real }
            var real = path
            if case let .finished(0, stdout, _) = run(path, arguments: ["-I", "-S", "-c", "import sys; print(sys.executable)"], input: Data(), timeout: 10) {
                let printed = String(decoding: stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                if printed.hasPrefix("/"), FileManager.default.isExecutableFile(atPath: printed) { real = printed }
            }
            known[path] = real
            return real
        }
    }
}
