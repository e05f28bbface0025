import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A source file found by ``SourceTree``.
public struct SourceFile: Sendable, Hashable {
    /// The file's path: a root as given, joined with the names below it.
    public var path: String
    /// The language its extension names.
    public var language: SourceLanguage
    /// Size in bytes when listed.
    public var size: Int
    /// Last modification time when listed.
    public var modificationTime: Date

    /// Creates a file record; ``SourceTree/files()`` is the usual source.
    public init(path: String, language: SourceLanguage, size: Int, modificationTime: Date) {
        self.path = path
        self.language = language
        self.size = size
        self.modificationTime = modificationTime
    }

    /// Reads the file as text.
    ///
    /// Invalid UTF-8 is replaced by U+FFFD rather than refused: a stray Latin-1 byte in a
    /// comment should not cost a file its functions.
    ///
    /// - Returns: The text, or `nil` when the file holds a NUL byte (binary content under a
    ///   source extension).
    /// - Throws: ``StoreError/file(path:problem:)`` when the file cannot be read.
    public func readText() throws(StoreError) -> String? {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw .file(path: path, problem: "cannot be read (\(error.localizedDescription)); check that it exists and is readable")
        }
        if data.contains(0) { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Thin wrappers over the file system calls the walker makes.
enum FileSystem {
    /// What `stat`/`lstat` says about a path.
    struct Status {
        enum Kind { case file, folder, symlink, other }
        var kind: Kind
        var size: Int
        var modificationTime: Date
    }

    /// `stat` (following symbolic links) or `lstat` (not following them); `nil` when the path
    /// does not exist or cannot be examined.
    static func status(_ path: String, followingLinks: Bool) -> Status? {
        var info = stat()
        let result = followingLinks ? stat(path, &info) : lstat(path, &info)
        guard result == 0 else { return nil }
        let kind: Status.Kind = switch info.st_mode & S_IFMT {
        case S_IFREG: .file
        case S_IFDIR: .folder
        case S_IFLNK: .symlink
        default: .other
        }
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        let seconds = Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        return Status(kind: kind, size: Int(info.st_size), modificationTime: Date(timeIntervalSince1970: seconds))
    }

    /// The names in a folder, `.` and `..` excluded; `nil` when it cannot be opened.
    static func names(in folder: String) -> [String]? {
        guard let directory = opendir(folder) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Up to `count` bytes from the start of a file; `nil` when it cannot be read.
    static func head(of path: String, count: Int) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress! + filled, count - filled)
            }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { break }
            filled += got
        }
        buffer.removeLast(count - filled)
        return buffer
    }
}
