import Foundation

/// A store's declared payload field indexes (Qdrant's `PUT /collections/{c}/index`): the
/// declarations live in the catalog's manifest; the indexes live in RAM, built with the
/// native filter columns (``PayloadIndex``) at the first filtered read after an open, and
/// kept current by every write.
///
/// A payload condition whose every key has an index is answered from them, in memory, by
/// searches, counts, scrolls, pages and deletes; others as before, by the catalog.
public struct PayloadFieldIndexes: Sendable {
    let store: PatternStore

    /// The manifest key holding the declarations: a JSON object of key to schema.
    static let manifestKey = "payload_indexes"

    /// Declares an index on `key` (replacing one of another schema) and builds it from every
    /// stored payload before returning.
    public func create(_ key: PayloadKey, schema: PayloadFieldSchema) throws(StoreError) {
        try change { $0[key] = schema }
    }

    /// Drops the index on `key`; false when there was none.
    @discardableResult
    public func delete(_ key: PayloadKey) throws(StoreError) -> Bool {
        var existed = false
        try change { existed = $0.removeValue(forKey: key) != nil }
        return existed
    }

    /// The declared indexes, sorted by key, with how many patterns hold a value of each.
    public func list() throws(StoreError) -> [PayloadFieldInfo] {
        try store.ensureOpen()
        return try store.payloadIndex().fieldInfos()
    }

    /// Rewrites the declarations, then rebuilds the in-RAM index with them.
    private func change(_ body: (inout [PayloadKey: PayloadFieldSchema]) -> Void) throws(StoreError) {
        try store.ensureOpen()
        try store.write { () throws(StoreError) in
            var declared = try Self.declared(in: store.writer)
            let before = try store.writer.manifestValue(Self.manifestKey)
            body(&declared)
            let object = Dictionary(uniqueKeysWithValues: declared.map { ($0.key.description, $0.value.rawValue) })
            let text = String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            try store.writer.transaction { () throws(StoreError) in
                try store.writer.setManifestValue(Self.manifestKey, text)
                store.writer.noteAudit(AuditEvent(action: "payload_index.change", subject: text, before: before.map(AuditTrail.digest), after: AuditTrail.digest(text)))
            }
            store.tiers.payload = nil
        }
        _ = try store.payloadIndex()
    }

    /// The declarations the manifest holds; none when it holds none.
    ///
    /// - Throws: ``StoreError/inconsistent(problem:)`` when they cannot be read.
    static func declared(in catalog: Catalog) throws(StoreError) -> [PayloadKey: PayloadFieldSchema] {
        guard let text = try catalog.manifestValue(manifestKey) else { return [:] }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String] else {
            throw .inconsistent(problem: "the manifest's \(manifestKey) is not a JSON object of field to schema: \(text.prefix(80))")
        }
        var declared: [PayloadKey: PayloadFieldSchema] = [:]
        for (name, schemaName) in object {
            guard let schema = PayloadFieldSchema(rawValue: schemaName), let key = try? PayloadKey(name) else {
                throw .inconsistent(problem: "the manifest's \(manifestKey) declares \(name): \(schemaName), which this build cannot read")
            }
            declared[key] = schema
        }
        return declared
    }
}

extension PayloadIndex {
    /// The field indexes as listed, sorted by key.
    func fieldInfos() -> [PayloadFieldInfo] {
        lock.lock()
        defer { lock.unlock() }
        return fields.values.map { PayloadFieldInfo(key: $0.key.description, schema: $0.schema, points: $0.points) }.sorted { $0.key < $1.key }
    }
}
