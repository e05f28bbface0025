import Foundation
import Hummingbird
import StrataStore

/// Qdrant's collection snapshot routes: create, list, download, delete, recover. A snapshot is
/// a Strata archive of the collection's store (``StoreSnapshot``), kept in
/// `<store>/snapshots/<collection>/` with its SHA-256 beside it (Qdrant's `checksum`).
extension QdrantController {
    func addSnapshotRoutes(to group: RouterGroup<StrataRequestContext>) {
        group
            .post(":collection/snapshots", use: createSnapshot)
            .get(":collection/snapshots", use: listSnapshots)
            .put(":collection/snapshots/recover", use: recoverSnapshot)
            .get(":collection/snapshots/:snapshot", use: downloadSnapshot)
            .delete(":collection/snapshots/:snapshot", use: deleteSnapshot)
    }

    @Sendable func createSnapshot(_: Request, context: StrataRequestContext) async throws -> Response {
        let name = try Self.collectionName(context)
        let file = "\(name)-\(Self.stamp()).snapshot"
        let collections = try collections.all
        let summary = try await offloaded { () throws(StoreError) -> SnapshotSummary? in try collections.snapshot(named: name, file: file) }
        guard let summary else { throw ServerError.notFound("Not found: Collection `\(name)` doesn't exist!") }
        let checksum = summary.sha256 ?? ""
        try? Data(checksum.utf8).write(to: URL(fileURLWithPath: summary.path + ".checksum"))
        return QdrantAnswer.make(Self.description(file: file, size: summary.bytes, created: summary.manifest.createdAt, checksum: checksum), context: context)
    }

    @Sendable func listSnapshots(_: Request, context: StrataRequestContext) throws -> Response {
        let name = try Self.collectionName(context)
        guard try collections.contains(name) else { throw ServerError.notFound("Not found: Collection `\(name)` doesn't exist!") }
        let folder = try collections.all.snapshotFolder(of: name)
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".snapshot") }.sorted()
        let listed: [[String: Any]] = files.map { file in
            let path = folder + "/" + file
            let attributes = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
            let created = (attributes[.modificationDate] as? Date).map { ISO8601DateFormatter().string(from: $0) } ?? ""
            let checksum = (try? String(contentsOfFile: path + ".checksum", encoding: .utf8)) ?? ""
            return Self.description(file: file, size: attributes[.size] as? Int ?? 0, created: created, checksum: checksum)
        }
        return QdrantAnswer.make(listed, context: context)
    }

    @Sendable func downloadSnapshot(_: Request, context: StrataRequestContext) throws -> Response {
        let path = try snapshotPath(context)
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ServerError.notFound("Not found: snapshot \((path as NSString).lastPathComponent) does not exist") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        let body = ResponseBody(contentLength: size) { writer in
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: body)
    }

    @Sendable func deleteSnapshot(_: Request, context: StrataRequestContext) throws -> Response {
        let path = try snapshotPath(context)
        guard FileManager.default.fileExists(atPath: path) else { throw ServerError.notFound("Not found: snapshot \((path as NSString).lastPathComponent) does not exist") }
        try? FileManager.default.removeItem(atPath: path + ".checksum")
        do { try FileManager.default.removeItem(atPath: path) } catch { throw ServerError.internal("the snapshot cannot be removed: \(error.localizedDescription)") }
        return QdrantAnswer.make(true, context: context)
    }

    /// `{"location": "file:///path/x.snapshot"}` or the name of one of the collection's own
    /// snapshots: the collection becomes what the archive holds (made when it did not exist).
    @Sendable func recoverSnapshot(_ request: Request, context: StrataRequestContext) async throws -> Response {
        let name = try Self.collectionName(context)
        let body = try await request.decode(as: RecoverSnapshotBody.self, context: context)
        let collections = try collections.all
        let archive: String
        if body.location.hasPrefix("file://") {
            archive = String(body.location.dropFirst("file://".count))
        } else if !body.location.contains("/"), !body.location.contains(":") {
            archive = collections.snapshotFolder(of: name) + "/" + body.location
        } else {
            throw ServerError.badRequest("location \"\(body.location)\" is not supported: give a file:// path on the server, or the name of one of the collection's snapshots")
        }
        guard FileManager.default.fileExists(atPath: archive) else { throw ServerError.notFound("Not found: snapshot \(body.location) does not exist") }
        _ = try await offloaded { () throws(StoreError) -> SnapshotSummary in try collections.recover(named: name, from: archive) }
        return QdrantAnswer.make(true, context: context)
    }

    /// The path of the route's snapshot, refusing a name that leaves the folder.
    private func snapshotPath(_ context: StrataRequestContext) throws(ServerError) -> String {
        let name = try Self.collectionName(context)
        let file = context.parameters.get("snapshot") ?? ""
        guard file.hasSuffix(".snapshot"), !file.contains("/"), !file.hasPrefix(".") else {
            throw ServerError.badRequest("snapshot name \"\(file)\" is not valid: expected NAME.snapshot as the list gives it")
        }
        return try collections.all.snapshotFolder(of: name) + "/" + file
    }

    static func description(file: String, size: Int, created: String, checksum: String) -> [String: Any] {
        // Qdrant's creation_time has no time zone: UTC.
        ["name": file, "creation_time": created.replacingOccurrences(of: "Z", with: ""), "size": size, "checksum": checksum]
    }

    static func stamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd-HH-mm-ss-SSS"
        return formatter.string(from: Date())
    }
}

/// `PUT /collections/{name}/snapshots/recover`: `{"location"}` (Qdrant's `priority` and
/// `checksum` are accepted and ignored: the archive checks itself).
struct RecoverSnapshotBody: Decodable {
    var location: String
}
