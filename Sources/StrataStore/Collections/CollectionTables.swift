import StrataCatalog

/// The table of a store's collections in its catalog, as the migrations that build it.
enum CollectionTables {
    /// One row per collection: its name, its folder under `<store>/collections/`, and for a
    /// shared store the PostgreSQL schema holding its catalog (NULL: the folder's SQLite file).
    static let schema = CatalogSchema(component: "collections", versionRecord: .table("catalog_schema"), migrations: [
        CatalogMigration(
            sqlite: """
            CREATE TABLE collections(
                name TEXT PRIMARY KEY,
                folder TEXT NOT NULL UNIQUE,
                catalog_schema TEXT,
                created_at REAL NOT NULL
            )
            """,
            postgres: """
            CREATE TABLE collections(
                name TEXT PRIMARY KEY,
                folder TEXT NOT NULL UNIQUE,
                catalog_schema TEXT,
                created_at DOUBLE PRECISION NOT NULL
            )
            """),
    ])
}
