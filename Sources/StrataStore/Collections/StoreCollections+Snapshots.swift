import Foundation

/// A collection's snapshots (Qdrant's per-collection snapshot routes): archives of its
/// folder in `<store>/snapshots/<collection>/`, and the recovery of a collection from one.
extension StoreCollections {
    /// The folder holding the snapshots of the collection `name`.
    public func snapshotFolder(of name: String) -> String {
        (directory as NSString).deletingLastPathComponent + "/snapshots/" + name
    }

    /// Takes a snapshot of the collection `name` as `<snapshotFolder>/<file>`, with the
    /// archive's SHA-256 (Qdrant's checksum); nil when there is no such collection.
    ///
    /// - Throws: ``StoreError/invalidArgument(name:value:expected:)`` for a collection of a
    ///   shared PostgreSQL store (snapshot the database itself); what
    ///   ``StoreSnapshot/create(ofStore:to:hashingArchive:)`` throws.
    public func snapshot(named name: String, file: String) throws(StoreError) -> SnapshotSummary? {
        guard !location.isShared else { throw Self.sharedSnapshots(name) }
        let folder = try state.withLock { (state) throws(StoreError) -> String? in
            try Self.checkOpen(state, directory)
            return try state.registry.record(named: name).map { path($0.folder) }
        }
        guard let folder else { return nil }
        let target = snapshotFolder(of: name)
        do {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        } catch {
            throw .file(path: target, problem: "cannot be made: \(error.localizedDescription)")
        }
        return try StoreSnapshot.create(ofStore: folder, to: target + "/" + file, hashingArchive: true)
    }

    /// Replaces the collection `name` (or makes it) with the store in `archive`: restored and
    /// checked into a new folder first, then named in the registry in place of the old one,
    /// which is closed and removed. A damaged archive changes nothing.
    ///
    /// - Throws: what ``StoreSnapshot/restore(_:into:)`` throws; ``StoreError/invalidArgument(name:value:expected:)``
    ///   for a store that is shared (PostgreSQL), whose collections' catalogs live there.
    @discardableResult
    public func recover(named name: String, from archive: String) throws(StoreError) -> SnapshotSummary {
        guard !name.isEmpty else { throw .invalidArgument(name: "collection name", value: "", expected: "a name of at least one character") }
        guard !location.isShared else { throw Self.sharedSnapshots(name) }
        let record = CollectionRecord(name: name, folder: ".store-" + Self.newToken(), catalogSchema: nil)
        let summary = try StoreSnapshot.restore(archive, into: path(record.folder))
        let restored: PatternStore
        do {
            restored = try PatternStore.open(at: path(record.folder))
        } catch {
            Self.discard(path(record.folder), catalog: nil)
            throw error
        }
        return try state.withLock { (state) throws(StoreError) -> SnapshotSummary in
            do throws(StoreError) {
                try Self.checkOpen(state, directory)
            } catch {
                restored.closeWithoutFlush()
                Self.discard(path(record.folder), catalog: nil)
                throw error
            }
            let old = state.open.removeValue(forKey: name)
            var replaced: CollectionRecord?
            do throws(StoreError) {
                try install(record, store: restored, catalog: nil, into: &state) { registry throws(StoreError) in replaced = try registry.replace(with: record) }
            } catch {
                state.open[name] = old
                throw error
            }
            old?.store.closeWithoutFlush()
            if let replaced { Self.discard(path(replaced.folder), catalog: nil) }
            return summary
        }
    }

    /// The refusal of a snapshot or recovery on a shared store: the client's request cannot be
    /// served here (400), not a fault of the server.
    static func sharedSnapshots(_ name: String) -> StoreError {
        .invalidArgument(
            name: "collection", value: name,
            expected: "a collection of an embedded (SQLite) store: a shared store's collections live in PostgreSQL; snapshot the database with pg_dump and the store folder with any copy")
    }
}
