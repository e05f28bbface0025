import Foundation
import StrataCatalog

/// The audit log of a store's catalog: every write, delete, re-embed, budget change,
/// migration decision, generation and key change, one record each, hash-chained
/// (``AuditTrail``).
public struct StoreAudit: Sendable {
    let store: PatternStore

    public init(store: PatternStore) {
        self.store = store
    }

    /// The records `query` selects, oldest first.
    public func entries(_ query: AuditQuery = AuditQuery()) throws(StoreError) -> [AuditEntry] {
        try store.ensureOpen()
        guard (1...100_000).contains(query.limit) else {
            throw .invalidArgument(name: "limit", value: "\(query.limit)", expected: "1 to 100,000 records")
        }
        return try store.read { () throws(StoreError) in
            try inCatalog { () throws(CatalogError) in try AuditTrail.entries(query, in: store.reader.database) }
        }
    }

    /// Walks the whole chain: whether it holds, and if not the first record that breaks it.
    public func verify() throws(StoreError) -> AuditVerification {
        try store.ensureOpen()
        return try store.read { () throws(StoreError) in
            try inCatalog { () throws(CatalogError) in try AuditTrail.verify(in: store.reader.database) }
        }
    }

    /// Removes the records written before `date` (retention by age), keeping the chain
    /// verifiable from the newest removed one; the removal is itself recorded. Gives how many
    /// were removed.
    @discardableResult
    public func prune(before date: Date) throws(StoreError) -> Int {
        try store.ensureOpen()
        return try store.write { () throws(StoreError) -> Int in
            try inCatalog { () throws(CatalogError) -> Int in
                try store.writer.database.transaction { () throws(CatalogError) -> Int in try AuditTrail.prune(before: date, in: store.writer.database) }
            }
        }
    }
}
