/// Lists the source files under a set of roots, skipping what is not hand-written code.
///
/// Below each root the walker descends into every folder except hidden ones and those named
/// in ``Configuration/skippedFolderNames`` (vendored code, build output, caches), and keeps
/// files whose extension names a ``SourceLanguage``, that are not too large, binary,
/// minified, or marked as generated.
///
/// Symbolic links below a root are never followed, to folders or to files: a link can lead
/// out of the tree or into a cycle, and the file it names is usually in the tree already. A
/// root itself may be a link, a folder or a single file; roots are taken as given, so a
/// root named `build` or `.hidden` is walked.
///
/// ```swift
/// let files = try SourceTree(roots: ["Sources", "scripts/tool.py"]).files()
/// for file in files {
///     guard let text = try file.readText() else { continue }
///     let units = SourceSplitter.units(in: text, path: file.path, language: file.language)
/// }
/// ```
public struct SourceTree: Sendable {
    /// The folders and files to walk, as given.
    public var roots: [String]
    /// What to skip.
    public var configuration: Configuration

    /// Creates a walker; nothing is read until ``files()`` or ``listing()``.
    ///
    /// - Parameters:
    ///   - roots: Folders or files; relative paths are relative to the working directory,
    ///     and listed paths keep them as given.
    ///   - configuration: What to skip (defaults as documented on ``Configuration``).
    public init(roots: [String], configuration: Configuration = .init()) {
        self.roots = roots
        self.configuration = configuration
    }

    /// Why a file was left out.
    public enum SkipReason: String, Sendable, Hashable {
        /// No ``SourceLanguage`` claims its extension (a root file only; inside folders such
        /// files are passed over silently).
        case unknownLanguage
        /// Larger than ``Configuration/maximumFileSize``.
        case tooLarge
        /// Holds a NUL byte in its first 16 KiB.
        case binary
        /// Says it is generated in its first lines.
        case generated
        /// Has a very long line, or is named `*.min.js`.
        case minified
        /// Could not be opened or examined, or is a folder that cannot be listed.
        case unreadable
    }

    /// The walk's result: what was kept and what was left out.
    public struct Listing: Sendable {
        /// Kept files, sorted by path (byte order), each path once.
        public var files: [SourceFile]
        /// Source files (and unlistable folders) left out, sorted by path, with the reason.
        public var skipped: [(path: String, reason: SkipReason)]
    }

    /// The source files under the roots, sorted by path, each once.
    ///
    /// - Throws: ``StoreError/file(path:problem:)`` for a root that does not exist;
    ///   ``StoreError/invalidArgument(name:value:expected:)`` for a bad configuration.
    /// - Complexity: One `lstat` per entry below the roots and a 16 KiB read per source file.
    public func files() throws(StoreError) -> [SourceFile] {
        try listing().files
    }

    /// The source files under the roots, and the ones left out with the reason.
    ///
    /// - Throws: As ``files()``.
    public func listing() throws(StoreError) -> Listing {
        try configuration.validate()
        var found: [String: SourceFile] = [:]
        var skipped: [String: SkipReason] = [:]
        for root in roots {
            let path = SourceTree.normalized(root)
            guard let status = FileSystem.status(path, followingLinks: true) else {
                throw .file(path: root, problem: "does not exist or cannot be examined; pass an existing folder or source file")
            }
            switch status.kind {
            case .folder:
                walk(folder: path, into: &found, skipped: &skipped)
            case .file:
                guard let language = SourceLanguage(path: path), configuration.languages.contains(language) else {
                    skipped[path] = .unknownLanguage
                    continue
                }
                consider(path, language: language, status: status, into: &found, skipped: &skipped)
            case .symlink, .other:
                throw .file(path: root, problem: "is neither a folder nor a regular file; pass a folder or source file")
            }
        }
        let files = found.values.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        let skips = skipped.map { (path: $0.key, reason: $0.value) }.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return Listing(files: files, skipped: skips)
    }

    /// Drops trailing slashes (`src/` → `src`) so that joined paths have one separator.
    static func normalized(_ root: String) -> String {
        var path = Substring(root)
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return String(path)
    }

    private func walk(folder root: String, into found: inout [String: SourceFile], skipped: inout [String: SkipReason]) {
        var pending = [root]
        while let folder = pending.popLast() {
            guard let names = FileSystem.names(in: folder) else {
                skipped[folder] = .unreadable
                continue
            }
            for name in names {
                if configuration.skipsHiddenEntries, name.hasPrefix(".") { continue }
                let path = folder == "/" ? "/" + name : folder + "/" + name
                guard let status = FileSystem.status(path, followingLinks: false) else { continue }
                switch status.kind {
                case .folder:
                    if !configuration.skippedFolderNames.contains(name) { pending.append(path) }
                case .file:
                    guard let language = SourceLanguage(path: name), configuration.languages.contains(language) else { continue }
                    consider(path, language: language, status: status, into: &found, skipped: &skipped)
                case .symlink, .other:
                    continue
                }
            }
        }
    }

    private func consider(
        _ path: String, language: SourceLanguage, status: FileSystem.Status,
        into found: inout [String: SourceFile], skipped: inout [String: SkipReason]
    ) {
        if let reason = skipReason(path, status: status) {
            skipped[path] = reason
        } else {
            found[path] = SourceFile(path: path, language: language, size: status.size, modificationTime: status.modificationTime)
        }
    }

    /// Size, binary, minified and generated checks, reading at most the first 16 KiB.
    private func skipReason(_ path: String, status: FileSystem.Status) -> SkipReason? {
        if status.size > configuration.maximumFileSize { return .tooLarge }
        if path.lowercased().hasSuffix(".min.js") { return .minified }
        guard let head = FileSystem.head(of: path, count: 16 * 1024) else { return .unreadable }
        if head.contains(0) { return .binary }
        var lineStart = 0
        var lineNumber = 0
        var markerRegionEnd = configuration.headerLinesChecked == 0 ? 0 : head.count
        for (offset, byte) in head.enumerated() where byte == UInt8(ascii: "\n") {
            if offset - lineStart > configuration.maximumLineLength { return .minified }
            lineStart = offset + 1
            lineNumber += 1
            if lineNumber == configuration.headerLinesChecked { markerRegionEnd = min(markerRegionEnd, offset) }
        }
        // The last line of the head: too long already, or cut off by the 16 KiB limit.
        if head.count - lineStart > configuration.maximumLineLength { return .minified }
        if configuration.skipsGeneratedFiles, SourceTree.hasGeneratedMarker(head[..<markerRegionEnd]) { return .generated }
        return nil
    }

    private static let generatedMarkers: [[UInt8]] = [
        "code generated", "do not edit", "@generated", "autogenerated", "auto-generated",
    ].map { Array($0.utf8) }

    /// Whether the bytes hold a generated-code marker, compared without regard to ASCII case.
    static func hasGeneratedMarker(_ region: ArraySlice<UInt8>) -> Bool {
        let lowered = region.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }
        return generatedMarkers.contains { marker in
            guard lowered.count >= marker.count else { return false }
            return (0...(lowered.count - marker.count)).contains { start in
                lowered[start] == marker[0] && lowered[start..<start + marker.count].elementsEqual(marker)
            }
        }
    }
}
