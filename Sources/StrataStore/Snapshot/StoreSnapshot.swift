import Crypto
import Foundation
import StrataCatalog

/// Point-in-time copies of a store folder, one archive file each, made while the store
/// serves, and restored into a new folder.
///
/// The catalog is copied by SQLite's online backup (one read transaction: a consistent point
/// in time, writers go on), or for a shared store out of PostgreSQL in one read-only
/// REPEATABLE READ transaction into a SQLite catalog (the archive restores as an embedded
/// store, which `strata migrate-catalog` moves back onto a database); the segment files it
/// names are immutable, so opening them right after gives the bytes that point in time refers
/// to (a compaction that unlinks one meanwhile leaves the open file readable; one already gone
/// makes the snapshot start over).
///
/// Archive layout: the magic line `STRATA-SNAPSHOT 1`, the manifest's length (8 bytes, little
/// endian), the manifest (JSON, ``SnapshotManifest``), its SHA-256 (32 bytes), then each
/// file's bytes in the manifest's order, then the end line. Restoring checks all of it: a
/// damaged or truncated archive is refused by name, and nothing is left behind.
public enum StoreSnapshot {
    static let magic = Data("STRATA-SNAPSHOT 1\n".utf8)
    static let end = Data("STRATA-SNAPSHOT END\n".utf8)
    static let catalogFile = "catalog.sqlite"

    /// Makes a snapshot of the store in `directory` at `archive` (written under a temporary
    /// name, synced, then renamed into place).
    ///
    /// - Parameters:
    ///   - hashingArchive: also give the archive's own SHA-256 (``SnapshotSummary/sha256``),
    ///     hashed as it is written: about 0.25 s more for 255 MB, so only when asked.
    ///   - components: the schemas of the other components whose tables a shared (PostgreSQL)
    ///     catalog holds (the analytics'), made in the copy so that theirs are copied too.
    ///
    /// - Throws: ``StoreError/noStore(path:problem:)`` when the folder holds no store;
    ///   ``StoreError/catalog(_:)`` when a PostgreSQL catalog holds tables of a component not
    ///   given; ``StoreError/file(path:problem:)`` when the archive exists or cannot be written.
    public static func create(
        ofStore directory: String, to archive: String, hashingArchive: Bool = false, components: [CatalogSchema] = []
    ) throws(StoreError) -> SnapshotSummary {
        let started = ContinuousClock.now
        guard !FileManager.default.fileExists(atPath: archive) else {
            throw .file(path: archive, problem: "already exists; choose another --out or remove it")
        }
        let location = try PatternStore.resolveCatalog(of: directory, catalog: nil)
        let work = (archive as NSString).deletingLastPathComponent + "/.\((archive as NSString).lastPathComponent).writing-\(UUID().uuidString.prefix(8))"
        do {
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        } catch {
            throw .file(path: work, problem: "cannot be made: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(atPath: work) }
        let (copy, segments, patterns, taken) = try pointInTime(catalog: location, folder: directory, work: work, components: components)
        defer { segments.forEach { try? $0.handle.close() } }
        var sources = [(name: catalogFile, handle: try Self.handle(copy))]
        sources += segments.map { (name: "segments/" + $0.file, handle: $0.handle) }
        var files: [SnapshotManifest.File] = []
        for source in sources {
            let (bytes, digest) = try Self.digest(source.handle, path: source.name)
            files.append(.init(name: source.name, bytes: bytes, sha256: digest))
        }
        let manifest = SnapshotManifest(format: 1, createdAt: ISO8601DateFormatter().string(from: taken), patterns: patterns, files: files)
        let temporary = work + "/archive"
        let written = try write(manifest, sources: sources.map(\.handle), to: temporary, hashing: hashingArchive)
        guard rename(temporary, archive) == 0 else {
            throw .file(path: archive, problem: "cannot be named: \(String(cString: strerror(errno)))")
        }
        return SnapshotSummary(
            path: archive, patterns: patterns, bytes: written.bytes, seconds: (ContinuousClock.now - started) / .seconds(1), manifest: manifest,
            sha256: written.sha256)
    }

    /// The catalog copied, the segments it names opened, its live patterns and the moment;
    /// started over (up to 5 times) when a segment was removed between the copy and the open.
    private static func pointInTime(
        catalog: CatalogLocation, folder: String, work: String, components: [CatalogSchema]
    ) throws(StoreError) -> (String, [(file: String, handle: FileHandle)], Int, Date) {
        for attempt in 0..<5 {
            let copy = work + "/catalog-\(attempt).sqlite"
            let taken = Date()
            let named: [String]
            let patterns: Int
            do {
                try Self.copy(catalog, to: copy, components: components)
                let copied = try SQLiteDatabase(path: copy, create: false)
                defer { copied.close() }
                named = try copied.statement("SELECT file FROM segments ORDER BY id").rows { $0.string(0) }
                patterns = try copied.statement("SELECT count(*) FROM patterns").rows { $0.int(0) }.first ?? 0
            } catch {
                throw .catalog(error)
            }
            var opened: [(file: String, handle: FileHandle)] = []
            for file in named {
                guard let handle = FileHandle(forReadingAtPath: folder + "/segments/" + file) else { break }
                opened.append((file, handle))
            }
            if opened.count == named.count { return (copy, opened, patterns, taken) }
            opened.forEach { try? $0.handle.close() }
        }
        throw .file(path: folder + "/segments", problem: "segments kept being replaced while the snapshot was taken (5 tries); try again when compaction has finished")
    }

    /// The catalog at `location` copied into the SQLite file `copy` at one point in time.
    private static func copy(_ location: CatalogLocation, to copy: String, components: [CatalogSchema]) throws(CatalogError) {
        switch location {
        case let .sqlite(path):
            let source = try SQLiteDatabase(path: path, create: false)
            defer { source.close() }
            try source.backup(to: copy)
        case let .postgres(url):
            let source = try PostgreSQLDatabase(url: url)
            defer { source.close() }
            let destination = try SQLiteDatabase(path: copy, create: true)
            defer { destination.close() }
            for schema in StoreTables.catalogSchemas + components {
                try destination.migrate(schema)
            }
            _ = try CatalogCopy.snapshot(from: source, to: destination)
        }
    }

    private static func handle(_ path: String) throws(StoreError) -> FileHandle {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .file(path: path, problem: "cannot be read") }
        return handle
    }

    /// The size and SHA-256 of what `handle` holds from its start; leaves it at its start.
    static func digest(_ handle: FileHandle, path: String) throws(StoreError) -> (Int, String) {
        var hasher = SHA256()
        var bytes = 0
        do {
            try handle.seek(toOffset: 0)
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                bytes += chunk.count
            }
            try handle.seek(toOffset: 0)
        } catch {
            throw .file(path: path, problem: "cannot be read for the snapshot: \(error.localizedDescription)")
        }
        return (bytes, hex(hasher.finalize()))
    }

    /// A digest as lower-case hex, as the manifest and Qdrant's `checksum` write it.
    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Writes the archive; gives its size and, when `hashing`, its SHA-256, hashed as it is
    /// written (no second read).
    private static func write(_ manifest: SnapshotManifest, sources: [FileHandle], to path: String, hashing: Bool) throws(StoreError) -> (bytes: Int, sha256: String?) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else {
            throw .file(path: path, problem: "cannot be created; check the folder's permissions")
        }
        defer { try? out.close() }
        var hasher = SHA256()
        var bytes = 0
        func emit(_ data: Data) throws {
            if hashing { hasher.update(data: data) }
            bytes += data.count
            try out.write(contentsOf: data)
        }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = try encoder.encode(manifest)
            var length = UInt64(body.count).littleEndian
            try emit(magic + Data(bytes: &length, count: 8) + body + Data(SHA256.hash(data: body)))
            for source in sources {
                while let chunk = try source.read(upToCount: 1 << 20), !chunk.isEmpty { try emit(chunk) }
            }
            try emit(end)
            try out.synchronize()
            return (bytes, hashing ? hex(hasher.finalize()) : nil)
        } catch {
            throw .file(path: path, problem: "cannot be written: \(error.localizedDescription); check the free space")
        }
    }
}
