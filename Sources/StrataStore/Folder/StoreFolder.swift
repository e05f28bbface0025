import Crypto
import Foundation
import StrataCatalog
import StrataIndex

/// A store's folder on disk: where its catalog is, and its cold segments.
///
/// ```
/// <store>/
///   catalog.sqlite   the embedded catalog (SQLite, WAL beside it)
///   catalog.url      instead: the shared PostgreSQL catalog's URL (mode 0600: it may hold a password)
///   segments/        the cold tier: immutable segment files, each named by the SHA-256 of its bytes
///   LOCK             held (flock) by the process that has an embedded store open
/// ```
///
/// Knows files, not patterns: the store decides what to write, the folder writes it safely
/// (a segment under a temporary name, then renamed) and finds what a crash left behind.
struct StoreFolder: Sendable {
    /// The folder's path.
    let path: String

    var catalogFile: String { path + "/catalog.sqlite" }
    var catalogURLFile: String { path + "/catalog.url" }
    var segmentsFolder: String { path + "/segments" }

    func segmentPath(_ file: String) -> String { segmentsFolder + "/" + file }

    /// Whether the folder holds a store (a catalog file, or the URL of a shared one).
    var holdsStore: Bool {
        FileManager.default.fileExists(atPath: catalogFile) || FileManager.default.fileExists(atPath: catalogURLFile)
    }

    /// Where the store's catalog is: the URL `catalog.url` names, `catalog.sqlite`, or nil.
    ///
    /// - Throws: ``StoreError/noStore(path:problem:)`` when `catalog.url` holds no PostgreSQL URL.
    func catalogLocation() throws(StoreError) -> CatalogLocation? {
        let manager = FileManager.default
        if manager.fileExists(atPath: catalogURLFile) {
            guard let text = try? String(contentsOfFile: catalogURLFile, encoding: .utf8),
                  case let location = try inCatalog({ () throws(CatalogError) in try CatalogLocation(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines)) }),
                  location.isShared
            else {
                throw .noStore(path: path, problem: "catalog.url holds no postgres:// URL; write the catalog's URL into it")
            }
            return location
        }
        return manager.fileExists(atPath: catalogFile) ? .sqlite(path: catalogFile) : nil
    }

    /// The catalog to open: `catalog` when given, else the folder's own.
    ///
    /// - Throws: ``StoreError/noStore(path:problem:)`` when there is neither.
    func resolveCatalog(_ catalog: CatalogLocation?) throws(StoreError) -> CatalogLocation {
        if let catalog { return catalog }
        guard let location = try catalogLocation() else {
            throw .noStore(path: path, problem: "no store here (no catalog.sqlite or catalog.url); create one with `strata init --store \(path)`")
        }
        return location
    }

    /// Records a shared catalog's URL, readable by its owner only.
    func writeCatalogURL(_ location: CatalogLocation) throws(StoreError) {
        guard FileManager.default.createFile(atPath: catalogURLFile, contents: Data((location.urlText + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw .file(path: catalogURLFile, problem: "cannot write the catalog's URL")
        }
    }

    /// Makes the folder and its segments folder.
    func create() throws(StoreError) {
        do {
            try FileManager.default.createDirectory(atPath: segmentsFolder, withIntermediateDirectories: true)
        } catch {
            throw .file(path: path, problem: "cannot create the store folder: \(error.localizedDescription)")
        }
    }

    // MARK: segments

    /// Maps the segment file `file`.
    func openSegment(_ file: String) throws(StoreError) -> Segment {
        do {
            return try Segment(path: segmentPath(file))
        } catch {
            throw .index(error)
        }
    }

    /// Writes `graph` as a new segment file and gives its name: the SHA-256 of its bytes, so
    /// replicas sharing the folder never need to coordinate names and a name always means the
    /// same content. Written under a temporary name first and renamed; one left by a crash is
    /// an orphan the next sweep removes.
    func writeSegment(_ graph: HNSWGraph) throws(StoreError) -> String {
        let temporary = segmentPath("writing-" + UUID().uuidString.lowercased() + ".seg")
        do {
            _ = try graph.writeSegment(to: temporary)
        } catch {
            throw .index(error)
        }
        do {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: temporary), options: .alwaysMapped)
            let file = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() + ".seg"
            guard rename(temporary, segmentPath(file)) == 0 else {
                throw StoreError.file(path: segmentPath(file), problem: "cannot name the new segment: \(String(cString: strerror(errno)))")
            }
            return file
        } catch let error as StoreError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .file(path: temporary, problem: "cannot read the new segment back: \(error.localizedDescription)")
        }
    }

    /// Deletes every segment file not in `referenced` (a flush or compaction that died after
    /// writing its file and before its transaction committed); gives their names, sorted.
    func removeSegments(notIn referenced: Set<String>) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: segmentsFolder)) ?? []
        var removed: [String] = []
        for name in names where !referenced.contains(name) && !referenced.contains(String(name.dropLast(Self.lexicalSuffix.count))) {
            try? FileManager.default.removeItem(atPath: segmentPath(name))
            removed.append(name)
        }
        return removed.sorted()
    }

    /// Unlinks segment files the catalog no longer lists. Searches that still hold them keep
    /// their mappings alive; the disk space is freed once they are done.
    func removeSegments(_ files: [String]) {
        for file in files {
            try? FileManager.default.removeItem(atPath: segmentPath(file))
            try? FileManager.default.removeItem(atPath: lexicalPath(file))
        }
    }
}
