#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A mutex whose critical sections may throw ``StoreError``, with its place in the lock
/// order (``LockRank``).
final class StoreLock: @unchecked Sendable {
    private let lock: RankedLock

    init(_ rank: LockRank) {
        lock = RankedLock(rank)
    }

    func run<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try lock.withLock(body)
    }

    func run<T>(_ body: () -> T) -> T {
        lock.withLock(body)
    }
}

/// An exclusive `flock` on `<store>/LOCK`: one process at a time owns a store's tiers.
///
/// Two processes each holding a hot graph over one catalog would each miss the other's
/// writes and could flush the same rows twice. The kernel drops the lock when the process
/// dies, `kill -9` included, so a crash never leaves a store locked.
final class StoreDirectoryLock {
    private var descriptor: Int32

    init(directory: String, timeout: Double) throws(StoreError) {
        let path = directory + "/LOCK"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .file(path: path, problem: "cannot open the lock file: \(String(cString: strerror(errno)))") }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(fd)
                throw .alreadyOpen(path: directory, waited: timeout)
            }
            usleep(20_000)
        }
        descriptor = fd
    }

    /// Lets another process (or another open in this one) take the store.
    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
