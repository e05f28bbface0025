import StrataCatalog

/// What a ``StoreCollections`` holds: Qdrant's collections, or the tenants' stores.
///
/// Both are stores of their own, named in a registry table of the holding store's catalog
/// (columns `name`, `folder`, `catalog_schema`, `created_at`), each in a folder of its own
/// and, on a shared store, a PostgreSQL schema of its own. They differ only in these names,
/// in the tables kept beside the registry, and in whether folders an older build left are
/// adopted.
struct NamedStoreKind: Sendable {
    /// The folder under the holding store that holds the members' folders.
    let folder: String
    /// The registry table.
    let table: String
    /// The migrations of the registry table and of the tables kept beside it.
    let schema: CatalogSchema
    /// The prefix of a member's PostgreSQL schema on a shared store.
    let schemaPrefix: String
    /// Notified when a member is deleted or replaced, so replicas close it.
    let channel: String
    /// Whether store folders made before the registry listed them are adopted at open
    /// (collections, which were folders only in early builds).
    let adoptsFolders: Bool

    /// Qdrant's collections: `<store>/collections/`, the `collections` table.
    static let collections = NamedStoreKind(
        folder: "collections", table: "collections", schema: CollectionTables.schema,
        schemaPrefix: "collection_", channel: "strata_collections", adoptsFolders: true)

    /// The tenants' stores: `<store>/tenants/`, the `tenants` table (and the keys beside it).
    static let tenants = NamedStoreKind(
        folder: "tenants", table: "tenants", schema: TenantTables.schema,
        schemaPrefix: "tenant_", channel: "strata_tenants", adoptsFolders: false)
}
