import StrataCatalog

/// The tables of a store's tenants in its catalog, as the migrations that build them.
///
/// The registry names each tenant's store (a folder under `<store>/tenants/` and, on a shared
/// store, a PostgreSQL schema of its own: every pattern, collection, generation, budget and
/// cluster run of a tenant is in its own catalog, so no query of one tenant's catalog can
/// read another's). The keys span tenants, so the tenant leads their primary key and the
/// lookup index by key id is unique across the store.
enum TenantTables {
    static let schema = CatalogSchema(component: "tenants", versionRecord: .table("catalog_schema"), migrations: [
        CatalogMigration(
            sqlite: """
            CREATE TABLE tenants(
                name TEXT PRIMARY KEY,
                folder TEXT NOT NULL UNIQUE,
                catalog_schema TEXT,
                created_at REAL NOT NULL
            );
            CREATE TABLE tenant_keys(
                tenant TEXT NOT NULL,
                id TEXT NOT NULL,
                role TEXT NOT NULL,
                hash TEXT NOT NULL,
                created_at REAL NOT NULL,
                expires_at REAL,
                revoked_at REAL,
                PRIMARY KEY(tenant, id)
            );
            CREATE UNIQUE INDEX tenant_keys_id ON tenant_keys(id);
            """,
            postgres: """
            CREATE TABLE tenants(
                name TEXT PRIMARY KEY,
                folder TEXT NOT NULL UNIQUE,
                catalog_schema TEXT,
                created_at DOUBLE PRECISION NOT NULL
            );
            CREATE TABLE tenant_keys(
                tenant TEXT NOT NULL,
                id TEXT NOT NULL,
                role TEXT NOT NULL,
                hash TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                expires_at DOUBLE PRECISION,
                revoked_at DOUBLE PRECISION,
                PRIMARY KEY(tenant, id)
            );
            CREATE UNIQUE INDEX tenant_keys_id ON tenant_keys(id);
            """),
    ])
}
