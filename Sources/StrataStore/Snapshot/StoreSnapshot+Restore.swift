import Crypto
import Foundation

extension StoreSnapshot {
    /// Reads the manifest of `archive`, checking its magic line and its digest.
    ///
    /// - Throws: ``StoreError/file(path:problem:)`` naming what is wrong: not a snapshot,
    ///   truncated, a damaged manifest.
    public static func manifest(of archive: String) throws(StoreError) -> SnapshotManifest {
        guard let input = FileHandle(forReadingAtPath: archive) else { throw .file(path: archive, problem: "cannot be read") }
        defer { try? input.close() }
        return try readManifest(input, archive: archive)
    }

    /// Restores `archive` into a new store folder `directory`: every file is checked against
    /// the manifest (size and SHA-256) as it is written into a hidden sibling, which is
    /// renamed into place only when all of it held.
    ///
    /// - Throws: ``StoreError/file(path:problem:)`` when `directory` exists, or the archive is
    ///   not a snapshot, is truncated, or a file's bytes differ from the manifest (naming the
    ///   file). Nothing is left behind then.
    public static func restore(_ archive: String, into directory: String) throws(StoreError) -> SnapshotSummary {
        let started = ContinuousClock.now
        guard !FileManager.default.fileExists(atPath: directory) else {
            throw .file(path: directory, problem: "already exists; restore into a new folder (--store NEW)")
        }
        guard let input = FileHandle(forReadingAtPath: archive) else { throw .file(path: archive, problem: "cannot be read") }
        defer { try? input.close() }
        let manifest = try readManifest(input, archive: archive)
        let staging = (directory as NSString).deletingLastPathComponent + "/.\((directory as NSString).lastPathComponent).restoring-\(UUID().uuidString.prefix(8))"
        do {
            try FileManager.default.createDirectory(atPath: staging + "/segments", withIntermediateDirectories: true)
        } catch {
            throw .file(path: staging, problem: "cannot be made: \(error.localizedDescription)")
        }
        do throws(StoreError) {
            for file in manifest.files {
                try extract(file, from: input, archive: archive, to: staging + "/" + file.name)
            }
            let tail = (try? input.read(upToCount: end.count + 1)) ?? Data()
            guard tail == end else {
                let cut = tail.count < end.count && end.starts(with: tail)
                throw .file(path: archive, problem: cut ? "is truncated: its end line is missing" : "has bytes after its last file that are not its end line: it is damaged")
            }
            guard rename(staging, directory) == 0 else {
                throw .file(path: directory, problem: "cannot be named: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        return SnapshotSummary(path: directory, patterns: manifest.patterns, bytes: manifest.bytes, seconds: (ContinuousClock.now - started) / .seconds(1), manifest: manifest)
    }

    static func readManifest(_ input: FileHandle, archive: String) throws(StoreError) -> SnapshotManifest {
        func read(_ count: Int, _ what: String) throws(StoreError) -> Data {
            let data = (try? input.read(upToCount: count)) ?? Data()
            guard data.count == count else { throw .file(path: archive, problem: "is truncated: it ends inside its \(what)") }
            return data
        }
        guard (try? input.read(upToCount: magic.count)) == magic else {
            throw .file(path: archive, problem: "is not a Strata snapshot (no \"STRATA-SNAPSHOT 1\" line at its start)")
        }
        let length = try read(8, "header").withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length < 64 << 20 else { throw .file(path: archive, problem: "is damaged: its manifest claims \(length) bytes") }
        let body = try read(Int(length), "manifest")
        let digest = try read(32, "manifest's checksum")
        guard Data(SHA256.hash(data: body)) == digest else { throw .file(path: archive, problem: "is damaged: its manifest does not match its checksum") }
        let manifest: SnapshotManifest
        do {
            manifest = try JSONDecoder().decode(SnapshotManifest.self, from: body)
        } catch {
            throw .file(path: archive, problem: "is damaged: its manifest cannot be read (\(error))")
        }
        guard manifest.format == 1 else { throw .file(path: archive, problem: "is a snapshot of format \(manifest.format); this build reads format 1") }
        for file in manifest.files where file.name != catalogFile && !(file.name.hasPrefix("segments/") && !file.name.dropFirst(9).contains("/") && !file.name.contains("..")) {
            throw .file(path: archive, problem: "names a file outside a store folder (\(file.name)): it is damaged or not Strata's")
        }
        return manifest
    }

    /// Copies `file`'s bytes from `input` to `target`, checking its size and digest.
    private static func extract(_ file: SnapshotManifest.File, from input: FileHandle, archive: String, to target: String) throws(StoreError) {
        guard FileManager.default.createFile(atPath: target, contents: nil), let out = FileHandle(forWritingAtPath: target) else {
            throw .file(path: target, problem: "cannot be created; check the folder's permissions")
        }
        defer { try? out.close() }
        var hasher = SHA256()
        var left = file.bytes
        do {
            while left > 0 {
                guard let chunk = try input.read(upToCount: min(left, 1 << 20)), !chunk.isEmpty else {
                    throw StoreError.file(path: archive, problem: "is truncated: \(file.name) has \(file.bytes - left) of its \(file.bytes) bytes")
                }
                hasher.update(data: chunk)
                try out.write(contentsOf: chunk)
                left -= chunk.count
            }
            try out.synchronize()
        } catch let error as StoreError {
            throw error
        } catch {
            throw .file(path: target, problem: "cannot be written: \(error.localizedDescription); check the free space")
        }
        let digest = hex(hasher.finalize())
        guard digest == file.sha256 else {
            throw .file(path: archive, problem: "is damaged: \(file.name) does not match its checksum (SHA-256 \(digest.prefix(12))…, expected \(file.sha256.prefix(12))…)")
        }
    }
}
