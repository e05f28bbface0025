import Foundation
import StrataCatalog

/// The source files ingest has read, so that a re-ingest reads only what changed.
extension Catalog {
    /// Every ingested file's path and the content hash it had then.
    func sourceFileHashes() throws(StoreError) -> [(path: String, hash: String)] {
        try inCatalog { () throws(CatalogError) in
            try database.statement("SELECT path, content_hash FROM source_files").rows { (path: $0.string(0), hash: $0.string(1)) }
        }
    }

    /// The ids of the patterns that came from the file at `path`.
    func patternIDs(fromSource path: String) throws(StoreError) -> [String] {
        try inCatalog { () throws(CatalogError) in
            try database.statement("SELECT id FROM patterns WHERE source_path = ?").bind(1, path).rows { $0.string(0) }
        }
    }

    /// Records that the file at `path`, whose content hashes to `hash`, gave `patterns`
    /// patterns now.
    func recordSourceFile(path: String, hash: String, patterns: Int) throws(StoreError) {
        try inCatalog { () throws(CatalogError) in
            try database.statement("""
                INSERT INTO source_files(path, content_hash, patterns, ingested_at) VALUES(?, ?, ?, ?)
                ON CONFLICT(path) DO UPDATE SET content_hash = excluded.content_hash, patterns = excluded.patterns, ingested_at = excluded.ingested_at
                """)
                .bind(1, path).bind(2, hash).bind(3, patterns).bind(4, Date().timeIntervalSince1970).run()
        }
    }
}
