import Foundation
import StrataCatalog

extension PatternStore {
    /// Where this replica stands against the others; nil for an embedded store.
    public var replicationStatus: ReplicationStatus? { replica?.current }

    /// Whether this process runs maintenance: always for an embedded store; for a shared one,
    /// only while it holds the maintainer lock.
    var maintains: Bool { replica?.current.isMaintainer ?? true }

    /// Begins following the other replicas (a shared store only).
    func startFollowing() {
        guard let replica, catalogLocation.isShared else { return }
        replica.start(location: catalogLocation, logger: logger) { [weak self] in if let self { replica.step(self) } }
    }

    /// Whether this process may run maintenance now: always for an embedded store; for a
    /// shared one, when it holds the maintainer lock or takes it now (it is free). Called
    /// under ``write(_:)``.
    func claimMaintenance() throws(StoreError) -> Bool {
        guard let replica else { return true }
        return try replica.claimMaintenance(self)
    }

    /// Refuses maintenance on a replica that is not the maintainer (taking the lock first
    /// when it is free). Called under the write lock.
    func requireMaintainer(_ operation: String) throws(StoreError) {
        guard try !claimMaintenance() else { return }
        throw .notMaintainer(operation: operation)
    }
}

extension PatternStore {
    /// Reads the embedding space anew from the manifest, after another replica re-embedded the
    /// shared store: the configuration, the embedder's settings and the embedder they build
    /// (fitted state included). Until the tiers reload, searches may still see old vectors;
    /// a text embedded meanwhile in the new space is refused by its dimension, never mixed.
    ///
    /// When the new embedder cannot be built here (its model is missing on this machine), the
    /// store keeps the new space without an embedder: text searches and adds fail with the
    /// reason, vector searches go on.
    func reloadSpace() throws(StoreError) {
        let manifest = try StoreManifest.read(from: writer, directory: directory, location: catalogLocation)
        let space = EmbeddingSpace(embedder: manifest.embedder, dimension: manifest.configuration.dimension, metric: manifest.configuration.metric)
        guard space != self.space || manifest.settings != embedderSettings || manifest.configuration != configuration else { return }
        var embedder: (any Embedder)?
        do {
            embedder = try manifest.embedder(given: nil, resolving: true, catalog: writer)
        } catch {
            logger.error("the store was re-embedded, but its new embedder cannot be built here", metadata: ["embedder": "\(space.embedder)", "error": "\(error)"])
        }
        tiers.replaceSpace(configuration: manifest.configuration, settings: manifest.settings, space: space, embedder: embedder)
        logger.info("followed a re-embed", metadata: ["space": "\(space)"])
    }
}
