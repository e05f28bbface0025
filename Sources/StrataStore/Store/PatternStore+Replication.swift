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
