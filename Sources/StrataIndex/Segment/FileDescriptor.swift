#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX file descriptor whose every call checks its result, retries `EINTR`, and throws an
/// ``IndexError`` naming the path, the call and the system's reason.
struct FileDescriptor {
    let raw: Int32
    let path: String

    static func open(_ path: String, flags: Int32, mode: mode_t = 0o644) throws(IndexError) -> FileDescriptor {
        let fd = try retrying(path, "open") { Glibc.open(path, flags, mode) }
        return FileDescriptor(raw: Int32(fd), path: path)
    }

    func close() {
        _ = Glibc.close(raw)
    }

    /// Writes all of `buffer` at the current offset.
    func write(_ buffer: UnsafeRawBufferPointer) throws(IndexError) {
        var done = 0
        while done < buffer.count {
            let n = try Self.retrying(path, "write") { Glibc.write(raw, buffer.baseAddress! + done, buffer.count - done) }
            done += n
        }
    }

    /// Writes all of `buffer` at byte `offset`.
    func write(_ buffer: UnsafeRawBufferPointer, at offset: Int) throws(IndexError) {
        var done = 0
        while done < buffer.count {
            let n = try Self.retrying(path, "pwrite") { pwrite(raw, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done)) }
            done += n
        }
    }

    /// Writes all of `bytes` at the current offset.
    func write(_ bytes: [UInt8]) throws(IndexError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(IndexError) in try write(raw) } }.get()
    }

    /// Writes all of `bytes` at byte `offset`.
    func write(_ bytes: [UInt8], at offset: Int) throws(IndexError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(IndexError) in try write(raw, at: offset) } }.get()
    }

    func sync() throws(IndexError) {
        _ = try Self.retrying(path, "fsync") { Int(fsync(raw)) }
    }

    func size() throws(IndexError) -> Int {
        var info = stat()
        _ = try Self.retrying(path, "fstat") { Int(fstat(raw, &info)) }
        return Int(info.st_size)
    }

    /// Runs a system call until it does not fail with `EINTR`; any other failure throws.
    static func retrying<T: BinaryInteger>(_ path: String, _ call: String, _ body: () -> T) throws(IndexError) -> Int {
        while true {
            let result = body()
            if result >= 0 { return Int(result) }
            let code = errno
            if code == EINTR { continue }
            throw .file(path: path, problem: "\(call) failed: \(String(cString: strerror(code))) (errno \(code))")
        }
    }

    /// Writes `path` atomically: `body` writes a temporary file beside it, which is fsynced,
    /// renamed over `path`, and the directory fsynced, so that after a crash `path` holds the
    /// old file or the whole new one; on failure the temporary file is removed.
    static func writeAtomically<T>(_ path: String, _ body: (FileDescriptor) throws(IndexError) -> T) throws(IndexError) -> T {
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try open(temporary, flags: O_WRONLY | O_CREAT | O_EXCL | O_TRUNC)
        var committed = false
        defer {
            fd.close()
            if !committed { unlink(temporary) }
        }
        let result = try body(fd)
        try fd.sync()
        _ = try retrying(path, "rename") { rename(temporary, path) }
        committed = true
        try syncDirectory(of: path)
        return result
    }

    /// Flushes a directory's entries, so that a rename inside it survives a crash.
    static func syncDirectory(of path: String) throws(IndexError) {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let fd = try open(directory.isEmpty ? "/" : directory, flags: O_RDONLY | O_DIRECTORY)
        defer { fd.close() }
        try fd.sync()
    }
}
