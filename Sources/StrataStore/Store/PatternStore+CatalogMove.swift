import Foundation
import StrataCatalog

extension PatternStore {
    /// Moves the embedded store in `directory` onto a shared PostgreSQL catalog.
    ///
    /// Every table is copied (patterns, hot vectors, payloads, segments, the analytics'
    /// generations, prices, budgets, migrations and cluster runs) in one PostgreSQL
    /// transaction, and each table's rows and content digest are compared with the source's
    /// before it commits. Then the folder names the new catalog in `catalog.url` and keeps the
    /// old file as `catalog.sqlite.migrated` (a store opens the URL from then on); the
    /// segments stay in the folder, which replicas then share. Finally the store is opened
    /// over the new catalog and verified.
    ///
    /// The destination's tables are made by their owners' migrations, never translated from
    /// the source: the store's own (patterns, collections), and those of `components` (the analytics' tables:
    /// `AnalyticsCatalog.schemas`). A source table no migration made is refused by name.
    ///
    /// - Parameters:
    ///   - source: the SQLite catalog to read; nil for the folder's own `catalog.sqlite`.
    ///   - destination: an empty PostgreSQL database (or `?schema=`).
    ///   - components: the schemas of the other components whose tables the catalog holds,
    ///     brought to this build's version on both sides before the copy.
    /// - Returns: the copy's report, and the problems ``verify()`` found (none when sound).
    /// - Throws: ``StoreError/noStore(path:problem:)`` when the folder holds no embedded
    ///   store; ``StoreError/catalog(_:)`` when the destination already holds a store or
    ///   lacks a table, or a table's copy differs (nothing is committed, and the folder is
    ///   left as it was).
    public static func moveCatalog(
        of directory: String, from source: CatalogLocation? = nil, to destination: CatalogLocation, components: [CatalogSchema] = []
    ) throws(StoreError) -> (copy: CatalogCopyReport, problems: [String]) {
        try CatalogMove(directory: directory, source: source, destination: destination, components: components).run()
    }
}
