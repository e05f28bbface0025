import Foundation

/// What a snapshot archive holds: the files of a store folder (its catalog and the segments
/// the catalog names), each with its size and SHA-256, and what the store held.
public struct SnapshotManifest: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        /// The path inside the store folder: `catalog.sqlite`, `segments/<sha256>.seg`.
        public var name: String
        public var bytes: Int
        public var sha256: String
    }

    /// The archive format's version.
    public var format: Int
    /// When the snapshot's point in time was taken (the catalog's copy), ISO 8601.
    public var createdAt: String
    /// The live patterns at that point.
    public var patterns: Int
    public var files: [File]

    enum CodingKeys: String, CodingKey {
        case format, patterns, files
        case createdAt = "created_at"
    }

    /// The bytes of every file.
    public var bytes: Int { files.reduce(0) { $0 + $1.bytes } }
}

/// What making or restoring a snapshot did, as `strata snapshot --json` prints it.
public struct SnapshotSummary: Sendable, Equatable {
    /// The archive (create) or the restored store folder (restore).
    public var path: String
    public var patterns: Int
    /// The archive's size (create), or the bytes restored (restore).
    public var bytes: Int
    public var seconds: Double
    public var manifest: SnapshotManifest
    /// The archive's own SHA-256 (what Qdrant calls a snapshot's checksum); nil for a restore.
    public var sha256: String? = nil

    public var jsonObject: [String: Any] {
        ["path": path, "patterns": patterns, "bytes": bytes, "seconds": seconds, "files": manifest.files.count, "created_at": manifest.createdAt]
    }
}
